/* Rows edited in a table (tiers of a split: templates/negotiations/_tiers.html; a scenario's data
   needs: templates/scenarios/form.html): a button under each table[data-rows] adds a row without
   reloading the page, a copy of the last one emptied and numbered after the highest
   (<prefix>N-<field>; the server reads every number, in order). Without JavaScript the blank
   rows the page already holds add rows. The button's text is the table's data-add.
   A part marked data-shown-when="<field>" data-value="<v>" shows only while the form's <field>
   is <v> (the pricing form's table of the chosen kind); without JavaScript every part shows,
   with a note marked data-without-js, hidden here. */
(function () {
  "use strict";
  var NUMBER = /-(\d+)-(\w+)$/;

  function renumber(row, n) {
    Array.prototype.forEach.call(row.querySelectorAll("input, select"), function (field) {
      field.name = field.name.replace(NUMBER, "-" + n + "-$2");
      if (field.id) field.id = field.id.replace(NUMBER, "-" + n + "-$2");
      if (field.tagName === "SELECT") field.selectedIndex = 0;
      else field.value = "";
    });
  }

  function enhance(table) {
    var body = table.tBodies[0];
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-secondary mb-2 rows-add";
    button.textContent = table.getAttribute("data-add");
    button.addEventListener("click", function () {
      var highest = -1;
      Array.prototype.forEach.call(body.querySelectorAll("input, select"), function (field) {
        var m = field.name.match(NUMBER);
        if (m) highest = Math.max(highest, parseInt(m[1], 10));
      });
      var row = body.rows[body.rows.length - 1].cloneNode(true);
      renumber(row, highest + 1);
      body.appendChild(row);
      row.querySelector("input, select").focus();
    });
    table.parentNode.insertBefore(button, table.nextSibling);
  }

  function showWhen(part) {
    var field = part.form && part.form.elements[part.getAttribute("data-shown-when")];
    if (!field) return;
    function update() { part.hidden = field.value !== part.getAttribute("data-value"); }
    field.addEventListener("change", update);
    update();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-rows]"), enhance);
    Array.prototype.forEach.call(document.querySelectorAll("[data-shown-when]"), showWhen);
    Array.prototype.forEach.call(document.querySelectorAll("[data-without-js]"), function (note) { note.hidden = true; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
