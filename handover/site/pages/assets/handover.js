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

  /* Each header cell gets a button that sorts by its column: the cell keeps its
     columnheader role and carries aria-sort (on a button aria-sort is not allowed,
     and role=button on the cell hid the column header from screen readers). */
  function makeSortable(table) {
    if (table.dataset.hoSortable) return;
    table.dataset.hoSortable = "1";
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ho-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.classList.add("ho-sortable");
      button.addEventListener("click", function () {
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
      });
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

  var FRENCH = (document.documentElement.lang || "").slice(0, 2) === "fr";

  /* A table wider than the screen (phones): a line above it says it scrolls, shadows
     mark the hidden side, and the scrolling box can be reached with the keyboard. */
  function hintWideTables() {
    document.querySelectorAll(".md-content .md-typeset__scrollwrap").forEach(function (wrap) {
      var holder = wrap.parentNode;
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      var hint = holder.querySelector(":scope > .ho-scroll-hint");
      if (wide && !hint) {
        if (!holder.classList.contains("ho-table")) {
          holder = document.createElement("div");
          holder.className = "ho-table";
          wrap.parentNode.insertBefore(holder, wrap);
          holder.appendChild(wrap);
        }
        hint = document.createElement("p");
        hint.className = "ho-scroll-hint";
        hint.textContent = FRENCH ? "Tableau plus large que l'écran : faites-le défiler vers la droite →" : "This table is wider than the screen: scroll it sideways →";
        holder.insertBefore(hint, wrap);
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", hint.textContent);
      }
      if (holder.classList.contains("ho-table")) holder.classList.toggle("ho-scrolls", wide);
    });
  }

  /* Phones: Material hides the table of contents there (record pages are not in the
     navigation drawer either); a folded copy goes to the top of the page. */
  function phoneToc() {
    var article = document.querySelector("article.md-content__inner");
    var toc = document.querySelector(".md-sidebar--secondary .md-nav--secondary > .md-nav__list");
    if (!article || !toc || article.querySelector("details.ho-toc") || toc.querySelectorAll("a").length < 2) return;
    var details = document.createElement("details");
    details.className = "ho-toc";
    var summary = document.createElement("summary");
    summary.textContent = FRENCH ? "Sur cette page" : "On this page";
    details.appendChild(summary);
    var list = document.createElement("ul");
    toc.querySelectorAll(":scope > li > a").forEach(function (link) {
      var item = document.createElement("li");
      var copy = document.createElement("a");
      copy.href = link.getAttribute("href");
      copy.textContent = link.textContent.trim();
      item.appendChild(copy);
      list.appendChild(item);
    });
    details.appendChild(list);
    var heading = article.querySelector("h1");
    var after = heading && heading.nextElementSibling && heading.nextElementSibling.classList.contains("ho-kind") ? heading.nextElementSibling : heading;
    if (after) after.insertAdjacentElement("afterend", details); else article.insertBefore(details, article.firstChild);
  }

  function enhance() {
    document.querySelectorAll("input.ho-filter").forEach(function (input) {
      attachFilter(input);
      var container = input.closest("article") || document;
      container.querySelectorAll("table").forEach(makeSortable);
    });
    phoneToc();
    hintWideTables();
    setTimeout(hintWideTables, 100); // Material wraps tables on the same signal
  }

  if (typeof window !== "undefined") window.addEventListener("resize", function () { hintWideTables(); });

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
