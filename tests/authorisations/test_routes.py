"""The authorisation routes as anonymous, member (青岛), transport lead (厦门) and secretariat,
on the demo data: 杭州's submitted application for 交通出行“一码通城” (transport group)."""
import pytest
from sqlalchemy import func, select

from consortium.authorisations.models import AuthorisationApplication
from consortium.extensions import db
from consortium.scenarios.models import Replication
from tests.route_walk import endpoints_of, url_of, walk_gets

SIGNED_IN = (302, 200, 200, 200)
API_SIGNED_IN = (401, 200, 200, 200)
GET_ACCESS = {
    "authorisations.replication": SIGNED_IN,
    "authorisations.withdraw": (302, 403, 200, 200),  # the confirmation page: writers only
    "authorisations_api.applications": API_SIGNED_IN,
}
# POST by anonymous, 青岛 (no writer there) and 宁波 (lead of another group): nothing written
WRITES = {
    "authorisations.submit": (302, 403, 403),
    "authorisations.decide": (302, 403, 403),
    "authorisations.withdraw": (302, 403, 403),
    "authorisations_api.submit": (401, 403, 403),
}
ROLES = [None, "qingdao@cdou.example", "xiamen@cdou.example", "secretariat@cdou.example"]
WRITE_ROLES = [None, "qingdao@cdou.example", "ningbo@cdou.example"]


@pytest.fixture
def url_args(demo):
    app = db.session.scalar(select(AuthorisationApplication).where(AuthorisationApplication.status == "submitted"))
    assert app.replication.member.code == "hangzhou"
    return {"replication_id": app.replication_id, "application_id": app.id}


def _url(app, endpoint, args):
    return url_of(app, endpoint, args)


def test_every_authorisation_route_is_classified(app):
    assert endpoints_of(app, "authorisations") == set(GET_ACCESS) | set(WRITES)


@pytest.mark.parametrize("role_index", range(4), ids=["anonymous", "member", "lead", "secretariat"])
def test_get_routes(app, browser, url_args, role_index):
    walk_gets(browser, GET_ACCESS, ROLES, role_index, lambda endpoint: _url(app, endpoint, url_args),
              login_redirect=False)


@pytest.mark.parametrize("role_index", range(3), ids=["anonymous", "member", "lead-of-another-group"])
def test_writes_change_nothing_without_permission(app, browser, url_args, role_index):
    import re
    if WRITE_ROLES[role_index]:
        browser.login(WRITE_ROLES[role_index])
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      browser.get("/auth/account" if role_index else "/auth/login").get_data(as_text=True)).group(1)
    before = db.session.execute(select(AuthorisationApplication.id, AuthorisationApplication.status)
                                .order_by(AuthorisationApplication.id)).all()
    data = {"csrf_token": token, "resources": "篡改", "authority": "篡改", "submitted_on": "2025-10-01",
            "decided_on": "2025-10-02", "withdrawn_on": "2025-10-02", "approve": "1", "note": "篡改"}
    for endpoint, expected in WRITES.items():
        url = _url(app, endpoint, url_args)
        if "_api." in endpoint:
            response = browser.client.post(url, json=data, headers={"X-CSRFToken": token})
        else:
            response = browser.client.post(url, data=data)
        assert response.status_code == expected[role_index], (endpoint, WRITE_ROLES[role_index])
    db.session.expire_all()
    after = db.session.execute(select(AuthorisationApplication.id, AuthorisationApplication.status)
                               .order_by(AuthorisationApplication.id)).all()
    assert after == before
    assert db.session.scalar(select(func.count(Replication.id))) > 0
