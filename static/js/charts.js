/* Draws every .plotly-chart of the page from its JSON figure and config
   (templates/macros/charts.html). plotly.js is loaded only here, once, when the first chart
   comes near the screen (or at once with data-draw-all, and before printing), so that it
   never delays the page's first paint. Clicking a point whose customdata is a same-site
   path opens it. */
(function () {
  "use strict";
  var me = document.currentScript;
  var loading = null;
  function plotly() {
    if (window.Plotly) {
      return Promise.resolve(window.Plotly);
    }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = me.getAttribute("data-plotly");
        script.nonce = me.nonce;
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }
  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : {};
  }
  function merge(target, patch) {
    Object.keys(patch).forEach(function (key) {
      var value = patch[key];
      if (value && typeof value === "object" && !Array.isArray(value) && target[key] && typeof target[key] === "object") {
        merge(target[key], value);
      } else {
        target[key] = value;
      }
    });
  }
  /* A figure may carry ``narrow``: {max_width, layout, traces: {index: props}} applied when the
     chart is narrower than max_width (phones): the figure says how it reads when small. */
  function narrowed(figure, width) {
    var narrow = figure.narrow;
    if (!narrow || width >= narrow.max_width) {
      return figure;
    }
    merge(figure.layout, narrow.layout || {});
    Object.keys(narrow.traces || {}).forEach(function (index) {
      var trace = figure.data[Number(index)];
      if (trace) {
        merge(trace, narrow.traces[index]);
      }
    });
    return figure;
  }
  function draw(div) {
    if (div.getAttribute("data-drawing")) {
      return Promise.resolve();
    }
    div.setAttribute("data-drawing", "1");
    return plotly().then(function (Plotly) {
      var figure = narrowed(read(div.dataset.figure), div.clientWidth || window.innerWidth);
      var config = read(div.dataset.config);
      // no mode bar: its buttons would be focusable controls inside an image; the data is in the table
      config.displayModeBar = false;
      config.displaylogo = false;
      config.locale = me.getAttribute("data-locale") || "zh-CN";
      return Plotly.newPlot(div, figure.data || [], figure.layout || {}, config).then(function () {
        div.setAttribute("data-rendered", "1");
        div.on("plotly_click", function (event) {
          var point = event && event.points && event.points[0];
          var url = point && point.customdata;
          if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") {
            window.location.href = url;
          }
        });
      });
    });
  }
  function start() {
    var charts = Array.prototype.slice.call(document.querySelectorAll(".plotly-chart"));
    window.addEventListener("beforeprint", function () { charts.forEach(draw); });
    if (me.hasAttribute("data-draw-all") || !("IntersectionObserver" in window)) {
      charts.forEach(draw);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target);
        }
      });
    }, {rootMargin: "100px"});
    charts.forEach(function (chart) { observer.observe(chart); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
