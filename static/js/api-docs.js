// The browsable /api/v1 description: Swagger UI over /api/v1/openapi.json (all files local).
(function () {
  var node = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({url: node.dataset.specUrl, dom_id: "#swagger-ui", deepLinking: true});
})();
