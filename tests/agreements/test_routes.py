"""Every agreement route as anonymous, member (青岛, party to the first demo
agreement), transport lead (厦门, no party) and secretariat; writes by outsiders
change nothing. A new route must be classified here (tests/core/test_routes.py)."""
import pytest
from sqlalchemy import select

from consortium.agreements.models import Agreement, AgreementParty
from consortium.extensions import db
from tests.route_walk import endpoints_of, url_of, walk_gets

ALL_OK = (200, 200, 200, 200)
GET_ACCESS = {
    "agreements.index": ALL_OK,
    "agreements.detail": ALL_OK,
    "agreements.new": (302, 200, 200, 200),
    "agreements.edit": (302, 200, 403, 200),
    "agreements_api.index": ALL_OK,
    "agreements_api.detail": ALL_OK,
}
# method and expected status for (anonymous, 宁波: a member that is no party)
WRITES = {
    "agreements.new": ("POST", (302, 200)),  # any member records one it is party to: the form again, nothing
    "agreements.edit": ("POST", (302, 403)),
    "agreements.confirm": ("POST", (302, 403)),
    "agreements_api.create": ("POST", (401, 400)),
    "agreements_api.update": ("PATCH", (401, 403)),
    "agreements_api.confirm": ("POST", (401, 403)),
}
ROLES = [None, "qingdao@cdou.example", "xiamen@cdou.example", "secretariat@cdou.example"]


@pytest.fixture
def url_args(demo):
    return {"agreement_id": db.session.scalar(select(Agreement.id).order_by(Agreement.id))}


def _url(app, endpoint, args):
    return url_of(app, endpoint, args)


def test_every_agreement_route_is_classified(app):
    assert endpoints_of(app, "agreements") == set(GET_ACCESS) | set(WRITES)


@pytest.mark.parametrize("role_index", range(4), ids=["anonymous", "party", "no-party", "secretariat"])
def test_get_routes(app, browser, url_args, role_index):
    walk_gets(browser, GET_ACCESS, ROLES, role_index, lambda endpoint: _url(app, endpoint, url_args))


def _state():
    db.session.expire_all()
    return (tuple(db.session.execute(select(Agreement.id, Agreement.subject, Agreement.status, Agreement.is_public,
                                            Agreement.version).order_by(Agreement.id)).all()),
            tuple(db.session.execute(select(AgreementParty.id, AgreementParty.member_id,
                                            AgreementParty.confirmed_at).order_by(AgreementParty.id)).all()))


@pytest.mark.parametrize("who", [None, "ningbo@cdou.example"], ids=["anonymous", "no-party"])
def test_outsiders_change_nothing(app, browser, url_args, who):
    if who:
        browser.login(who)
    before = _state()
    page = browser.get("/agreements/new" if who else "/auth/login").get_data(as_text=True)
    from tests.conftest import csrf_from
    token = csrf_from(page)
    a = db.session.get(Agreement, url_args["agreement_id"])
    payload = {"subject": "篡改", "status": "ended", "members": ["ningbo"], "version": a.version,
               "is_public": False}
    for endpoint, (method, expected) in WRITES.items():
        url = _url(app, endpoint, url_args)
        if "_api." in endpoint:
            response = browser.client.open(url, method=method, json=payload, headers={"X-CSRFToken": token})
        else:
            response = browser.client.open(url, method=method, data={"csrf_token": token, "subject": "篡改",
                                                                      "status": "ended", "version": a.version})
        assert response.status_code == expected[0 if who is None else 1], (endpoint, who)
    assert _state() == before
