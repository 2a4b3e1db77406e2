/* Draws every .plotly-chart of the page from its JSON figure and config
   (templates/macros/charts.html). Clicking a point whose customdata is a
   same-site path opens it. */
(function () {
  "use strict";
  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : {};
  }
  function draw(div) {
    var figure = read(div.dataset.figure);
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
