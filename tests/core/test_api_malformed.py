"""Malformed input never reaches a 500, on every route of /api/v1 (read from its OpenAPI
description, so a route added later is swept too): the shapes an outside fuzz sent — superscript
and other non-ASCII digits, 20-digit and 0 ids, a bare string or number for a body, a value of the
wrong JSON type for each field, a 64-bit version — each answer a described refusal (400 naming
the field, or 404 for an id no row can have), TRACE answers 405 with ``Allow``, and no row is
written by any of them."""
import re

import pytest
from sqlalchemy import func, select

from consortium.auth.services import create_api_token, get_user_by_email
from consortium.extensions import db
from tests.route_walk import first_ids, fresh_request_globals

BAD_DIGITS = ["²²²²", "٣", "１２", "12345678901234567890", "0", "-1", "1.5", ""]
WRONG_TYPE = {"string": 12345, "integer": "一二三", "number": "一二三", "boolean": "yes", "array": "单个",
              "object": ["列表"]}
BIG = 2**63  # a 64-bit number where a version or an id is expected


def _token(who="secretariat"):
    _t, raw = create_api_token(None, get_user_by_email(f"{who}@cdou.example"), "fuzz")
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def _rows() -> dict:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables
            if t.name not in ("api_tokens",)}


def _operations(spec):
    for path, item in spec["paths"].items():
        path_params = [p["name"] for p in item.get("parameters", [])]
        for method, op in item.items():
            if method == "parameters":
                continue
            yield path, path_params, method, op


def _fill(path, args):
    return re.sub(r"\{([^}]+)\}", lambda m: str(args[m.group(1)]), path)


def _body_schema(spec, op):
    ref = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else None


def _type(prop) -> str | None:
    kind = prop.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    return kind


def _refused(response, what):
    assert response.status_code < 500, (what, response.status_code, response.get_data(as_text=True)[:300])
    assert response.status_code != 405, what  # every method a route has is answered, never an undescribed 405
    assert response.status_code != 401, what  # the caller's token is read on every call (a fresh ``g`` each)
    if response.status_code >= 400:
        assert response.is_json and "message" in response.get_json()["error"], what
    return response


@pytest.mark.slow
@pytest.mark.parametrize("who", ["secretariat", "qingdao"])  # a member's user gets past the member-only checks
def test_every_route_refuses_every_malformed_shape_without_a_500_and_writes_nothing(app, client, demo, who):
    spec = client.get("/api/v1/openapi.json").get_json()
    headers, args = _token(who), first_ids()
    rows = _rows()
    calls = 0
    for path, path_params, method, op in _operations(spec):
        fresh_request_globals()  # each call as its own request: the caller is loaded from its token
        url = _fill(path, args)
        call = getattr(client, method)
        # an id no row can have: 20 digits, 0, a superscript or other non-ASCII digit → 404
        for name in path_params:
            if "{" + name + "}" in path and isinstance(args[name], int):
                for bad in ("12345678901234567890", "0", "²", "٣", "１"):
                    what = (method, path, name, bad)
                    answer = _refused(call(_fill(path, {**args, name: bad}), headers=headers, json={}), what)
                    assert answer.status_code == 404, what
                    calls += 1
        # every query parameter it declares, and page/per_page on every read, with non-ASCII digits
        query = [p for p in op.get("parameters", []) if p["in"] == "query"]
        for name in {p["name"] for p in query} | ({"page", "per_page"} if method == "get" else set()):
            for bad in BAD_DIGITS:
                what = (method, path, name, bad)
                answer = _refused(call(url, query_string={name: bad}, headers=headers), what)
                if answer.status_code == 400 and name in {p["name"] for p in query}:
                    assert answer.get_json()["error"].get("field") in (name, "body", *{p["name"] for p in query}), what
                calls += 1
        if method not in ("post", "put", "patch"):
            continue
        # bodies that are not objects, and a field of each described kind given the wrong type
        for bad in ("一段文字", 42, [1, 2], None, True):
            what = (method, path, repr(bad))
            _refused(call(url, json=bad, headers=headers), what)
            calls += 1
        schema = _body_schema(spec, op) or {}
        for name, prop in schema.get("properties", {}).items():
            kind = _type(prop)
            for bad in ([WRONG_TYPE[kind]] if kind in WRONG_TYPE else []) + [BIG, -BIG, {"嵌套": 1}]:
                what = (method, path, name, repr(bad)[:40])
                answer = _refused(call(url, json={name: bad}, headers=headers), what)
                if answer.status_code == 400:
                    assert answer.get_json()["error"].get("field"), what
                calls += 1
        for name in ("version", "base_version", "expected_version"):
            _refused(call(url, json={name: BIG}, headers=headers), (method, path, name))
            calls += 1
    assert calls > 1000
    db.session.rollback()
    db.session.expire_all()
    after = _rows()
    assert {t: (rows[t], n) for t, n in after.items() if n != rows[t]} == {}  # no refused call wrote a row


def test_the_outside_fuzzs_own_findings(client, demo):
    """The inputs of the outside review that answered 500, one by one."""
    headers = _token()
    for url in ("/healthz?page=²²²²", "/members/?page=²²²²"):  # pages: the first page, never a 500
        assert client.get(url).status_code == 200, url
    for url in ("/api/v1/members?page=²²²²", "/api/v1/members?per_page=²", "/api/v1/cities?page=١"):
        answer = client.get(url)
        assert answer.status_code == 400, url
        if url.startswith("/api/"):
            assert answer.get_json()["error"]["field"] in ("page", "per_page"), url
    assert client.get("/d/none/compare?a=12345678901234567890").status_code in (400, 404)
    refused = client.post("/api/v1/agreements", json={"subject": "公交", "status": "signed", "members": ["fuzhou"],
                                                       "scenario_ids": ["²"]}, headers=headers)
    assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "scenario_ids"
    for body in ("同意", 7):
        answer = client.post("/api/v1/replications/1/authorisations", json=body, headers=headers)
        assert answer.status_code in (400, 403, 404)
        if answer.status_code == 400:
            assert answer.get_json()["error"]["field"] == "body"


def test_trace_is_405_with_allow_on_every_path(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    args = {"resource_id": 1}
    for path, item in spec["paths"].items():
        url = re.sub(r"\{([^}]+)\}", lambda m: str(args.get(m.group(1), 1)), path)
        answer = client.open(url, method="TRACE")
        assert answer.status_code == 405, path
        allowed = {m.strip() for m in answer.headers["Allow"].split(",")}
        assert {m.upper() for m in item if m != "parameters"} <= allowed, path
        assert "TRACE" not in allowed
