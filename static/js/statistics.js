// Draws each chart of the Auswertung from the data table beside it: the table is the
// accessible source, the chart only repeats it for sighted readers.
(function () {
  "use strict";

  var COLOURS = ["#2044aa", "#b34d00", "#1d7a4e", "#75009e", "#8a6d00", "#a3003b"];

  function seriesOf(table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    return headers
      .map(function (cell, index) {
        return { label: cell.getAttribute("data-series"), index: index };
      })
      .filter(function (entry) {
        return entry.label;
      });
  }

  function draw(table) {
    var canvas = document.getElementById(table.getAttribute("data-chart"));
    if (!canvas || !window.Chart) {
      return;
    }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows).filter(function (row) {
      return row.cells[0].tagName === "TH";
    });
    if (!rows.length) {
      canvas.parentNode.hidden = true;
      return;
    }
    var labels = rows.map(function (row) {
      return row.cells[0].textContent.trim();
    });
    var datasets = seriesOf(table).map(function (series, position) {
      return {
        label: series.label,
        backgroundColor: COLOURS[position % COLOURS.length],
        data: rows.map(function (row) {
          return parseFloat(row.cells[series.index].getAttribute("data-value")) || 0;
        }),
      };
    });
    var language = document.documentElement.lang || "de";
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: language,
        plugins: { legend: { display: datasets.length > 1 } },
        scales: { y: { beginAtZero: true } },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[data-chart]").forEach(draw);
  });
})();
