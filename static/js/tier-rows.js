/* Tier rows (templates/negotiations/_tiers.html): a button under each tier table adds a row
   without reloading the page, numbered after the highest row (the server reads every number,
   in order). Without JavaScript the blank rows the page already holds add tiers. */
(function () {
  "use strict";
  var script = document.currentScript;
  var addText = script.getAttribute("data-add") || "Add a tier";

  function renumber(row, n) {
    Array.prototype.forEach.call(row.querySelectorAll("input"), function (input) {
      input.name = input.name.replace(/tier-\d+-/, "tier-" + n + "-");
      if (input.id) input.id = input.id.replace(/tier-\d+-/, "tier-" + n + "-");
      input.value = "";
    });
  }

  function enhance(table) {
    var body = table.tBodies[0];
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-secondary mb-2 tier-add";
    button.textContent = addText;
    button.addEventListener("click", function () {
      var rows = body.rows;
      var highest = -1;
      Array.prototype.forEach.call(body.querySelectorAll("input"), function (input) {
        var m = input.name.match(/tier-(\d+)-/);
        if (m) highest = Math.max(highest, parseInt(m[1], 10));
      });
      var row = rows[rows.length - 1].cloneNode(true);
      renumber(row, highest + 1);
      body.appendChild(row);
      row.querySelector("input").focus();
    });
    table.parentNode.insertBefore(button, table.nextSibling);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-tier-rows]"), enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
