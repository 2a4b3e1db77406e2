/* Print page: once charts.js has drawn every figure, each is turned into a PNG
   with Plotly's own static rendering (Plotly.toImage, in the browser, no request
   leaves the machine) and replaces the live chart, so the printout is exact. */
(function () {
  "use strict";
  var WIDTH = 700;  // ≈ 186 mm at 96 dpi
  function ready(div) {
    return new Promise(function (resolve) {
      (function wait() { if (div.getAttribute("data-rendered")) { resolve(); } else { setTimeout(wait, 50); } })();
    });
  }
  function freeze(div) {
    return ready(div).then(function () {
      var height = div._fullLayout ? div._fullLayout.height : 360;
      return window.Plotly.toImage(div, {format: "png", width: WIDTH, height: height, scale: 2});
    }).then(function (url) {
      var img = document.createElement("img");
      img.src = url;
      img.className = "chart-image";
      img.alt = div.getAttribute("aria-label") || "";
      window.Plotly.purge(div);
      div.replaceWith(img);
    });
  }
  function start() {
    var charts = Array.prototype.slice.call(document.querySelectorAll(".plotly-chart"));
    Promise.all(charts.map(freeze)).then(function () {
      document.body.setAttribute("data-print-ready", "1");
      var button = document.getElementById("print-button");
      button.disabled = false;
      button.addEventListener("click", function () { window.print(); });
      document.getElementById("print-status").textContent = "";
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
