// gitdora table sorter: a click on a column's heading in the table of
// repositories, services and teams sorts its rows by that column (again:
// the other way). Without JavaScript the table reads as it was written.
(function () {
  "use strict";
  var classes = { elite: 0, high: 1, medium: 2, low: 3 };
  function key(cell) {
    var text = cell.textContent.trim();
    if (Object.prototype.hasOwnProperty.call(classes, text.toLowerCase())) {
      return { n: classes[text.toLowerCase()], t: text };
    }
    var n = parseFloat(text.replace(/[^0-9.eE+-]/g, ""));
    if (text === "n/a" || text === "") {
      return { n: null, t: "" };
    }
    return { n: /^[-+]?[0-9.]/.test(text) && !isNaN(n) ? n : null, t: text.toLowerCase() };
  }
  function compare(a, b) {
    if (a.n !== null && b.n !== null) {
      return a.n - b.n;
    }
    if (a.n !== null || b.n !== null) {
      return a.n === null ? 1 : -1;
    }
    return a.t < b.t ? -1 : a.t > b.t ? 1 : 0;
  }
  var tables = document.querySelectorAll('h2[id$="services-and-teams"] + table');
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.querySelectorAll("thead th");
    var body = table.tBodies[0];
    if (!body) {
      return;
    }
    Array.prototype.forEach.call(heads, function (th, col) {
      th.style.cursor = "pointer";
      th.setAttribute("tabindex", "0");
      th.setAttribute("aria-sort", "none");
      function sort() {
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) { return dir * compare(key(a.cells[col]), key(b.cells[col])); });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          sort();
        }
      });
    });
  });
})();
