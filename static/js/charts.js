/* Draws every .plotly-chart of the page from its JSON figure and config
   (templates/macros/charts.html). plotly.js (static/vendor/plotly, ES modules) is loaded only
   here, after the page's first paint, and only when a chart comes into view (or every chart at
   once with data-draw-all, and before printing): the basic bundle, or the geographic one for a
   chart marked data-geo (both share their core, loaded once). Charts are drawn one at a time,
   each in its own task, so the page stays responsive. Clicking a point whose customdata is a
   same-site path opens it. */
(function () {
  "use strict";
  var me = document.currentScript;
  var bundles = {};
  var queue = Promise.resolve();
  function plotly(geo) {
    var url = me.getAttribute(geo ? "data-plotly-geo" : "data-plotly");
    if (!bundles[url]) {
      bundles[url] = import(url).then(function (module) {
        window.Plotly = module["default"];  // the print page's dashboard-print.js uses it
        return window.Plotly;
      });
    }
    return bundles[url];
  }
  function nextTask() {
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
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
      return queue;
    }
    div.setAttribute("data-drawing", "1");
    queue = queue.then(function () { return plotly(div.hasAttribute("data-geo")); }).then(function (Plotly) {
      return nextTask().then(function () { return Plotly; });  // running plotly.js and drawing: two tasks
    }).then(function (Plotly) {
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
    })["catch"](function (error) {
      div.removeAttribute("data-drawing");
      if (window.console) { window.console.error(error); }
    });
    return queue;
  }
  function start() {
    var charts = Array.prototype.slice.call(document.querySelectorAll(".plotly-chart"));
    window.addEventListener("beforeprint", function () { charts.forEach(draw); });
    if (me.hasAttribute("data-draw-all") || !("IntersectionObserver" in window)) {
      charts.forEach(draw);
      return;
    }
    // a chart is drawn once it is on the screen by more than its empty top margin (48 px)
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target);
        }
      });
    }, {rootMargin: "0px 0px -48px 0px"});
    charts.forEach(function (chart) { observer.observe(chart); });
  }
  // after the load event and the next frame: the page is painted before any chart is drawn
  function afterPaint() {
    window.requestAnimationFrame(function () { setTimeout(start, 0); });
  }
  if (document.readyState === "complete") {
    afterPaint();
  } else {
    window.addEventListener("load", afterPaint);
  }
})();
