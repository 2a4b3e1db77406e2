"""The OpenAPI description of /api/v1 covers every API route (also those a domain adds
later), is served with a local browsable page, and schemathesis finds no server
error and no answer outside its documented shape."""
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi import checks as openapi_checks

from consortium.auth.services import create_api_token, get_user_by_email
from consortium.extensions import db
from tests.route_walk import fresh_request_globals


def _described(spec):
    return {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}


def _api_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                yield path, method


def test_every_api_route_is_in_the_description(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    missing = set(_api_rules(app)) - _described(spec)
    assert not missing, f"not described: {sorted(missing)}"
    create = spec["paths"]["/api/v1/resources"]["post"]
    body = spec["components"]["schemas"][create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                                         .rsplit("/", 1)[1]]
    assert body["properties"]["record_count"]["type"] == ["integer", "null"]
    assert set(body["required"]) >= {"code", "title", "domain"}
    detail = spec["paths"]["/api/v1/resources/{resource_id}"]
    assert detail["parameters"][0]["schema"]["maximum"] == 2**31 - 1
    assert detail["get"]["operationId"] == "catalog_api.detail.get"


BODILESS = {("/api/v1/access-requests/{request_id}/withdraw", "post"), ("/api/v1/jobs/{job_id}/cancel", "post"),
            ("/api/v1/notifications/{notification_id}/read", "post"),
            ("/api/v1/harvest-sources/{source_id}/run", "post")}  # the act itself: nothing to send


def test_every_write_describes_the_body_it_reads(client):
    """Each POST/PUT/PATCH of the API says what it reads (the bodies come from the entities'
    definitions); only an act that reads nothing goes without, and says so in its summary."""
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if method not in ("post", "put", "patch"):
                continue
            if (path, method) in BODILESS:
                assert "requestBody" not in op and "no body" in op["summary"]
                continue
            assert "requestBody" in op, f"{method.upper()} {path} does not describe its body"
            ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
            assert schemas[ref]["properties"], ref
    # the access request's body is its definition, strict (other keys are refused); the owner's
    # answer and an authorisation application admit keys they do not read
    access = schemas["AccessRequestCreateBody"]
    assert set(access["properties"]) == {"purpose", "scenario", "period_start", "period_end"}
    assert access["required"] == ["purpose"] and access["additionalProperties"] is False
    # an approval grants terms, a period, a delivery (a data space of the register, an API, a file
    # exchange) and a contact; delivery and receipt carry a note
    assert set(schemas["AccessDecisionBody"]["properties"]) == {
        "approve", "reason", "terms", "granted_from", "granted_until", "delivery_method", "delivery_space_id",
        "delivery_detail", "contact"}
    assert set(schemas["AccessStepBody"]["properties"]) == {"note"}
    application = schemas["AuthorisationApplicationBody"]
    assert {"resources", "scope", "authority", "reference_no", "submitted_on", "attachments"} == set(
        application["properties"]) and set(application["required"]) == {"resources", "authority"}
    assert application["properties"]["attachments"]["type"] == "array"


def test_a_route_added_later_is_described_with_its_schemas():
    from marshmallow import Schema, fields

    from consortium import create_app
    from consortium.config import TestConfig
    from consortium.core.api import Blueprint

    class Answer(Schema):
        dossier = fields.String(required=True)

    other = create_app(TestConfig)
    bp = Blueprint("later_api", __name__, url_prefix="/api/v1")

    @bp.route("/dossiers/<int:dossier_id>")
    @bp.response(200, Answer)
    def dossier(dossier_id):
        """A later domain's route."""
        return {"dossier": str(dossier_id)}
    other.extensions["cdou_api"].register_blueprint(bp)
    client = other.test_client()
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/dossiers/{dossier_id}"]["get"]
    assert operation["summary"] == "A later domain's route."
    assert spec["paths"]["/api/v1/dossiers/{dossier_id}"]["parameters"][0]["schema"]["maximum"] == 2**31 - 1
    assert spec["components"]["schemas"]["Answer"]["properties"]["dossier"]["type"] == "string"
    assert set(_api_rules(other)) <= _described(spec)
    assert client.get("/api/v1/dossiers/7").get_json() == {"dossier": "7"}


def test_browsable_page_is_served_from_this_host(client):
    html = client.get("/api/docs/").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert "/api/docs/swagger-ui-bundle.js" in scripts and 'data-spec-url="/api/v1/openapi.json"' in html
    for url in scripts + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
        assert url.startswith("/")
        response = client.get(url)
        assert response.status_code == 200 and len(response.get_data()) > 200


CHECKS = [openapi_checks.status_code_conformance, openapi_checks.content_type_conformance,
          openapi_checks.response_schema_conformance]
EXAMPLES = 15  # per operation: the whole run takes about a minute


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_shape_outside_the_description(app, demo):
    """Every operation, as the secretariat (who may call every write), with generated input:
    no 5xx, and every answer's status, content type and body as described."""
    api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    _t, raw = create_api_token(None, get_user_by_email("secretariat@cdou.example"), "schemathesis")
    db.session.commit()
    # identity: the answers as described, not compressed (Flask-Compress honours the header)
    headers = {"Authorization": f"Bearer {raw}", "Accept-Encoding": "identity"}
    failures, calls = [], []
    for result in api.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
        def run(case):
            fresh_request_globals()
            response = case.call(headers=headers)
            calls.append(response.status_code)
            try:
                assert response.status_code < 500, response.text[:300]
                case.validate_response(response, checks=CHECKS)
            finally:
                db.session.rollback()
        try:
            run()
        except Exception as e:  # noqa: BLE001 - collect every operation's failure, then report all
            failures.append(f"{operation.method.upper()} {operation.path}: {str(e)[:1500]}")
    assert len(calls) > 20 * EXAMPLES // 2
    assert not failures, "\n\n".join(failures)


@pytest.mark.browser
def test_swagger_ui_renders_every_operation_without_leaving_the_host(page, client):
    operations = sum(len([m for m in ops if m != "parameters"])  # path-level parameters are not an operation
                     for ops in client.get("/api/v1/openapi.json").get_json()["paths"].values())
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() == operations
    assert "CDOU portal API" in page.inner_text("body")
    assert page.outside_requests == []


def test_every_answer_has_its_shape_and_the_parameters_a_view_needs_are_required(client):
    """No answer is a bare ``type: object``; the lists declare page and per_page; the query
    parameters without which a view answers 400 are marked required."""
    spec = client.get("/api/v1/openapi.json").get_json()
    query, ids = {}, set()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            ids.add(op["operationId"])
            ok = next(v for k, v in op["responses"].items() if k.startswith("2"))
            if "application/json" not in ok["content"]:  # a file: its bytes
                assert ok["content"] == {"*/*": {"schema": {"type": "string", "format": "binary"}}}, (method, path)
                continue
            schema = ok["content"]["application/json"]["schema"]
            assert "$ref" in schema or schema.get("properties"), (method, path, schema)
            query[(method, path)] = {p["name"]: p.get("required", False) for p in op.get("parameters", [])
                                     if p["in"] == "query"}
    assert len(ids) == sum(len([m for m in item if m != "parameters"]) for item in spec["paths"].values())
    for path in ("/api/v1/members", "/api/v1/cities", "/api/v1/resources", "/api/v1/scenarios",
                 "/api/v1/agreements", "/api/v1/negotiations", "/api/v1/certificates", "/api/v1/notifications"):
        assert {"page", "per_page"} <= set(query[("get", path)]), path
    assert query[("get", "/api/v1/negotiations/{dossier_id}/diff")] == {"from": True, "to": True}
    # a body or a city is asked (the service names the one missing)
    assert query[("get", "/api/v1/recognition/check")] == {"certificate": True, "body": False, "city": False,
                                                           "issuer": False, "date": False}
    assert query[("get", "/api/v1/certificates/verify")] == {"number": True, "credit_code": False}
    assert {"kind", "needs_action", "unread"} <= set(query[("get", "/api/v1/notifications")])
    assert {"state", "status", "number"} <= set(query[("get", "/api/v1/certificates")])
    assert query[("get", "/api/v1/pricing-models/{model_id}/calculate")]["amount"] is True
    assert {"role", "status"} <= set(query[("get", "/api/v1/access-requests")])
