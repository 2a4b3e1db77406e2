"""Every route of the negotiations domain, on the demo data, as anonymous, member (青岛,
coordinator of the 信贷数据宝 dossier), lead of an unrelated group (厦门, not a
participant) and secretariat. A dossier one may not see is a 404, whoever asks."""
import pytest
from sqlalchemy import func, select

from consortium.extensions import db
from consortium.negotiations.models import (Amendment, Dossier, DossierEvent, Participant, PositionVersion,
                                            PricingModel, Signature, Stance, TermOutcome)
from tests.conftest import csrf_from
from tests.route_walk import endpoints_of, url_of, walk_gets

ALL_OK = (200, 200, 200, 200)
SIGNED_IN = (302, 200, 200, 200)
DOSSIER = (404, 200, 404, 200)
API_SIGNED_IN = (401, 200, 200, 200)

GET_ACCESS = {
    "negotiations.index": SIGNED_IN,
    "negotiations.new": SIGNED_IN,
    "negotiations.detail": DOSSIER,
    "negotiations.edit": DOSSIER,
    "negotiations.position": DOSSIER,
    "negotiations.versions": DOSSIER,
    "negotiations.version": DOSSIER,
    "negotiations.diff": DOSSIER,
    "negotiations.paper": DOSSIER,
    "negotiations.outcome": DOSSIER,
    "pricing.index": SIGNED_IN,
    "pricing.model": SIGNED_IN,
    "pricing.compare": SIGNED_IN,
    "pricing.new_model": SIGNED_IN,
    "pricing.edit_model": (302, 200, 403, 200),      # the source rule is 青岛's model
    "negotiations_api.index": API_SIGNED_IN,
    "negotiations_api.detail": DOSSIER,
    "negotiations_api.versions": DOSSIER,
    "negotiations_api.version": DOSSIER,
    "negotiations_api.diff": DOSSIER,
    "negotiations_api.stances": DOSSIER,
    "negotiations_api.amendments": DOSSIER,
    "negotiations_api.sign_on": DOSSIER,
    "negotiations_api.outcome": DOSSIER,
    "negotiations_api.pricing_models": API_SIGNED_IN,
    "negotiations_api.pricing_model": API_SIGNED_IN,
    "negotiations_api.calculate": API_SIGNED_IN,
}
QUERIES = {"negotiations.diff": "from=1&to=2", "negotiations_api.diff": "from=1&to=2",
           "negotiations_api.calculate": "amount=500000", "pricing.model": "amount=500000",
           "pricing.compare": "ids=1&ids=2&amount=1000000"}
# writes: expected status for (anonymous, 厦门 outsider, 温州 participant but not coordinator)
COORDINATOR_ONLY = (404, 404, 403)
PARTICIPANT = (404, 404, None)   # allowed to 温州: exercised in test_views / test_api
WRITES = {
    "negotiations.edit": COORDINATOR_ONLY,
    "negotiations.position": COORDINATOR_ONLY,
    "negotiations.outcome": COORDINATOR_ONLY,
    "negotiations.transition": COORDINATOR_ONLY,
    "negotiations.invite": COORDINATOR_ONLY,
    "negotiations.withdraw": COORDINATOR_ONLY,
    "negotiations.decide": COORDINATOR_ONLY,
    "negotiations.call_sign_on": COORDINATOR_ONLY,
    "negotiations.cancel_sign_on": COORDINATOR_ONLY,
    "negotiations.complete_sign_on": COORDINATOR_ONLY,
    "negotiations.respond": (404, 404, 404),         # no open invitation for anyone here
    "negotiations.stance": PARTICIPANT,
    "negotiations.propose": PARTICIPANT,
    "negotiations.sign": PARTICIPANT,
    "negotiations_api.save_version": (404, 404, 403),
    "negotiations_api.add_stance": PARTICIPANT,
    "negotiations_api.propose": PARTICIPANT,
    "negotiations_api.sign": PARTICIPANT,
    "negotiations.new": (302, None, None),
    "pricing.new_model": (302, None, None),
    "pricing.edit_model": (302, 403, 403),
}
MEMBER_ACTIONS = {"negotiations.stance", "negotiations.propose", "negotiations.sign", "negotiations.respond",
                  "negotiations_api.add_stance", "negotiations_api.propose", "negotiations_api.sign"}
ROLES = [None, "qingdao@cdou.example", "xiamen@cdou.example", "secretariat@cdou.example"]
WRITE_ROLES = [None, "xiamen@cdou.example", "wenzhou@cdou.example"]


@pytest.fixture
def url_args(demo):
    dossier = db.session.scalar(select(Dossier).where(Dossier.title.startswith("信贷数据宝")))
    return {"dossier_id": dossier.id, "number": 1, "model_id": db.session.scalar(select(PricingModel.id).order_by(
        PricingModel.id)), "amendment_id": db.session.scalar(select(Amendment.id).where(
            Amendment.dossier_id == dossier.id).order_by(Amendment.id))}


def _url(app, endpoint, args, method="GET"):
    url = url_of(app, endpoint, args, method)
    return f"{url}?{QUERIES[endpoint]}" if endpoint in QUERIES and method == "GET" else url


def test_every_negotiations_route_is_classified(app):
    assert endpoints_of(app, "negotiations", "pricing") == set(GET_ACCESS) | set(WRITES)


@pytest.mark.parametrize("role_index", range(4), ids=["anonymous", "member", "lead", "secretariat"])
def test_get_routes(app, browser, url_args, role_index):
    responses = walk_gets(browser, GET_ACCESS, ROLES, role_index, lambda endpoint: _url(app, endpoint, url_args))
    dossier_pages = {r.endpoint for r in app.url_map.iter_rules()
                     if r.endpoint.startswith("negotiations.") and "dossier_id" in r.arguments}
    for endpoint, response in responses.items():
        if response.status_code == 200 and endpoint in dossier_pages and response.mimetype == "text/html":
            assert "信贷数据宝" in response.get_data(as_text=True), endpoint  # the dossier's own page


def _state():
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in
                 (Amendment, DossierEvent, Participant, PositionVersion, PricingModel, Signature, Stance,
                  TermOutcome)) + (db.session.scalar(select(func.max(Dossier.updated_at))),)


@pytest.mark.parametrize("role_index", range(3), ids=["anonymous", "outsider", "participant"])
def test_writes_refused_and_nothing_written(app, browser, url_args, role_index):
    if WRITE_ROLES[role_index]:
        browser.login(WRITE_ROLES[role_index])
    token = csrf_from(browser.get("/auth/account" if role_index else "/auth/login").get_data(as_text=True))
    before = _state()
    form = {"csrf_token": token, "to_status": "abandoned", "member": "1", "reason": "篡改", "accept": "1",
            "signed": "1", "stance": "oppose", "term_key": "price_floor", "value": "1", "title": "篡改",
            "name": "篡改", "kind": "revenue_share", "schedule": "* 50 50", "base_version": "2"}
    for endpoint, expected in WRITES.items():
        if expected[role_index] is None:
            continue
        url = _url(app, endpoint, url_args, "POST")
        if "_api." in endpoint:
            response = browser.client.post(url, json={"base_version": 2, "terms": [], "stance": "oppose",
                                                      "term": "price_floor", "value": "1", "reason": "x",
                                                      "signed": True}, headers={"X-CSRFToken": token})
        else:
            response = browser.client.post(url, data=form)
        assert response.status_code == expected[role_index], (endpoint, WRITE_ROLES[role_index])
    db.session.expire_all()
    assert _state() == before
