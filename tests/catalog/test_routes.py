"""The access-request (and licence page) routes walked as anonymous, the requester, a third member and the
secretariat (tests/core/test_routes.py walks the older resource-map routes)."""
import pytest

from consortium.auth.services import create_api_token
from consortium.catalog.access import services
from consortium.extensions import db
from tests.route_walk import url_of, walk_gets

# endpoint: GET status for (anonymous, requester 青岛, third member 温州, secretariat)
GET_ACCESS = {
    "catalog_access.new": (302, 302, 200, 403),  # 青岛 has an open request: sent to it; the secretariat is no member
    "catalog_access.index": (302, 200, 200, 200),
    "catalog_access.detail": (302, 200, 404, 200),
    "catalog_access_api.index": (401, 200, 200, 200),
    "catalog_access_api.detail": (401, 200, 404, 200),
    # the pages the catalogue's licence IRIs resolve to and the CKAN licence list: public
    "catalog_io.licence": (200, 200, 200, 200),
    "catalog_io.licences_json": (200, 200, 200, 200),
}
# writes, tested in tests/catalog/test_access.py and below
WRITES = {"catalog_access.approve", "catalog_access.decline", "catalog_access.deliver", "catalog_access.receipt",
          "catalog_access.withdraw", "catalog_access_api.create", "catalog_access_api.deliver",
          "catalog_access_api.receipt",
          "catalog_access_api.decide", "catalog_access_api.withdraw"}
ROLES = [None, "qd@cdou.example", "wz@cdou.example", "sec@cdou.example"]


@pytest.fixture
def walk(catalog, make_member, make_user):
    wz = make_member(name="温州大数据公司", city="温州", code="wenzhou")
    make_user("wz@cdou.example", member=wz)
    req = services.request_access(catalog["users"]["qd"], catalog["r"]["credit"], purpose="联合建模")
    db.session.commit()
    return {"resource_id": catalog["r"]["credit"].id, "request_id": req.id, "code": "open_terms"}


def _url(app, endpoint, args):
    return url_of(app, endpoint, args)


@pytest.mark.parametrize("role_index", range(4), ids=["anonymous", "requester", "third-member", "secretariat"])
def test_get_routes(app, browser, walk, role_index):
    walk_gets(browser, GET_ACCESS, ROLES, role_index, lambda endpoint: _url(app, endpoint, walk),
              login_redirect=False)


def test_writes_by_a_third_member_or_anonymous_change_nothing(app, client, browser, walk):
    from consortium.catalog.access.models import AccessRequest
    rid = walk["request_id"]
    for path in (f"/resources/access-requests/{rid}/decide", f"/resources/access-requests/{rid}/withdraw"):
        assert client.post(path, data={"approve": "1", "reason": "x"}).status_code == 400  # no CSRF token
    for path in (f"/api/v1/access-requests/{rid}/decision", f"/api/v1/access-requests/{rid}/withdraw"):
        assert client.post(path, json={"approve": True}).status_code == 401  # no session, no token
    browser.login("wz@cdou.example")
    token = create_api_token(None, db.session.get(AccessRequest, rid).requester_member.users[0], "t")[1]
    db.session.commit()
    page = browser.get("/resources/access-requests/").get_data(as_text=True)
    from tests.conftest import csrf_from
    csrf = csrf_from(page)
    assert client.post(f"/resources/access-requests/{rid}/decide",
                       data={"approve": "1", "csrf_token": csrf}).status_code == 404
    assert client.post(f"/resources/access-requests/{rid}/withdraw", data={"csrf_token": csrf}).status_code == 404
    assert client.post(f"/api/v1/access-requests/{rid}/decision", json={"approve": True},
                       headers={"X-CSRFToken": csrf}).status_code == 404
    db.session.expire_all()
    assert db.session.get(AccessRequest, rid).status == "pending"
    assert token  # the requester's token exists but was not used by the third member
