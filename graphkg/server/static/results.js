// Readable results for the query page's views: an IRI is shown as its label (looked
// up in batches at /labels), or a short name while it has none, links to its page
// and keeps the full IRI in its title; a literal shows its type or language only
// where the value does not show it (a number, a date, English text): as pages.py does.
// Data is only ever written with textContent and DOM properties, never parsed as markup.
(function () {
  "use strict";

  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
  const DATE_TYPES = ["date", "dateTime", "gYearMonth", "gYear"].map(function (n) { return XSD + n; });
  const PLAIN_TYPES = [XSD + "string", RDF_LANG_STRING].concat(DATE_TYPES, [
    "integer", "nonNegativeInteger", "positiveInteger", "int", "long", "decimal", "double",
    "float", "boolean", "language", "anyURI",
  ].map(function (n) { return XSD + n; }));
  const BATCH = 200; // the most IRIs /labels names in one request (one query of the store)
  const PAGE = 500; // rows a table draws at a time
  const WIKIDATA = "http://www.wikidata.org/entity/";

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // The readable-results helpers for a page whose data (base, root, prefixes, labels)
  // the server put in its graphkg-data block.
  function readable(data) {
    const ontology = data.prefixes.gkg;
    const known = new Map(); // IRI -> what /labels said of it
    const asked = new Map(); // IRI -> the promise of its batch

    // Where a link to an IRI goes: the local page for IRIs this server serves, the
    // Wikidata page for Wikidata entities, the IRI for other web IRIs, and nowhere for
    // other schemes (a javascript: IRI must never become a link).
    function href(iri) {
      if (iri.startsWith(data.base)) return data.root + iri.slice(data.base.length);
      if (iri.startsWith(ontology)) return data.root + "ontology#" + iri.slice(ontology.length);
      if (iri.startsWith(WIKIDATA)) return "https://www.wikidata.org/wiki/" + iri.slice(WIKIDATA.length);
      if (/^https?:\/\//.test(iri)) return iri;
      return null;
    }

    function curie(iri) {
      for (const [name, namespace] of Object.entries(data.prefixes)) {
        if (iri.startsWith(namespace) && iri.length > namespace.length) {
          return name + ":" + iri.slice(namespace.length);
        }
      }
      return null;
    }

    function shortName(iri) {
      if (iri.startsWith(data.base + "id/")) return iri.slice(data.base.length + 3);
      return curie(iri) || iri;
    }

    // What to show for an IRI: its label once looked up, else its short name.
    function text(iri) {
      const entry = known.get(iri);
      return entry ? entry.text : shortName(iri);
    }

    async function fetchBatch(iris) {
      const response = await fetch(data.labels, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify({ iris: iris }),
      });
      if (!response.ok) return;
      const body = await response.json();
      for (const [iri, entry] of Object.entries(body.labels || {})) known.set(iri, entry);
    }

    // Look up the labels of IRIs not yet known, in batches; never rejects (a table
    // whose lookup failed keeps its short names).
    function lookup(iris) {
      const wanted = Array.from(new Set(iris)).filter(function (iri) {
        return !known.has(iri) && !asked.has(iri);
      });
      for (let start = 0; start < wanted.length; start += BATCH) {
        const batch = wanted.slice(start, start + BATCH);
        const done = fetchBatch(batch).catch(function () {});
        for (const iri of batch) asked.set(iri, done);
      }
      return Promise.all(Array.from(new Set(iris)).map(function (iri) {
        return asked.get(iri) || Promise.resolve();
      }));
    }

    function iriNode(iri) {
      const link = href(iri);
      const node = element(link ? "a" : "span", text(iri), "iri");
      if (link) node.href = link;
      if (link && !link.startsWith("/")) {
        node.rel = "external noopener";
        node.classList.add("external");
      }
      node.title = iri;
      node.dataset.iri = iri;
      return node;
    }

    function literalNode(term) {
      const language = term["xml:lang"] || "";
      const datatype = term.datatype || "";
      const date = DATE_TYPES.includes(datatype);
      const wrap = element("span", undefined, "literal");
      const value = element(date ? "time" : "span", term.value);
      if (date) value.dateTime = term.value;
      const hint = language ? "@" + language : (datatype && datatype !== XSD + "string" ? curie(datatype) || datatype : "");
      if (hint) value.title = hint;
      wrap.appendChild(value);
      if (language && language.toLowerCase().split("-")[0] !== "en") {
        wrap.appendChild(element("small", " @" + language, "language"));
      }
      if (datatype && !PLAIN_TYPES.includes(datatype)) {
        wrap.appendChild(element("small", " " + (curie(datatype) || datatype), "datatype"));
      }
      return wrap;
    }

    // A term of SPARQL JSON results (or of parsed N-Triples) as a readable node.
    function termNode(term) {
      if (term.type === "uri") return iriNode(term.value);
      if (term.type === "bnode") return element("span", "_:" + term.value, "blank");
      return literalNode(term);
    }

    // Give every IRI link under root the label /labels has for it.
    async function relabel(root) {
      const nodes = Array.from(root.querySelectorAll("[data-iri]"));
      await lookup(nodes.map(function (node) { return node.dataset.iri; }));
      for (const node of nodes) {
        const entry = known.get(node.dataset.iri);
        if (entry && node.textContent !== entry.text) node.textContent = entry.text;
      }
    }

    // A table of SPARQL JSON results, in a box that scrolls rather than the page, PAGE
    // rows at a time; its IRIs are relabelled as their labels arrive.
    function table(json) {
      const vars = json.head.vars;
      const rows = json.results.bindings;
      const wrap = element("div", undefined, "results-table");
      const box = element("div", undefined, "table-scroll");
      const tableNode = element("table", undefined, "results");
      const head = tableNode.createTHead().insertRow();
      for (const name of vars) head.appendChild(element("th", name));
      const body = tableNode.createTBody();
      const more = element("button", undefined, "more-rows");
      more.type = "button";
      let shown = 0;
      function showMore() {
        const added = document.createDocumentFragment();
        for (const row of rows.slice(shown, shown + PAGE)) {
          const tr = document.createElement("tr");
          for (const name of vars) {
            const cell = tr.insertCell();
            if (row[name]) cell.appendChild(termNode(row[name]));
          }
          added.appendChild(tr);
        }
        shown = Math.min(rows.length, shown + PAGE);
        const fresh = element("tbody");
        fresh.appendChild(added);
        relabel(fresh);
        while (fresh.firstChild) body.appendChild(fresh.firstChild);
        more.textContent = "Show " + Math.min(PAGE, rows.length - shown) + " more of " + rows.length + " rows";
        more.hidden = shown >= rows.length;
      }
      more.addEventListener("click", showMore);
      showMore();
      box.appendChild(tableNode);
      wrap.appendChild(box);
      wrap.appendChild(more);
      return wrap;
    }

    function iris(json) {
      const found = [];
      for (const row of json.results.bindings) {
        for (const term of Object.values(row)) if (term.type === "uri") found.push(term.value);
      }
      return found;
    }

    return {
      href: href, curie: curie, shortName: shortName, text: text, lookup: lookup,
      termNode: termNode, relabel: relabel, table: table, iris: iris, element: element,
    };
  }

  // N-Triples (a graph answer) as SPARQL-JSON-like bindings of subject, predicate, object.
  function parseNTriples(body) {
    const term = /\s*(<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?)/y;
    const unescape = function (value) {
      return value.replace(/\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))/g, function (_, u, U, c) {
        if (u || U) return String.fromCodePoint(parseInt(u || U, 16));
        return { t: "\t", n: "\n", r: "\r", b: "\b", f: "\f" }[c] || c;
      });
    };
    const bindings = [];
    for (const line of body.split("\n")) {
      if (!line.trim() || line.trim().startsWith("#")) continue;
      const found = [];
      term.lastIndex = 0;
      for (let i = 0; i < 3; i++) {
        const match = term.exec(line);
        if (!match) break;
        if (match[2] !== undefined) found.push({ type: "uri", value: unescape(match[2]) });
        else if (match[3] !== undefined) found.push({ type: "bnode", value: match[3] });
        else {
          const literal = { type: "literal", value: unescape(match[4]) };
          if (match[5]) literal["xml:lang"] = match[5];
          if (match[6]) literal.datatype = match[6];
          found.push(literal);
        }
      }
      if (found.length === 3) bindings.push({ subject: found[0], predicate: found[1], object: found[2] });
    }
    return { head: { vars: ["subject", "predicate", "object"] }, results: { bindings: bindings } };
  }

  window.graphkgResults = { readable: readable, parseNTriples: parseNTriples, DATE_TYPES: DATE_TYPES };
})();
