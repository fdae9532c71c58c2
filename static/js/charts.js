/* Draws every <script type="application/json" id="ID-spec"> (Django's json_script) into element ID
   with plotly.js (served by the app), and follows a clicked point's customdata (a URL) to drill down.
   No inline script anywhere, so the pages can run under a strict Content-Security-Policy.

   Speed (README: Benchmarks, "charts drawn"): plotly.js's automargin draws a chart, measures what
   sticks out (the legend's rows above the bars, the y labels and title on the left, turned year
   labels below) and, when that does not fit the margins, draws the whole chart again. Every chart
   needed that second draw, a third of the time to draw a page. So each chart starts with margins
   that already fit, estimated here from the figure's own texts (measured on a canvas, which costs
   no page layout) and the width its box has; automargin stays on as the safety net for whatever
   the estimate misses. Each drawn chart leaves a performance mark "tcdash:chart-drawn" on its
   plotly_afterplot, which bench/run.py reads. */
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    // Only "download as PNG": zooming and panning a bar chart of seven years helps nobody.
    modeBarButtons: [["toImage"]],
  };

  var REDUCED_MOTION = window.matchMedia("(prefers-reduced-motion: reduce)");

  // On paper a chart is as wide as an A4 sheet inside the print margins (210 mm - 2 x 16 mm,
  // static/css/site.css @page), in CSS pixels, and low enough to leave its table and notes room on
  // the same sheet: drawn for the screen's width, it would be cut at the sheet's edge.
  // A long legend (16 entries, one a row at that width) makes the chart higher instead: plotly shows at
  // most half a chart's height of a legend and scrolls the rest out of sight, which paper cannot scroll.
  var SHEET = { width: Math.floor(((210 - 32) * 96) / 25.4), height: 320, bars: 200 };
  var PRINT = window.matchMedia("print");

  // plotly.js's own spacing as it draws our charts (measured on its 4.1 basic bundle): a legend entry
  // is its text plus a 40 px symbol and gap, 5 px apart, a row 1.3 lines of its font (16 px at least)
  // plus 3, with 20 px of padding, and it stands at legend.y of the bars' height; the y title and the
  // labels' padding take 24 px; years along the axis take 27 px, turned upright their width plus 17 px.
  var LEGEND = { symbol: 40, gap: 5, padding: 20 };
  var Y_TITLE = 24;
  // The y title is one line turned upright beside the bars, cut off at the chart's edge where it is
  // longer than the chart is high ("Variation en pourcentage par rapport à l'année précédente" on
  // the sheet); it is broken into lines that fit, each line taking 1.5 of its font more on the left
  // (measured: plotly's 1.3 line spacing and the room it keeps around the turned lines).
  var Y_TITLE_LINE = 1.5;
  var X_LABELS = { flat: 27, turned: 17 };
  var MARGIN = 10;

  var ruler = document.createElement("canvas").getContext("2d");

  function textWidth(text, size, family) {
    ruler.font = size + "px " + family;
    return ruler.measureText(text).width;
  }

  // The widest y label: the top of the tallest stack (or the lowest bar below 0), written as the axis
  // writes it (thousands separator or % suffix). Digits are all equally wide in the fonts we use.
  function widestYLabel(figure) {
    var layout = figure.layout;
    var stacked = layout.barmode === "stack";
    var high = {};
    var low = 0;
    figure.data.forEach(function (trace) {
      (trace.y || []).forEach(function (y, i) {
        var x = trace.x[i];
        high[x] = stacked ? (high[x] || 0) + Math.max(y, 0) : Math.max(high[x] || 0, y);
        low = Math.min(low, y);
      });
    });
    var top = Math.max.apply(null, [0].concat(Object.values(high)));
    var digits = String(Math.round(Math.max(top, -low)));
    var thousands = (layout.separators || ".,").charAt(1);
    if ((layout.yaxis || {}).tickformat === ",d") {
      digits = digits.replace(/\B(?=(\d{3})+(?!\d))/g, thousands);
    }
    return (low < 0 ? "\u2212" : "") + digits + ((layout.yaxis || {}).ticksuffix || "");
  }

  function legendRows(figure, plotWidth, size, family) {
    var widths = figure.data.map(function (trace) {
      return textWidth(trace.name || "", size, family) + LEGEND.symbol;
    });
    var all = widths.reduce(function (sum, w) { return sum + w + LEGEND.gap; }, -LEGEND.gap);
    if (all < plotWidth) {
      return 1;
    }
    var entry = Math.max.apply(null, widths) + LEGEND.gap;
    var perRow = Math.max(1, Math.floor((plotWidth + LEGEND.gap) / entry));
    return Math.ceil(widths.length / perRow);
  }

  // The y title's words in lines that each fit `room` px (the bars' height), the fewest lines
  // possible; a single word longer than the room is a line of its own.
  function yTitleLines(title, room, family) {
    var size = (title.font || {}).size || 12;
    var words = String(title.text || "").split(/ |<br>/);
    var lines = [];
    words.forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && textWidth(lines[last] + " " + word, size, family) <= room) {
        lines[last] += " " + word;
      } else {
        lines.push(word);
      }
    });
    return lines;
  }

  // Margins (px) that hold everything plotly puts around the bars, for a chart `width` px wide, and
  // the y title's text broken into lines as long as the bars are high (yTitleLines).
  function fittingMargins(figure, width) {
    var layout = figure.layout;
    var family = (layout.font || {}).family || "sans-serif";
    var size = (layout.font || {}).size || 12;
    var yaxis = layout.yaxis || {};
    var left = MARGIN;
    if (yaxis.showticklabels !== false) {
      left = Math.ceil(textWidth(widestYLabel(figure), size, family) + Y_TITLE);
    }
    var plotWidth = width - left - MARGIN;
    var years = ((layout.xaxis || {}).categoryarray || []).length || 1;
    var yearWidth = textWidth("0000", size, family);
    var bottom = plotWidth / years < yearWidth * 1.1 ? Math.ceil(yearWidth + X_LABELS.turned) : X_LABELS.flat;
    var top = MARGIN;
    if (layout.showlegend && figure.data.length) {
      var legendSize = ((layout.legend || {}).font || {}).size || size;
      var row = Math.max(legendSize * 1.3, 16) + 3;
      var legendHeight = LEGEND.padding + row * legendRows(figure, plotWidth, legendSize, family);
      // The legend's foot at y (a fraction of the bars' height above their foot), its head in the margin.
      var y = (layout.legend || {}).y || 1;
      top = Math.ceil((legendHeight + (y - 1) * ((layout.height || 380) - bottom)) / y);
    }
    var title = yaxis.title || {};
    var yTitle = title.text || "";
    if (yTitle && yaxis.showticklabels !== false) {
      var titleSize = (title.font || {}).size || size;
      // Centred on the bars, the title may reach into the margins above and below them as far as
      // the smaller of the two goes on both sides.
      var bars = (layout.height || 380) - top - bottom;
      var lines = yTitleLines(title, bars + 2 * Math.min(top, bottom) - MARGIN, family);
      yTitle = lines.join("<br>");
      left += Math.ceil((lines.length - 1) * titleSize * Y_TITLE_LINE);
    }
    return { l: left, r: MARGIN, t: top, b: bottom, yTitle: yTitle };
  }

  // The margins plotly takes from fittingMargins' answer (its yTitle goes to the y axis).
  function marginOf(fitted) {
    return { l: fitted.l, r: fitted.r, t: fitted.t, b: fitted.b };
  }

  function mark(id) {
    performance.mark("tcdash:chart-drawn", { detail: id });
  }

  function draw(chart) {
    var target = chart.target;
    var width = chart.width;
    var figure = JSON.parse(chart.spec.textContent);
    var config = Object.assign({}, CONFIG, figure.config || {});
    if (width < 520 && figure.layout && figure.layout.showlegend) {
      // On a phone the legend wraps onto more lines: give the bars back the height it takes.
      figure.layout.height = (figure.layout.height || 380) + 80;
      figure.layout.legend = Object.assign({}, figure.layout.legend, { font: { size: 11 } });
    }
    config.toImageButtonOptions = { filename: target.id };
    if (REDUCED_MOTION.matches) {
      // Nothing slides or fades for someone who asked the system for less motion.
      figure.layout = Object.assign({}, figure.layout, { transition: { duration: 0 } });
    }
    var fitted = fittingMargins(figure, width);
    figure.layout.margin = marginOf(fitted);
    if (figure.layout.yaxis && figure.layout.yaxis.title) {
      figure.layout.yaxis.title.text = fitted.yTitle;
    }
    var drawn = window.Plotly.newPlot(target, figure.data, figure.layout, config);
    // newPlot has set up the chart's events; its plotly_afterplot comes once the promise settles.
    target.on("plotly_afterplot", function () {
      mark(target.id);
    });
    drawn.then(function (plot) {
      target.classList.add("is-drawn");
      fit(plot, PRINT.matches); // a page opened for printing (headless print to PDF)
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

  // Every chart at once, without waiting for anything: the widths are read first, in one layout of
  // the page, so that drawing one chart never makes the browser lay the page out again for the next.
  function drawAll() {
    if (!window.Plotly) {
      return;
    }
    var specs = document.querySelectorAll('script[type="application/json"][id$="-chart-spec"]');
    var charts = Array.prototype.map.call(specs, function (spec) {
      var target = document.getElementById(spec.id.replace(/-spec$/, ""));
      return { spec: spec, target: target, width: target ? target.clientWidth : 0 };
    });
    charts.filter(function (chart) { return chart.target; }).forEach(draw);
  }

  // The chart on the sheet: its width, margins that hold its legend there (fittingMargins), and the
  // height of those margins around bars at least SHEET.bars high, the whole legend shown.
  function sheetLayout(chart) {
    var figure = { data: chart.data, layout: Object.assign({}, chart.layout, { height: SHEET.height }) };
    var fitted = fittingMargins(figure, SHEET.width);
    var height = Math.max(SHEET.height, fitted.t + fitted.b + SHEET.bars);
    if (height !== SHEET.height) {
      // Higher for its legend: the bars are higher too, and the y title's lines as long as they are.
      figure.layout.height = height;
      fitted = fittingMargins(figure, SHEET.width);
    }
    var layout = { width: SHEET.width, height: height, margin: marginOf(fitted), "legend.maxheight": 1 };
    if (fitted.yTitle) {
      layout["yaxis.title.text"] = fitted.yTitle;
    }
    return layout;
  }

  function fit(chart, printing) {
    if (printing && chart.dataset.screenHeight === undefined) {
      chart.dataset.screenHeight = chart.layout.height || "";
      chart.dataset.screenMargin = JSON.stringify(chart.layout.margin || {});
      chart.dataset.screenYTitle = ((chart.layout.yaxis || {}).title || {}).text || "";
      window.Plotly.relayout(chart, sheetLayout(chart));
    } else if (!printing && chart.dataset.screenHeight !== undefined) {
      var height = Number(chart.dataset.screenHeight) || null;
      var margin = JSON.parse(chart.dataset.screenMargin);
      var screen = {
        width: null,
        height: height,
        autosize: true,
        margin: margin,
        "legend.maxheight": null,
      };
      if (chart.dataset.screenYTitle) {
        screen["yaxis.title.text"] = chart.dataset.screenYTitle;
      }
      delete chart.dataset.screenHeight;
      delete chart.dataset.screenMargin;
      delete chart.dataset.screenYTitle;
      window.Plotly.relayout(chart, screen);
    }
  }

  function fitAll(printing) {
    Array.prototype.forEach.call(document.querySelectorAll(".chart.is-drawn"), function (chart) {
      fit(chart, printing);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  // Printing changes the page width; redraw the charts to fit the paper, and back after. The print
  // dialog fires beforeprint; print emulation (a PDF printed headless) changes the print media query.
  window.addEventListener("beforeprint", function () {
    fitAll(true);
  });
  window.addEventListener("afterprint", function () {
    fitAll(false);
  });
  PRINT.addEventListener("change", function (event) {
    fitAll(event.matches);
  });
})();
