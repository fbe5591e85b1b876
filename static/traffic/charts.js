// Draws every <canvas data-traffic-chart="<json_script id>" data-traffic-series="a,b"> with
// Chart.js (static/vendor/chart.umd.js, served by us). The numbers come from the page itself.
(function () {
  "use strict";
  var SERIES = {
    views: { label: "Views", color: "#2f6fed" },
    unique_views: { label: "Unique views", color: "#9db8f5" },
    clones: { label: "Clones", color: "#12805c" },
    unique_clones: { label: "Unique clones", color: "#8fd3b8" },
  };

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.trafficChart);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var keys = canvas.dataset.trafficSeries.split(",");
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: keys.map(function (key) {
          return {
            label: SERIES[key].label,
            data: data[key],
            borderColor: SERIES[key].color,
            backgroundColor: SERIES[key].color,
            tension: 0.2,
            pointRadius: data.labels.length > 60 ? 0 : 2,
          };
        }),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  document.querySelectorAll("canvas[data-traffic-chart]").forEach(draw);
})();
