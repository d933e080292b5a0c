/* handover's site search: a box in the header, results from the index that
   site/pages/searchindex.py writes under _handover/search/. Each index file is a
   script that calls HandoverSearch.*(): <script> elements load from file:// where
   fetch and XHR are refused, so the online and the offline site search alike.
   Only the files a query needs are loaded: the manifest, the shards of its words'
   first letters, the metadata of the documents shown. No request leaves the site. */
(function () {
  "use strict";
  var FRENCH = (document.documentElement.lang || "").slice(0, 2) === "fr";
  var TEXT = FRENCH
    ? { label: "Rechercher dans la base", placeholder: "Rechercher", none: "Aucun résultat pour cette recherche.",
        count: function (n, shown) { return n + " résultat" + (n > 1 ? "s" : "") + (shown < n ? ", les " + shown + " premiers affichés" : ""); },
        failed: "La recherche n'a pas pu charger son index." }
    : { label: "Search the knowledge base", placeholder: "Search", none: "Nothing found for this search.",
        count: function (n, shown) { return n + " result" + (n > 1 ? "s" : "") + (shown < n ? ", the first " + shown + " shown" : ""); },
        failed: "The search could not load its index." };
  var SHOWN = 10;
  var script = document.currentScript;
  var BASE = script ? script.src.replace(/_handover\/handover-search\.js([?#].*)?$/, "") : "";
  var ROOT = BASE + "_handover/search/";
  var data = { manifest: null, stops: null, shards: {}, docs: {} };
  var loading = {};

  window.HandoverSearch = {
    manifest: function (m) { data.manifest = m; data.stops = new Set(m.stops); },
    shard: function (prefix, keys) { data.shards[prefix] = keys; },
    docs: function (n, rows) { data.docs[n] = rows; },
    search: search
  };

  function load(path) {
    if (!loading[path]) {
      loading[path] = new Promise(function (resolve, reject) {
        var element = document.createElement("script");
        element.src = ROOT + path;
        element.async = true;
        element.onload = resolve;
        element.onerror = function () { delete loading[path]; reject(new Error(path)); };
        document.head.appendChild(element);
      });
    }
    return loading[path];
  }

  var LIGATURES = { "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "þ": "th", "ı": "i" };

  /* As records/fold.py and searchindex.py's word_key: lowercase, accents off, a final
     s/x then e off. */
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[œæßøłđþı]/g, function (c) { return LIGATURES[c]; });
  }

  function wordKey(word) {
    if (word.length > 3 && (word.slice(-1) === "s" || word.slice(-1) === "x")) word = word.slice(0, -1);
    if (word.length > 3 && word.slice(-1) === "e") word = word.slice(0, -1);
    return word;
  }

  function queryKeys(text) {
    var words = (fold(text).match(/[\p{L}\p{N}]+/gu) || []).filter(function (w) { return w.length > 1; });
    var kept = words.filter(function (w) { return !data.stops.has(w); });
    return Array.from(new Set((kept.length ? kept : words).map(wordKey)));
  }

  function shardsFor(key) {
    return Object.keys(data.manifest.shards).filter(function (prefix) {
      return key.indexOf(prefix) === 0 || prefix.indexOf(key) === 0;
    });
  }

  /* Damerau: one letter added, dropped, changed, or two swapped. */
  function oneEdit(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  /* How well an indexed key answers a query key: 1 the same word, less for a longer
     word it begins (typing), less again for a word sharing its first three fifths
     (a stem for the poor, the same in every language: `moderateurs` meets
     `modération`, `remboursement` meets `rembourser`). */
  function closeness(query, key) {
    if (key === query) return 1;
    if (query.length >= 3 && key.indexOf(query) === 0) return 0.7;
    if (query.length >= 5 && key.indexOf(query.slice(0, Math.max(4, Math.ceil(query.length * 0.6)))) === 0) return 0.4;
    return 0;
  }

  function typoCloseness(query, key) {
    if (query.length < 4) return 0;
    if (oneEdit(query, key)) return 0.5;
    if (query.length >= 6 && key.length > query.length && oneEdit(query, key.slice(0, query.length))) return 0.3;
    return 0;
  }

  /* The matched keys of one query key: [postings, closeness] pairs. */
  function matches(query) {
    var found = [], near = [];
    shardsFor(query).forEach(function (prefix) {
      var keys = data.shards[prefix] || {};
      Object.keys(keys).forEach(function (key) {
        var c = closeness(query, key);
        if (c) found.push([keys[key], c]);
        else { var t = typoCloseness(query, key); if (t) near.push([keys[key], t]); }
      });
    });
    return found.length ? found : near;
  }

  function score(queries) {
    var total = data.manifest.documents, best = {};
    queries.forEach(function (query, q) {
      matches(query).forEach(function (pair) {
        var postings = pair[0], idf = Math.log(1 + total / (postings.length / 2)), doc = 0;
        for (var i = 0; i < postings.length; i += 2) {
          doc += postings[i];
          var s = pair[1] * postings[i + 1] * idf, row = best[doc] || (best[doc] = []);
          if (!(row[q] >= s)) row[q] = s;
        }
      });
    });
    return Object.keys(best).map(function (doc) {
      var parts = best[doc].filter(function (s) { return s !== undefined; });
      var sum = parts.reduce(function (a, b) { return a + b; }, 0), share = parts.length / queries.length;
      return [Number(doc), sum * share * share];
    }).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
  }

  /* The results of `text`: {total, results: [{title, url, kind, preview, ref}]}. */
  function search(text) {
    return load("index.js").then(function () {
      var queries = queryKeys(text);
      var needed = new Set();
      queries.forEach(function (query) { shardsFor(query).forEach(function (p) { needed.add("t/" + data.manifest.shards[p] + ".js"); }); });
      return Promise.all(Array.from(needed).map(load)).then(function () {
        var ranked = queries.length ? score(queries) : [];
        var top = ranked.slice(0, SHOWN), size = data.manifest.bucket;
        var buckets = new Set(top.map(function (r) { return Math.floor(r[0] / size); }));
        return Promise.all(Array.from(buckets).map(function (b) { return load("d/" + b + ".js"); })).then(function () {
          return { total: ranked.length, results: top.map(function (r) {
            var row = data.docs[Math.floor(r[0] / size)][r[0] % size];
            return { title: row[0], url: BASE + row[1], kind: row[2], preview: row[3], ref: row[4] };
          }) };
        });
      });
    });
  }

  /* The box: a labelled search field in the header (or at the top of the page
     without Material's header), the results in a list of links under it. Arrow keys
     move between the field and the results, Escape closes, Enter opens the first. */
  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function render(box, found) {
    var list = box.querySelector(".ho-search__list"), status = box.querySelector(".ho-search__status");
    list.textContent = "";
    found.results.forEach(function (result) {
      var link = element("a", { href: result.url, "data-ref": result.ref, class: "ho-search__result" });
      link.appendChild(element("span", { class: "ho-search__title" }, result.title));
      link.appendChild(element("span", { class: "ho-search__kind" }, result.kind));
      if (result.preview) link.appendChild(element("span", { class: "ho-search__preview" }, result.preview));
      var item = element("li");
      item.appendChild(link);
      list.appendChild(item);
    });
    status.textContent = found.total ? TEXT.count(found.total, found.results.length) : TEXT.none;
    box.querySelector(".ho-search__panel").hidden = false;
  }

  function close(box) {
    box.querySelector(".ho-search__panel").hidden = true;
  }

  function keys(box, input, event) {
    var links = Array.prototype.slice.call(box.querySelectorAll(".ho-search__result"));
    var at = links.indexOf(document.activeElement);
    if (event.key === "Escape") { close(box); input.focus(); return; }
    if (event.key === "ArrowDown" && links.length) { links[Math.min(at + 1, links.length - 1)].focus(); event.preventDefault(); }
    if (event.key === "ArrowUp" && at >= 0) { (at === 0 ? input : links[at - 1]).focus(); event.preventDefault(); }
  }

  function build() {
    if (document.querySelector(".ho-search")) return;
    var box = element("form", { class: "ho-search", role: "search", action: "#" });
    var input = element("input", { id: "ho-search-input", type: "search", class: "ho-search__input", placeholder: TEXT.placeholder,
      autocomplete: "off", spellcheck: "false", "aria-label": TEXT.label, "aria-controls": "ho-search-panel" });
    var panel = element("div", { id: "ho-search-panel", class: "ho-search__panel" });
    panel.hidden = true;
    panel.appendChild(element("p", { class: "ho-search__status", role: "status" }));
    panel.appendChild(element("ol", { class: "ho-search__list", "aria-label": TEXT.label }));
    box.appendChild(input);
    box.appendChild(panel);
    var latest = 0;
    input.addEventListener("input", function () {
      var asked = ++latest, text = input.value.trim();
      if (text.length < 2) { close(box); return; }  // one letter is no word (the index has none)
      search(text).then(function (found) { if (asked === latest) render(box, found); },
        function () {
          if (asked !== latest) return;
          render(box, { total: 0, results: [] });
          box.querySelector(".ho-search__status").textContent = TEXT.failed;
        });
    });
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = box.querySelector(".ho-search__result");
      if (first) first.click();
    });
    box.addEventListener("keydown", function (event) { keys(box, input, event); });
    document.addEventListener("click", function (event) { if (!box.contains(event.target)) close(box); });
    var header = document.querySelector(".md-header__inner");
    var before = header && (header.querySelector(".md-header__source") || null);
    if (header) header.insertBefore(box, before);
    else document.body.insertBefore(box, document.body.firstChild);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", build);
  else build();
  if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(build);
})();
