/* handover: sortable and filterable tables on index pages, no dependencies.
   Works with Material's instant navigation (document$) and from file://. */
(function () {
  "use strict";

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function compare(a, b) {
    var na = parseFloat(a.replace(/[\s\u202f,]/g, "")), nb = parseFloat(b.replace(/[\s\u202f,]/g, ""));
    if (!isNaN(na) && !isNaN(nb) && /^[\d\s\u202f,.]+$/.test(a) && /^[\d\s\u202f,.]+$/.test(b)) return na - nb;
    return a.localeCompare(b, document.documentElement.lang || undefined, { sensitivity: "base", numeric: true });
  }

  function makeSortable(table) {
    if (table.dataset.hoSortable) return;
    table.dataset.hoSortable = "1";
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      th.classList.add("ho-sortable");
      th.setAttribute("role", "button");
      th.tabIndex = 0;
      function sort() {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (r1, r2) {
          var result = compare(cellText(r1, index), cellText(r2, index));
          return ascending ? result : -result;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); } });
    });
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function attachFilter(input) {
    if (input.dataset.hoFilter) return;
    input.dataset.hoFilter = "1";
    var container = input.closest("article") || document;
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      container.querySelectorAll("table tbody tr").forEach(function (row) {
        var text = fold(row.textContent);
        row.hidden = !words.every(function (word) { return text.indexOf(word) !== -1; });
      });
    });
  }

  function enhance() {
    document.querySelectorAll("input.ho-filter").forEach(function (input) {
      attachFilter(input);
      var container = input.closest("article") || document;
      container.querySelectorAll("table").forEach(makeSortable);
    });
  }

  /* Search: stemmed whole words. Material appends `*` to every term it sends to its
     search worker, and lunr runs no pipeline (so no stemmer) on a term with a wildcard:
     `moderateurs*` is looked up as typed, while the index holds stems (`moder`), so a
     whole word only matched when it was a prefix of its own stem (`modération` found
     nothing). Each plain word is sent once more with a neutral boost (`word^1`), which
     Material leaves without a wildcard and lunr stems: prefix matching while typing,
     stemmed matching of whole words (and, with the accent-folded words records/fold.py
     adds to the index, of words typed without accents). Queries written in lunr's own
     syntax are sent as they are. On file:// `Worker` is the iframe-worker shim, whose
     postMessage is patched the same way; Material posts through the instance, so the
     worker it created before this script ran is covered. */
  var QUERY = 2; // Material's SearchMessageType.QUERY

  function withStems(query) {
    if (/[+:^~*"]|(^|\s)-/.test(query)) return query;
    var words = query.split(/[\s\-]+/).filter(Boolean);
    return words.length ? query + " " + words.map(function (word) { return word + "^1"; }).join(" ") : query;
  }

  function patchWorker(Ctor) {
    if (!Ctor || !Ctor.prototype || Ctor.prototype.hoStems) return;
    var post = Ctor.prototype.postMessage;
    if (typeof post !== "function") return;
    Ctor.prototype.hoStems = true;
    Ctor.prototype.postMessage = function (message) {
      if (message && message.type === QUERY && typeof message.data === "string") {
        var args = Array.prototype.slice.call(arguments);
        args[0] = { type: QUERY, data: withStems(message.data) };
        return post.apply(this, args);
      }
      return post.apply(this, arguments);
    };
  }

  if (typeof window !== "undefined") {
    patchWorker(window.Worker);
    patchWorker(window.IFrameWorker);
  }

  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(enhance);
  }
  /* From file:// (the offline site of the handover pack) document$ may never emit:
     enhance once the page is parsed as well; enhance() is idempotent. */
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
