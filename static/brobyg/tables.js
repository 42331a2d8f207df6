// Below 40rem a list's table shows each row as a card (brobyg.css). Each cell is labelled with
// its column's heading here, and the table keeps its roles for screen readers, which lose them
// when a table is not displayed as a table.
(function () {
  "use strict";
  var ROLES = [
    ["table", "table"], ["thead, tbody, tfoot", "rowgroup"], ["tr", "row"],
    ["thead th", "columnheader"], ["tbody th", "rowheader"], ["td", "cell"]
  ];

  function label(root) {
    var tables = root.querySelectorAll(".table-wrap table");
    for (var t = 0; t < tables.length; t++) {
      var table = tables[t];
      var headings = [];
      var heads = table.querySelectorAll("thead th");
      for (var h = 0; h < heads.length; h++) {
        for (var span = heads[h].colSpan || 1; span > 0; span--) {
          headings.push(heads[h].textContent.replace(/\s+/g, " ").trim());
        }
      }
      var rows = table.querySelectorAll("tbody tr");
      for (var r = 0; r < rows.length; r++) {
        var column = 0;
        for (var c = 0; c < rows[r].children.length; c++) {
          var cell = rows[r].children[c];
          if (headings[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", headings[column]);
          }
          column += cell.colSpan || 1;
        }
      }
      for (var k = 0; k < ROLES.length; k++) {
        var elements = table.querySelectorAll(ROLES[k][0]);
        if (table.matches(ROLES[k][0])) elements = [table];
        for (var e = 0; e < elements.length; e++) {
          if (!elements[e].hasAttribute("role")) elements[e].setAttribute("role", ROLES[k][1]);
        }
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () { label(document); });
  document.addEventListener("htmx:afterSwap", function (event) { label(event.target); });
})();
