/* Forms inside an element marked data-inplace (the dashboard composer's panels: add, remove,
   move, save) are sent without reloading the page: the answer — the page the form leads to —
   replaces that element and the flashed messages (#flashes), and the pickers of the new content
   are set up again. Without JavaScript, or when the answer is not such a page, the form posts
   and the page loads as usual. */
(function () {
  "use strict";
  function replace(doc, id) {
    var fresh = doc.getElementById(id), old = document.getElementById(id);
    if (fresh && old) {
      old.replaceWith(document.importNode(fresh, true));
    }
    return document.getElementById(id);
  }
  document.addEventListener("submit", function (event) {
    var form = event.target, region = form.closest && form.closest("[data-inplace]");
    if (!region || !region.id || !window.fetch || (form.method || "").toLowerCase() !== "post") return;
    event.preventDefault();
    var body = new FormData(form, event.submitter || undefined);
    fetch(form.action, {method: "POST", body: body, credentials: "same-origin"}).then(function (response) {
      return response.text().then(function (text) { return {response: response, text: text}; });
    }).then(function (answer) {
      var doc = new DOMParser().parseFromString(answer.text, "text/html");
      if (!doc.getElementById(region.id)) {  // another page (an error, a sign-in): show it
        window.location.assign(answer.response.url);
        return;
      }
      replace(doc, "flashes");
      var fresh = replace(doc, region.id);
      if (window.cdouPickers) window.cdouPickers(fresh);
      var flash = document.querySelector("#flashes .alert");
      (flash || fresh).setAttribute("tabindex", "-1");
      (flash || fresh).focus();
    })["catch"](function () { form.submit(); });
  });
})();
