// The timeline view: the events of dated results down a time line, one row per event,
// each a dot coloured by its kind and a link to its page; days apart are drawn apart,
// and events without a date come last, as hollow dots.
// Plain SVG written with DOM methods and textContent: no library, nothing fetched, and
// data never becomes markup. Pages call graphkgTimeline.draw, or mark a container with
// data-timeline="ID" of a JSON block {"results": SPARQL JSON, "labels": {IRI: label}}.
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const DATE_TYPES = ["date", "dateTime", "gYearMonth", "gYear"].map(function (n) { return XSD + n; });
  const PALETTE = ["#1f6fb4", "#c8322d", "#2a8f3c", "#8a52b3", "#d9770b", "#7b5a3f", "#c2458f",
    "#138c99", "#5f6b75", "#8d9010"];
  const TEXT_COLUMNS = ["summary", "label", "title", "name", "description"];
  const ROW = 26;
  const AXIS = 104;

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function count(rows, name, test) {
    return rows.filter(function (row) { return row[name] && test(row[name]); }).length;
  }

  // Which columns say what: the date, the event, its kind (and the kind's label) and its text.
  function columns(json) {
    const vars = json.head.vars;
    const rows = json.results.bindings;
    let date = null;
    let most = 0;
    for (const name of vars) {
      const dated = count(rows, name, function (t) { return DATE_TYPES.includes(t.datatype); });
      if (dated > most) { date = name; most = dated; }
    }
    const iris = vars.filter(function (name) {
      return count(rows, name, function (t) { return t.type === "uri"; }) > 0;
    });
    const kind = iris.find(function (n) { return /kind$/i.test(n); }) ||
      iris.find(function (n) { return /^(type|class|category)$/i.test(n); }) || null;
    const item = iris.find(function (n) { return n !== kind && !/^(type|class)$/i.test(n); }) || null;
    const kindLabel = kind && vars.includes(kind + "Label") ? kind + "Label" : null;
    const text = TEXT_COLUMNS.find(function (n) {
      return vars.includes(n) && count(rows, n, function (t) { return t.type === "literal"; }) > 0;
    }) || null;
    return { date: date, item: item, kind: kind, kindLabel: kindLabel, text: text };
  }

  function canDraw(json) {
    return Boolean(json && json.head && json.results && columns(json).date);
  }

  // The events of the results, each once: the dated in order of date, then the undated
  // (date null) in the results' order.
  function events(json, label) {
    const cols = columns(json);
    const seen = new Set();
    const found = [];
    for (const row of json.results.bindings) {
      const bound = row[cols.date];
      const date = bound && DATE_TYPES.includes(bound.datatype) ? bound.value : null;
      const item = cols.item && row[cols.item] ? row[cols.item].value : null;
      const key = (item || JSON.stringify(row)) + " " + date;
      if (seen.has(key)) continue;
      seen.add(key);
      const kind = cols.kind && row[cols.kind] ? row[cols.kind].value : "";
      const kindText = cols.kindLabel && row[cols.kindLabel] ? row[cols.kindLabel].value : (kind ? label(kind) : "");
      const text = cols.text && row[cols.text] ? row[cols.text].value : (item ? label(item) : date || "");
      found.push({ date: date, item: item, kind: kind, kindText: kindText, text: text });
    }
    const rank = function (event) { return event.date === null ? "\uffff" : event.date; };
    found.sort(function (a, b) { return rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0; });
    return found;
  }

  // The first day of a date, month (2025-06) or year (2025), in milliseconds.
  function day(value) {
    const [year, month, date] = value.slice(0, 10).split("-");
    return Date.UTC(Number(year), Number(month || 1) - 1, Number(date || 1));
  }

  function days(from, to) {
    const apart = (day(to) - day(from)) / 86400000;
    return isNaN(apart) ? 0 : Math.max(0, apart);
  }

  // Draw the timeline of SPARQL JSON results into container. label(IRI) names an IRI;
  // href(IRI) is where its event links (null: nowhere).
  function draw(container, json, label, href) {
    const list = events(json, label);
    container.replaceChildren();
    container.classList.add("timeline");
    const colours = new Map();
    for (const event of list) {
      if (!colours.has(event.kind)) colours.set(event.kind, PALETTE[colours.size % PALETTE.length]);
    }
    const legend = document.createElement("ul");
    legend.className = "timeline-legend";
    for (const [kind, colour] of colours) {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colour;
      item.appendChild(swatch);
      const example = list.find(function (e) { return e.kind === kind; });
      item.appendChild(document.createTextNode(kind ? example.kindText : "no kind"));
      legend.appendChild(item);
    }
    container.appendChild(legend);

    const width = Math.max(280, container.clientWidth || 640);
    const chars = Math.max(12, Math.floor((width - AXIS - 16) / 7));
    const chart = svg("svg", { class: "timeline-chart", role: "list", "aria-label": list.length + " events by date" });
    let y = 16;
    let previous = null;
    list.forEach(function (event, i) {
      const first = i === 0 || previous !== event.date;
      if (i > 0 && first) {
        y += event.date === null ? 40 : Math.min(40, 6 + 5 * Math.log2(1 + days(previous, event.date)));
      }
      const group = svg("g", { class: event.date === null ? "event undated" : "event dated", role: "listitem" });
      if (first) {
        group.appendChild(svg("text", { x: AXIS - 14, y: y + 4, class: "date", "text-anchor": "end" },
          event.date === null ? "no date" : event.date));
      }
      const link = event.item ? href(event.item) : null;
      const target = link ? svg("a", { href: link }) : svg("g");
      const colour = colours.get(event.kind);
      target.appendChild(event.date === null
        ? svg("circle", { cx: AXIS, cy: y, r: 5, fill: "#fff", stroke: colour, "stroke-width": 2.5 })
        : svg("circle", { cx: AXIS, cy: y, r: 6, fill: colour }));
      const shown = event.text.length > chars ? event.text.slice(0, chars - 1) + "…" : event.text;
      target.appendChild(svg("text", { x: AXIS + 14, y: y + 4, class: "label" }, shown));
      target.appendChild(svg("title", {}, (event.date || "no date") + " · " + event.text +
        (event.kindText ? " (" + event.kindText + ")" : "")));
      group.appendChild(target);
      chart.appendChild(group);
      previous = event.date;
      y += ROW;
    });
    const height = Math.max(y, 40);
    chart.insertBefore(svg("line", { x1: AXIS, y1: 4, x2: AXIS, y2: height - 10, class: "axis" }), chart.firstChild);
    chart.setAttribute("viewBox", "0 0 " + width + " " + height);
    chart.setAttribute("width", width);
    chart.setAttribute("height", height);
    container.appendChild(chart);
  }

  // Draw every container a page marks with data-timeline, and again when the window's width changes.
  function drawMarked() {
    for (const container of document.querySelectorAll("[data-timeline]")) {
      const block = document.getElementById(container.dataset.timeline);
      if (!block) continue;
      const data = JSON.parse(block.textContent);
      const labels = data.labels || {};
      const pages = data.pages || {};
      const redraw = function () {
        draw(container, data.results,
          function (iri) { return labels[iri] || iri.replace(/^.*[/#]/, ""); },
          function (iri) { return pages[iri] || null; });
      };
      redraw();
      let width = container.clientWidth;
      window.addEventListener("resize", function () {
        if (container.clientWidth !== width) { width = container.clientWidth; redraw(); }
      });
    }
  }

  window.graphkgTimeline = { draw: draw, canDraw: canDraw, columns: columns };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawMarked);
  else drawMarked();
})();
