/* Draws every <script type="application/json" id="ID-spec"> (Django's json_script) into element ID
   with plotly.js (served by the app), and follows a clicked point's customdata (a URL) to drill down.
   No inline script anywhere, so the pages can run under a strict Content-Security-Policy. */
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    // Only "download as PNG": zooming and panning a bar chart of seven years helps nobody.
    modeBarButtons: [["toImage"]],
  };

  var REDUCED_MOTION = window.matchMedia("(prefers-reduced-motion: reduce)");

  function draw(spec) {
    var target = document.getElementById(spec.id.replace(/-spec$/, ""));
    if (!target || !window.Plotly) {
      return;
    }
    var figure = JSON.parse(spec.textContent);
    var config = Object.assign({}, CONFIG, figure.config || {});
    if (target.clientWidth < 520 && figure.layout && figure.layout.showlegend) {
      // On a phone the legend wraps onto more lines: give the bars back the height it takes.
      figure.layout.height = (figure.layout.height || 380) + 80;
      figure.layout.legend = Object.assign({}, figure.layout.legend, { font: { size: 11 } });
    }
    config.toImageButtonOptions = { filename: target.id };
    if (REDUCED_MOTION.matches) {
      // Nothing slides or fades for someone who asked the system for less motion.
      figure.layout = Object.assign({}, figure.layout, { transition: { duration: 0 } });
    }
    window.Plotly.newPlot(target, figure.data, figure.layout, config).then(function (plot) {
      target.classList.add("is-drawn");
      var dragLayer = plot.querySelector(".nsewdrag");
      plot.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (point && point.customdata) {
          window.location.assign(point.customdata);
        }
      });
      // A pointer over the bars that lead somewhere, so the drill-down can be discovered.
      plot.on("plotly_hover", function (event) {
        var point = event.points && event.points[0];
        if (dragLayer && point && point.customdata) {
          dragLayer.style.cursor = "pointer";
        }
      });
      plot.on("plotly_unhover", function () {
        if (dragLayer) {
          dragLayer.style.cursor = "";
        }
      });
    });
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll('script[type="application/json"][id$="-chart-spec"]'), draw);
  }

  function resizeAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".chart.is-drawn"), function (chart) {
      window.Plotly.Plots.resize(chart);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  // Printing changes the page width; redraw the charts to fit the paper.
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
