/* mltrl-docs: sortable and filterable tables, and glossary tooltips placed on screen. Our own few lines, loaded from the
   site itself (no CDN): tables with class "mltrl-sortable" sort by any column
   (header buttons, so the keyboard works), tables with data-mltrl-filter get a
   filter box. Cells may carry data-sort for a value other than their text. */
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (!isNaN(x) && !isNaN(y) && String(x) === a.trim() && String(y) === b.trim()) return x - y;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  /* The words around a table come from the page, in the site's language (_macros.html
     table_labels): data-mltrl-<name> on the table, with {column} or {count} filled in here. */
  function words(table, name, values) {
    var text = table.getAttribute("data-mltrl-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(String(values[key]));
    });
    return text;
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "mltrl-sort";
      button.textContent = th.textContent;
      var title = words(table, "sort-by", { column: th.textContent });
      if (title) button.title = title;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var order = compare(cellValue(r1, index), cellValue(r2, index));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function makeFilterable(table) {
    var label = document.createElement("label");
    label.className = "mltrl-filter";
    label.textContent = words(table, "filter-label") + " ";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = words(table, "filter-placeholder");
    label.appendChild(input);
    table.parentNode.insertBefore(label, table);
    var count = document.createElement("span");
    count.className = "mltrl-filter-count";
    count.setAttribute("aria-live", "polite");
    label.appendChild(count);
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var match = !needle || row.textContent.toLowerCase().indexOf(needle) !== -1;
        row.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = needle ? " " + words(table, "filter-shown", { count: shown }) : "";
    });
  }

  /* A term's tooltip opens towards the side of the page with more room, so a term near
     the right edge does not push its definition off screen. */
  function placeTooltip(event) {
    var term = event.target.closest ? event.target.closest("a.mltrl-term") : null;
    if (!term) return;
    var box = term.getBoundingClientRect();
    term.classList.toggle("mltrl-term-end", box.left > window.innerWidth / 2);
  }

  document.addEventListener("mouseover", placeTooltip);
  document.addEventListener("focusin", placeTooltip);

  /* On a touch screen there is no hover: the first tap on a term shows its definition (it
     focuses the term, and a focused term shows it, as for the keyboard) instead of leaving
     the page; a second tap on the same term follows its link to the glossary. Tapping
     anywhere else takes the focus, and the definition, away. */
  var touching = false;
  document.addEventListener("pointerdown", function (event) {
    touching = event.pointerType === "touch" || event.pointerType === "pen";
  }, true);
  document.addEventListener("keydown", function () { touching = false; }, true);  /* Enter follows at once */
  document.addEventListener("click", function (event) {
    var term = event.target.closest ? event.target.closest("a.mltrl-term") : null;
    if (!term || !touching || term.hasAttribute("data-mltrl-shown")) return;
    event.preventDefault();
    event.stopPropagation();  /* Material's instant navigation follows links without asking defaultPrevented */
    term.setAttribute("data-mltrl-shown", "");
    term.removeAttribute("data-mltrl-dismissed");
    placeTooltip({ target: term });
    term.focus();
  }, true);
  document.addEventListener("focusout", function (event) {
    var term = event.target.closest ? event.target.closest("a.mltrl-term") : null;
    if (term) term.removeAttribute("data-mltrl-shown");
    if (term && !term.matches(":hover")) term.removeAttribute("data-mltrl-dismissed");
  });

  /* Escape hides an open definition (WCAG 1.4.13: dismissible without moving the pointer or the
     focus). The focus stays where it is, on the term, so reading and tabbing go on from there; the
     definition shows again once the pointer or the focus has left the term and come back (or on the
     next tap). */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    var open = Array.prototype.slice.call(document.querySelectorAll("a.mltrl-term:hover"));
    var focused = document.activeElement;
    if (focused && focused.matches && focused.matches("a.mltrl-term") && open.indexOf(focused) < 0) open.push(focused);
    open.forEach(function (term) {
      term.setAttribute("data-mltrl-dismissed", "");
      term.removeAttribute("data-mltrl-shown");
    });
  });
  document.addEventListener("mouseout", function (event) {
    var term = event.target.closest ? event.target.closest("a.mltrl-term") : null;
    if (term && !term.contains(event.relatedTarget) && term !== document.activeElement) {
      term.removeAttribute("data-mltrl-dismissed");
    }
  });

  function setUp() {
    document.querySelectorAll("table.mltrl-sortable:not([data-mltrl-ready])").forEach(function (t) {
      t.setAttribute("data-mltrl-ready", "");
      makeSortable(t);
    });
    document.querySelectorAll("table[data-mltrl-filter]:not([data-mltrl-filter-ready])").forEach(function (t) {
      t.setAttribute("data-mltrl-filter-ready", "");
      makeFilterable(t);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);  /* Material's instant navigation */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
