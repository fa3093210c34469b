// The query page: run SPARQL against this server's endpoint and show the results as a
// readable table, a timeline or a graph (static/results.js, timeline.js and graph.js).
// The address, the "link to this query" and the downloads follow the query being edited.
// Data is only ever written with textContent and DOM properties, never parsed as markup.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("graphkg-data").textContent);
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query-text");
  const examples = document.getElementById("examples");
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  const shareLink = document.getElementById("share-link");
  const downloads = Array.from(document.querySelectorAll("#query-links [data-format]"));
  const readable = window.graphkgResults.readable(data);
  const element = readable.element;
  const GRAPH_FORMS = ["CONSTRUCT", "DESCRIBE"];

  // SELECT, ASK, CONSTRUCT or DESCRIBE, read as the server reads it (query_form).
  function queryForm(query) {
    const body = query.split("\n").filter(function (line) { return !line.trim().startsWith("#"); }).join("\n");
    const found = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(body);
    return found ? found[1].toUpperCase() : "SELECT";
  }

  // The view a query's results open in: a graph for graph answers, the example's own
  // view (the timeline for `timeline`), else the table.
  function defaultView(query, example) {
    if (GRAPH_FORMS.includes(queryForm(query))) return "graph";
    return (example && example.view) || "graphkg-table";
  }

  function pageUrl(query) {
    return data.page + "?query=" + encodeURIComponent(query);
  }

  function updateLinks(query, moveAddress) {
    shareLink.href = pageUrl(query);
    const shape = queryForm(query);
    for (const link of downloads) {
      link.href = data.endpoint + "?query=" + encodeURIComponent(query) + "&format=" + link.dataset.format;
      link.hidden = !link.dataset.forms.split(" ").includes(shape);
    }
    if (moveAddress) window.history.replaceState(null, "", pageUrl(query));
  }

  let linkTimer = null;
  function queryEdited(query) {
    window.clearTimeout(linkTimer);
    linkTimer = window.setTimeout(function () { updateLinks(query, true); }, 200);
  }

  // -- the built-in editor: a text area and the views of static/results.js --------------

  let builtinView = defaultView(editor.value, data.queries[data.selected]);

  function showError(message) {
    results.appendChild(element("p", message, "error"));
  }

  function showPartial(response) {
    if (response.headers.get("X-Result-Partial") === "true") {
      const cap = response.headers.get("X-Result-Cap") || "";
      results.appendChild(element("p", "Partial results: cut at the server's cap of " + cap + " rows.", "note partial"));
    }
  }

  async function showSolutions(json) {
    if ("boolean" in json) {
      results.appendChild(element("p", json.boolean ? "yes (true)" : "no (false)", "boolean"));
      return;
    }
    const rows = json.results.bindings.length;
    results.appendChild(element("p", rows + (rows === 1 ? " row" : " rows")));
    if (builtinView === "timeline" && window.graphkgTimeline.canDraw(json)) {
      const view = element("div", undefined, "timeline-view");
      results.appendChild(view);
      await readable.lookup(readable.iris(json));
      window.graphkgTimeline.draw(view, json, readable.text, readable.href);
    }
    results.appendChild(readable.table(json));
  }

  async function showTriples(json) {
    const rows = json.results.bindings.length;
    results.appendChild(element("p", rows + (rows === 1 ? " triple" : " triples")));
    const view = element("div", undefined, "graph-view");
    results.appendChild(view);
    await readable.lookup(readable.iris(json));
    window.graphkgGraph.draw(view, window.graphkgGraph.fromTriples(json.results.bindings, readable.text, readable.href));
    results.appendChild(readable.table(json));
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
          "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
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
        showError(message);
        status.textContent = "";
        return;
      }
      status.textContent = "done in " + seconds + " s";
      showPartial(response);
      if (type.includes("sparql-results+json")) {
        await showSolutions(await response.json());
      } else {
        await showTriples(window.graphkgResults.parseNTriples(await response.text()));
      }
    } catch (error) {
      status.textContent = "";
      showError("The query could not be sent: " + error);
    }
  }

  // -- YASGUI, when `make static` vendored it: served by this server, never a CDN -------

  // YASQE's syntax check knows the prefixes the endpoint predeclares, so a query
  // written without PREFIX lines is not marked as an error.
  function predeclarePrefixes(Yasqe) {
    const original = Yasqe.modes && Yasqe.modes.sparql11;
    if (!original || original.predeclared) return;
    const withPrefixes = function (config, modeConfig) {
      const mode = original(config, modeConfig);
      const startState = mode.startState;
      mode.startState = function () {
        const state = startState.apply(this, arguments);
        state.prefixes = Object.assign({}, data.prefixes, state.prefixes);
        return state;
      };
      return mode;
    };
    withPrefixes.predeclared = true;
    Yasqe.defineMode("sparql11", withPrefixes);
  }

  // Completion of the ontology's classes and properties (/terms.json), of concepts by
  // CURIE, and of entities by label (/search.json; without it, no entity is offered).
  function registerCompleter(Yasqe) {
    let terms = null;
    function loadTerms() {
      if (!terms) {
        terms = fetch(data.terms, { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { terms: [] }; })
          .then(function (body) { return body.terms || []; })
          .catch(function () { return []; });
      }
      return terms;
    }
    async function searchEntities(text) {
      try {
        const response = await fetch(data.search + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } });
        if (!response.ok) return [];
        const body = await response.json();
        const hits = Array.isArray(body) ? body : body.hits || body.results || [];
        return hits.map(function (hit) {
          return { iri: hit.iri || hit.uri || hit.id, label: hit.label || hit.text || hit.name || "", cls: hit.class || "" };
        }).filter(function (hit) { return typeof hit.iri === "string" && /^https?:\/\//.test(hit.iri); });
      } catch (error) {
        return [];
      }
    }
    // What may be completed at the cursor: a class, a property, a term by its CURIE, or
    // an entity by the word being typed (the tokenizer splits "azer" into "a" "zer").
    function context(yasqe) {
      const token = yasqe.getCompleteToken();
      const typed = token.string.trim();
      if (!typed || /^[?$"'<{}().;,]/.test(typed)) return null;
      const cursor = yasqe.getDoc().getCursor();
      const previous = yasqe.getPreviousNonWsToken(cursor.line, token);
      const property = previous && previous.state ? previous.state.lastProperty : "";
      if (property === "a" || property === "rdf:type") return { kind: "class", typed: typed };
      if (token.state && token.state.possibleCurrent && token.state.possibleCurrent.indexOf("a") >= 0) {
        return { kind: "property", typed: typed };
      }
      if (typed.includes(":")) return { kind: "term", typed: typed };
      const word = /[\p{L}\p{N}_-]+$/u.exec(yasqe.getDoc().getLine(cursor.line).slice(0, cursor.ch));
      // A bare word in a subject or object: an entity's label, but not a keyword.
      if (!word || word[0].length < 3 || /^[A-Z]+$/.test(word[0])) return null;
      return { kind: "entity", typed: word[0], from: cursor.ch - word[0].length };
    }
    // Suggestion -> what the menu shows for it. Never cleared: completions of one word
    // may overlap as it is typed, and a suggestion always shows the same.
    const shown = new Map();
    Yasqe.registerAutocompleter({
      name: "graphkg",
      bulk: false,
      autoShow: true,
      isValidCompletionPosition: function (yasqe) { return context(yasqe) !== null; },
      preProcessToken: function (yasqe, token) {
        const found = context(yasqe);
        if (found) {
          token.autocompletionString = found.typed;
          token.completionKind = found.kind;
          if (found.from !== undefined) token.from = { ch: found.from };
        }
        return token;
      },
      get: async function (yasqe, token) {
        const kind = token.completionKind;
        const typed = (token.autocompletionString || "").toLowerCase();
        const offered = [];
        if (!kind) return offered;
        if (kind === "entity") {
          for (const hit of await searchEntities(token.autocompletionString)) {
            const suggestion = "<" + hit.iri + ">";
            shown.set(suggestion, hit.label ? hit.label + (hit.cls ? " — " + hit.cls : "") : hit.iri);
            offered.push(suggestion);
          }
          return offered;
        }
        const wanted = kind === "term" ? ["class", "property", "concept"] : [kind];
        for (const term of await loadTerms()) {
          if (!wanted.includes(term.kind)) continue;
          const curie = term.curie.toLowerCase();
          const matches = typed.includes(":") ? curie.startsWith(typed) :
            curie.split(":")[1].startsWith(typed) || term.label.toLowerCase().includes(typed);
          if (!matches) continue;
          shown.set(term.curie, term.curie + " — " + term.label);
          offered.push(term.curie);
          if (offered.length >= 50) break;
        }
        return offered;
      },
      postProcessSuggestion: function (yasqe, token, suggestion) { return suggestion; },
      postprocessHints: function (yasqe, hints) {
        for (const hint of hints) hint.displayText = shown.get(hint.text) || hint.text;
        return hints;
      },
    }, false);
    Yasqe.defaults.autocompleters = ["variables", "graphkg"];
  }

  // YASR views of the project's own: the readable table, the timeline and the graph.
  function registerViews(Yasr) {
    function solutions(yasr) {
      return { head: { vars: yasr.results.getVariables() }, results: { bindings: yasr.results.getBindings() } };
    }
    function usable(yasr) {
      return Boolean(yasr.results) && !yasr.results.hasError() && yasr.results.getVariables().length > 0;
    }
    function icon(text) {
      return element("span", text, "view-icon");
    }
    function csv(yasr, filename) {
      return {
        getData: function () { return yasr.results.asCsv(); },
        contentType: "text/csv",
        title: "Download as CSV",
        filename: (filename || "results") + ".csv",
      };
    }
    class ReadableTable {
      constructor(yasr) { this.yasr = yasr; this.priority = 20; this.label = "Table"; }
      canHandleResults() { return usable(this.yasr); }
      getIcon() { return icon("▦"); }
      draw() { this.yasr.resultsEl.appendChild(readable.table(solutions(this.yasr))); }
      download(filename) { return csv(this.yasr, filename); }
    }
    class TimelineView {
      constructor(yasr) { this.yasr = yasr; this.priority = 5; this.label = "Timeline"; }
      canHandleResults() { return usable(this.yasr) && window.graphkgTimeline.canDraw(solutions(this.yasr)); }
      getIcon() { return icon("⋮"); }
      async draw() {
        const json = solutions(this.yasr);
        const view = element("div", undefined, "timeline-view");
        this.yasr.resultsEl.appendChild(view);
        await readable.lookup(readable.iris(json));
        window.graphkgTimeline.draw(view, json, readable.text, readable.href);
      }
      download(filename) { return csv(this.yasr, filename); }
    }
    class GraphView {
      constructor(yasr) { this.yasr = yasr; this.priority = 4; this.label = "Graph"; }
      canHandleResults() { return usable(this.yasr) && this.yasr.results.getType() === "ttl"; }
      getIcon() { return icon("⌘"); }
      async draw() {
        const json = solutions(this.yasr);
        const view = element("div", undefined, "graph-view");
        this.yasr.resultsEl.appendChild(view);
        await readable.lookup(readable.iris(json));
        window.graphkgGraph.draw(view, window.graphkgGraph.fromTriples(json.results.bindings, readable.text, readable.href));
      }
    }
    Yasr.registerPlugin("graphkg-table", ReadableTable);
    Yasr.registerPlugin("timeline", TimelineView);
    Yasr.registerPlugin("graph", GraphView);
    // YASR's own table writes IRIs and datatypes out in full: the readable one replaces it.
    Yasr.registerPlugin("table", Yasr.plugins.table, false);
    Yasr.defaults.pluginOrder = ["graphkg-table", "timeline", "graph", "response"];
    Yasr.defaults.defaultPlugin = "graphkg-table";
  }

  let pendingView = null;
  // YASGUI's own share links carry the query after a #, which the server never sees.
  const openedFromLink = /(^#|&)query=/.test(window.location.hash);

  function startYasgui() {
    const Yasgui = window.Yasgui && (window.Yasgui.default || window.Yasgui);
    if (!data.yasgui || typeof Yasgui !== "function") return null;
    const container = document.getElementById("yasgui");
    const endpoint = new URL(data.endpoint, window.location.href).href;
    try {
      predeclarePrefixes(Yasgui.Yasqe);
      registerCompleter(Yasgui.Yasqe);
      registerViews(Yasgui.Yasr);
      container.hidden = false;
      const yasgui = new Yasgui(container, {
        requestConfig: { endpoint: endpoint, method: "POST" },
        copyEndpointOnNewTab: false,
        endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
        persistenceId: null,
        // A shared link (?query=, or YASGUI's own #query=) opens on its query, run on
        // this server's endpoint whatever endpoint or arguments the link names.
        populateFromUrl: function (config) {
          config.requestConfig.endpoint = endpoint;
          config.requestConfig.args = [];
          config.requestConfig.headers = {};
          config.requestConfig.namedGraphs = [];
          config.requestConfig.defaultGraphs = [];
          return config;
        },
        autofocus: false,
        yasqe: { value: editor.value, editorHeight: "22rem" },
        yasr: { prefixes: data.prefixes },
      });
      const tab = yasgui.getTab();
      if (openedFromLink) {
        editor.value = tab.getQuery();
      } else if (tab.getQuery() !== editor.value) {
        tab.getYasqe().setValue(editor.value);
      }
      const opened = data.queries[data.selected];
      pendingView = opened ? defaultView(opened.sparql, opened) : null;
      watchTab(tab);
      yasgui.on("tabSelect", function (instance, id) {
        window.setTimeout(function () { watchTab(instance.getTab(id)); }, 0);
      });
      yasgui.on("queryResponse", function (instance, current) { chooseView(current); });
      document.getElementById("builtin-editor").hidden = true;
      return yasgui;
    } catch (error) {
      container.hidden = true;
      return null;
    }
  }

  const watched = new WeakSet();
  let lastGraphForm = null;

  function watchTab(tab) {
    const yasqe = tab && tab.getYasqe && tab.getYasqe();
    if (!yasqe || watched.has(yasqe)) return;
    watched.add(yasqe);
    yasqe.on("change", function () { queryEdited(yasqe.getValue()); });
    // Tab indents in the editor, so Escape leaves it, for the run button: no keyboard trap.
    yasqe.addKeyMap({
      Esc: function (cm) {
        const box = cm.getWrapperElement().closest(".yasqe");
        const run = box && box.querySelector(".yasqe_queryButton");
        if (run) run.focus();
        else cm.getInputField().blur();
      },
    });
  }

  // Open each answer in its view: the one an example asks for, else the table for
  // solutions and the graph for triples when the answer turns from one to the other;
  // a view the reader picked stays while it can show the answers.
  function chooseView(tab) {
    const query = tab.getQuery();
    const graphForm = GRAPH_FORMS.includes(queryForm(query));
    let view = pendingView;
    if (view === null && graphForm !== lastGraphForm) view = defaultView(query, null);
    pendingView = null;
    lastGraphForm = graphForm;
    // Set before YASR draws this answer: selectPlugin would first redraw the last one.
    if (view !== null) tab.getYasr().selectedPlugin = view;
  }

  const yasgui = startYasgui();

  function setQuery(query) {
    editor.value = query;
    if (yasgui) {
      const tab = yasgui.getTab();
      if (tab && tab.getYasqe()) tab.getYasqe().setValue(query);
    }
    updateLinks(query, true);
  }

  for (const link of examples.querySelectorAll("a[data-name]")) {
    link.addEventListener("click", function (event) {
      const chosen = data.queries[link.dataset.name];
      if (!chosen) return;
      event.preventDefault();
      for (const other of examples.querySelectorAll("a[aria-current]")) other.removeAttribute("aria-current");
      link.setAttribute("aria-current", "true");
      examples.open = false;
      pendingView = defaultView(chosen.sparql, chosen);
      builtinView = pendingView;
      setQuery(chosen.sparql);
    });
  }

  editor.addEventListener("input", function () {
    builtinView = defaultView(editor.value, null);
    queryEdited(editor.value);
  });
  updateLinks(yasgui ? yasgui.getTab().getQuery() : editor.value, openedFromLink);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(editor.value);
  });
})();
