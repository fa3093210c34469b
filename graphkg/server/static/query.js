// The query page: run SPARQL against this server's endpoint and show the results.
// Data is only ever written with textContent and DOM properties, never parsed as markup.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("graphkg-data").textContent);
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query-text");
  const select = document.getElementById("named-query");
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  const ontology = data.prefixes.gkg;

  // Where a link to an IRI goes: the local page for IRIs this server serves,
  // the Wikidata page for Wikidata entities, the IRI for other web IRIs, and
  // nowhere for other schemes (a javascript: IRI must not become a link).
  function localHref(iri) {
    if (iri.startsWith(data.base)) return data.root + iri.slice(data.base.length);
    if (iri.startsWith(ontology)) return data.root + "ontology#" + iri.slice(ontology.length);
    const wikidata = "http://www.wikidata.org/entity/";
    if (iri.startsWith(wikidata)) return "https://www.wikidata.org/wiki/" + iri.slice(wikidata.length);
    if (/^https?:\/\//.test(iri)) return iri;
    return null;
  }

  function shortName(iri) {
    if (iri.startsWith(data.base + "id/")) return iri.slice(data.base.length + 3);
    for (const [name, namespace] of Object.entries(data.prefixes)) {
      if (iri.startsWith(namespace) && iri.length > namespace.length) {
        return name + ":" + iri.slice(namespace.length);
      }
    }
    return iri;
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function termNode(term) {
    if (term.type === "uri") {
      const href = localHref(term.value);
      const node = element(href ? "a" : "span", shortName(term.value));
      if (href) node.href = href;
      node.title = term.value;
      return node;
    }
    if (term.type === "bnode") return element("span", "_:" + term.value);
    const wrap = element("span", undefined, "literal");
    wrap.appendChild(document.createTextNode(term.value));
    if (term["xml:lang"]) wrap.appendChild(element("small", " @" + term["xml:lang"], "language"));
    const plain = ["http://www.w3.org/2001/XMLSchema#string",
      "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"];
    if (term.datatype && !plain.includes(term.datatype)) {
      wrap.appendChild(element("small", " " + shortName(term.datatype), "datatype"));
    }
    return wrap;
  }

  function showTable(json, partial) {
    const vars = json.head.vars;
    const rows = json.results.bindings;
    results.appendChild(element("p", rows.length + (rows.length === 1 ? " row" : " rows")));
    const table = element("table", undefined, "results");
    const head = table.createTHead().insertRow();
    for (const name of vars) head.appendChild(element("th", name));
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const name of vars) {
        const cell = tr.insertCell();
        if (row[name]) cell.appendChild(termNode(row[name]));
      }
    }
    results.appendChild(table);
  }

  function showPartial(response) {
    if (response.headers.get("X-Result-Partial") === "true") {
      const cap = response.headers.get("X-Result-Cap") || "";
      results.appendChild(element("p", "Partial results: cut at the server's cap of " + cap + " rows.", "note partial"));
    }
  }

  async function run(query) {
    results.replaceChildren();
    status.textContent = "running…";
    const started = performance.now();
    try {
      const response = await fetch(data.endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: new URLSearchParams({ query: query }),
      });
      const type = response.headers.get("Content-Type") || "";
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      if (!response.ok) {
        let message = response.status + " " + response.statusText;
        if (type.includes("json")) {
          const body = await response.json();
          message = response.status + " " + (body.title || "") + ": " + (body.error || "");
        } else {
          message += ": " + (await response.text());
        }
        results.appendChild(element("p", message, "error"));
        status.textContent = "";
        return;
      }
      status.textContent = "done in " + seconds + " s";
      showPartial(response);
      if (type.includes("sparql-results+json")) {
        const json = await response.json();
        if ("boolean" in json) {
          results.appendChild(element("p", json.boolean ? "yes (true)" : "no (false)", "boolean"));
        } else {
          showTable(json);
        }
      } else {
        results.appendChild(element("pre", await response.text(), "graph"));
      }
    } catch (error) {
      status.textContent = "";
      results.appendChild(element("p", "The query could not be sent: " + error, "error"));
    }
  }

  // YASGUI, when `make static` vendored it: served by this server, never a CDN.
  function startYasgui() {
    const library = window.Yasgui && (window.Yasgui.default || window.Yasgui.Yasgui || window.Yasgui);
    if (!data.yasgui || typeof library !== "function") return null;
    const container = document.getElementById("yasgui");
    const endpoint = new URL(data.endpoint, window.location.href).href;
    try {
      container.hidden = false;
      const yasgui = new library(container, {
        requestConfig: { endpoint: endpoint, method: "POST" },
        copyEndpointOnNewTab: false,
        endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
        persistenceId: null,
        populateFromUrl: false,
        autofocus: false,
        yasqe: { value: editor.value },
        yasr: { prefixes: data.prefixes },
      });
      const tab = yasgui.getTab();
      if (tab && tab.getYasqe && tab.getYasqe()) tab.getYasqe().setValue(editor.value);
      // YASR links IRIs to themselves; send the ones this server serves to their pages.
      container.addEventListener("click", function (event) {
        const link = event.target.closest && event.target.closest("a[href]");
        if (!link) return;
        const href = localHref(link.href);
        if (href && link.href.startsWith(data.base)) {
          event.preventDefault();
          window.location.href = href;
        }
      });
      document.getElementById("builtin-editor").hidden = true;
      return yasgui;
    } catch (error) {
      container.hidden = true;
      return null;
    }
  }

  const yasgui = startYasgui();

  select.addEventListener("change", function () {
    const chosen = data.queries[select.value];
    if (!chosen) return;
    editor.value = chosen.sparql;
    if (yasgui) {
      const tab = yasgui.getTab();
      if (tab && tab.getYasqe()) tab.getYasqe().setValue(chosen.sparql);
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(editor.value);
  });
})();
