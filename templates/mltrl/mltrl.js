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

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "mltrl-sort";
      button.textContent = th.textContent;
      button.title = "Sort by " + th.textContent;
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
    label.textContent = "Filter rows: ";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "project, level, status, word...";
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
      count.textContent = needle ? " " + shown + " shown" : "";
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
    placeTooltip({ target: term });
    term.focus();
  }, true);
  document.addEventListener("focusout", function (event) {
    var term = event.target.closest ? event.target.closest("a.mltrl-term") : null;
    if (term) term.removeAttribute("data-mltrl-shown");
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
