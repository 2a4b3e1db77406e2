/* Draws every .plotly-chart of the page from its JSON figure and config
   (templates/macros/charts.html). Clicking a point whose customdata is a
   same-site path opens it. */
(function () {
  "use strict";
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
    var figure = narrowed(read(div.dataset.figure), div.clientWidth || window.innerWidth);
    var config = read(div.dataset.config);
    window.Plotly.newPlot(div, figure.data || [], figure.layout || {}, config).then(function () {
      div.setAttribute("data-rendered", "1");
    });
    div.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var url = point && point.customdata;
      if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") {
        window.location.href = url;
      }
    });
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".plotly-chart"), draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
