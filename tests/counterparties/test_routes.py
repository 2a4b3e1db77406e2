"""Counterparty pages as anonymous, member (青岛), lead (厦门) and secretariat."""
import pytest
from sqlalchemy import select

from consortium.counterparties.models import Counterparty
from consortium.extensions import db
from tests.route_walk import url_of, walk_gets

ALL_OK = (200, 200, 200, 200)
SECRETARIAT = (302, 403, 403, 200)

GET_ACCESS = {
    "counterparties.index": ALL_OK,
    "counterparties.detail": ALL_OK,
    "counterparties.manage": SECRETARIAT,
    "counterparties.edit": SECRETARIAT,
    "counterparties_api.index": ALL_OK,
    "counterparties_api.detail": ALL_OK,
}
WRITES = {"counterparties.add_contact": ("POST", (302, 403, 403)),
          "counterparties.remove_contact": ("POST", (302, 403, 403))}
ROLES = [None, "qingdao@cdou.example", "xiamen@cdou.example", "secretariat@cdou.example"]


@pytest.fixture
def url_args(demo):
    return {"counterparty_id": db.session.scalar(select(Counterparty.id)), "contact_id": 1}


def _url(app, endpoint, args):
    return url_of(app, endpoint, args)


@pytest.mark.parametrize("role_index", range(4), ids=["anonymous", "member", "lead", "secretariat"])
def test_get_routes(app, browser, url_args, role_index):
    responses = walk_gets(browser, GET_ACCESS, ROLES, role_index, lambda endpoint: _url(app, endpoint, url_args),
                          login_redirect=False)
    for endpoint, response in responses.items():
        if response.status_code == 200 and "api" not in endpoint:
            assert "蚂蚁集团" in response.get_data(as_text=True), endpoint


@pytest.mark.parametrize("role_index", range(3), ids=["anonymous", "member", "lead"])
def test_writes_refused(app, browser, url_args, role_index):
    if ROLES[role_index]:
        browser.login(ROLES[role_index])
    page = browser.get("/auth/login" if not role_index else "/auth/account").get_data(as_text=True)
    from tests.conftest import csrf_from
    token = csrf_from(page)
    for endpoint, (method, expected) in WRITES.items():
        response = browser.client.open(_url(app, endpoint, url_args), method=method,
                                       data={"csrf_token": token, "name": "篡改"})
        assert response.status_code == expected[role_index], endpoint
    assert db.session.get(Counterparty, url_args["counterparty_id"]).contacts == []
