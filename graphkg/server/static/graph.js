// The graph view: nodes and labelled links drawn as SVG, laid out by a small force
// simulation (nodes repel, links pull, a weak pull to the middle), the same layout for
// the same graph every time. Each node links to its page. No library, nothing fetched;
// data is only written with textContent and attributes, never parsed as markup.
// Pages call graphkgGraph.draw, or mark a container with data-graph="ID" of a JSON
// block {"nodes": [{id, label, href}], "edges": [{source, target, label}], "center"}.
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const NODE_CAP = 80; // as the server's GRAPH_NODE_CAP: more is unreadable
  const STEPS = 300;
  const SPACING = 120;

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function shorten(text, size) {
    return text.length > size ? text.slice(0, size - 1) + "…" : text;
  }

  // Positions for the nodes (indexes into nodes), the centre node held at the origin.
  function layout(nodes, links, center) {
    const n = nodes.length;
    const radius = SPACING * Math.max(1, Math.sqrt(n) / 2);
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (i === center) continue;
      const angle = (2 * Math.PI * i) / n;
      x[i] = radius * Math.cos(angle);
      y[i] = radius * Math.sin(angle);
    }
    const dx = new Float64Array(n);
    const dy = new Float64Array(n);
    for (let step = 0; step < STEPS; step++) {
      dx.fill(0);
      dy.fill(0);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let ux = x[i] - x[j];
          let uy = y[i] - y[j];
          let d = Math.hypot(ux, uy);
          if (d < 0.01) { ux = 0.01 * (i - j); uy = 0.01; d = Math.hypot(ux, uy); }
          const push = (SPACING * SPACING) / d;
          dx[i] += (ux / d) * push; dy[i] += (uy / d) * push;
          dx[j] -= (ux / d) * push; dy[j] -= (uy / d) * push;
        }
      }
      for (const [a, b] of links) {
        const ux = x[a] - x[b];
        const uy = y[a] - y[b];
        const d = Math.max(0.01, Math.hypot(ux, uy));
        const pull = (d * d) / SPACING;
        dx[a] -= (ux / d) * pull; dy[a] -= (uy / d) * pull;
        dx[b] += (ux / d) * pull; dy[b] += (uy / d) * pull;
      }
      const limit = SPACING * (1 - step / STEPS) + 1;
      for (let i = 0; i < n; i++) {
        if (i === center) continue;
        dx[i] -= 0.05 * x[i];
        dy[i] -= 0.05 * y[i];
        const d = Math.hypot(dx[i], dy[i]);
        if (d > 0) {
          x[i] += (dx[i] / d) * Math.min(d, limit);
          y[i] += (dy[i] / d) * Math.min(d, limit);
        }
      }
    }
    return { x: x, y: y };
  }

  // Draw graph into container.
  function draw(container, graph) {
    container.replaceChildren();
    container.classList.add("graph");
    const nodes = graph.nodes.slice(0, NODE_CAP);
    const index = new Map(nodes.map(function (node, i) { return [node.id, i]; }));
    // Links between the same two nodes are drawn once, with every label.
    const pairs = new Map();
    for (const edge of graph.edges) {
      const a = index.get(edge.source);
      const b = index.get(edge.target);
      if (a === undefined || b === undefined || a === b) continue;
      const key = a < b ? a + " " + b : b + " " + a;
      if (!pairs.has(key)) pairs.set(key, { a: a, b: b, labels: [] });
      if (!pairs.get(key).labels.includes(edge.label)) pairs.get(key).labels.push(edge.label);
    }
    const links = Array.from(pairs.values());
    const center = graph.center !== undefined && index.has(graph.center) ? index.get(graph.center) : -1;
    const at = layout(nodes, links.map(function (l) { return [l.a, l.b]; }), center);
    let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    for (let i = 0; i < nodes.length; i++) {
      left = Math.min(left, at.x[i]); right = Math.max(right, at.x[i]);
      top = Math.min(top, at.y[i]); bottom = Math.max(bottom, at.y[i]);
    }
    const margin = 40;
    const chart = svg("svg", {
      class: "graph-chart",
      // Labels run to the right of their nodes: room for 36 characters there.
      viewBox: [left - margin, top - margin, right - left + 2 * margin + 220, bottom - top + 2 * margin].join(" "),
      role: "img",
      "aria-label": nodes.length + " nodes and " + links.length + " links",
    });
    const showLabels = links.length <= 40;
    const edgeLayer = svg("g", { class: "edges" });
    for (const link of links) {
      const group = svg("g", { class: "edge" });
      group.appendChild(svg("line", { x1: at.x[link.a], y1: at.y[link.a], x2: at.x[link.b], y2: at.y[link.b] }));
      const text = link.labels.join(", ");
      if (showLabels) {
        group.appendChild(svg("text", {
          x: (at.x[link.a] + at.x[link.b]) / 2, y: (at.y[link.a] + at.y[link.b]) / 2 - 3,
          "text-anchor": "middle",
        }, shorten(text, 32)));
      }
      group.appendChild(svg("title", {}, nodes[link.a].label + " — " + text + " — " + nodes[link.b].label));
      edgeLayer.appendChild(group);
    }
    chart.appendChild(edgeLayer);
    const nodeLayer = svg("g", { class: "nodes" });
    nodes.forEach(function (node, i) {
      const group = svg("g", { class: i === center ? "node center" : "node" });
      const target = node.href ? svg("a", { href: node.href }) : svg("g");
      target.appendChild(svg("circle", { cx: at.x[i], cy: at.y[i], r: i === center ? 10 : 7 }));
      target.appendChild(svg("text", { x: at.x[i] + 12, y: at.y[i] + 4 }, shorten(node.label, 36)));
      target.appendChild(svg("title", {}, node.label + (node.id.startsWith("_:") ? "" : "\n" + node.id)));
      group.appendChild(target);
      nodeLayer.appendChild(group);
    });
    chart.appendChild(nodeLayer);
    container.appendChild(chart);
  }

  // A graph of the triples of a CONSTRUCT answer (bindings of subject, predicate, object),
  // links between IRIs or blank nodes only; name(IRI) and href(IRI) label and link them.
  function fromTriples(bindings, name, href) {
    const nodes = new Map();
    const edges = [];
    function node(term) {
      const id = term.type === "bnode" ? "_:" + term.value : term.value;
      if (!nodes.has(id)) {
        if (nodes.size >= NODE_CAP) return null;
        nodes.set(id, {
          id: id,
          label: term.type === "bnode" ? id : name(term.value),
          href: term.type === "bnode" ? null : href(term.value),
        });
      }
      return id;
    }
    for (const row of bindings) {
      if (!row.subject || !row.object || row.object.type === "literal") continue;
      const source = node(row.subject);
      const target = node(row.object);
      if (source && target) edges.push({ source: source, target: target, label: name(row.predicate.value) });
    }
    return { nodes: Array.from(nodes.values()), edges: edges, center: null };
  }

  function drawMarked() {
    for (const container of document.querySelectorAll("[data-graph]")) {
      const block = document.getElementById(container.dataset.graph);
      if (block) draw(container, JSON.parse(block.textContent));
    }
  }

  window.graphkgGraph = { draw: draw, fromTriples: fromTriples };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawMarked);
  else drawMarked();
})();
