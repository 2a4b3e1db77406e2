"""Every route of the dashboards domain as anonymous, member (青岛), transport lead
(厦门) and secretariat, on the demo data (the public "quarterly" dashboard)."""
import pytest
from sqlalchemy import func, select

from consortium.dashboards.models import Dashboard, DashboardPanel, Publication
from consortium.extensions import db
from tests.route_walk import endpoints_of, url_of, walk_gets

ALL_OK = (200, 200, 200, 200)
SECRETARIAT = (302, 403, 403, 200)

GET_ACCESS = {
    "dashboards.index": ALL_OK,
    "dashboards.new": SECRETARIAT,
    "dashboards.compose": SECRETARIAT,
    "dashboards.preview": SECRETARIAT,
    "dashboards.review_publication": SECRETARIAT,
    "dashboards.latest": ALL_OK,
    "dashboards.version": ALL_OK,
    "dashboards.print_version": ALL_OK,
    "dashboards.download": ALL_OK,
    "dashboards.compare": ALL_OK,
    "dashboards_api.index": ALL_OK,
    "dashboards_api.detail": ALL_OK,
    "dashboards_api.version": ALL_OK,
    "dashboards_api.draft": (401, 403, 403, 200),
}
# secretariat-only writes: (anonymous, member, lead) are refused and change nothing
WRITES = {
    "dashboards.new": (302, 403, 403),
    "dashboards.compose": (302, 403, 403),
    "dashboards.add_panel": (302, 403, 403),
    "dashboards.configure_panel": (302, 403, 403),
    "dashboards.move_panel": (302, 403, 403),
    "dashboards.remove_panel": (302, 403, 403),
    "dashboards.publish": (302, 403, 403),
    "dashboards.feature": (302, 403, 403),
    "dashboards.unpublish": (302, 403, 403),
    "dashboards.restore": (302, 403, 403),
    "dashboards_api.create": (401, 403, 403),
    "dashboards_api.update": (401, 403, 403),
    "dashboards_api.add_panel": (401, 403, 403),
    "dashboards_api.update_panel": (401, 403, 403),
}
API_METHODS = {"dashboards_api.update": "PATCH", "dashboards_api.update_panel": "PATCH"}
MEMBER_ACTIONS: set = set()
ROLES = [None, "qingdao@cdou.example", "xiamen@cdou.example", "secretariat@cdou.example"]


@pytest.fixture
def url_args(demo):
    dashboard = db.session.scalar(select(Dashboard).where(Dashboard.slug == "quarterly"))
    return {"slug": "quarterly", "version": 1, "index": 1, "fmt": "csv", "panel_id": dashboard.panels[1].id}


def _url(app, endpoint, args):
    return url_of(app, endpoint, args)


def test_every_dashboards_route_is_classified(app):
    assert endpoints_of(app, "dashboards") == set(GET_ACCESS) | set(WRITES)


@pytest.mark.parametrize("role_index", range(4), ids=["anonymous", "member", "lead", "secretariat"])
def test_get_routes(app, browser, url_args, role_index):
    walk_gets(browser, GET_ACCESS, ROLES, role_index, lambda endpoint: _url(app, endpoint, url_args))


def _state():
    panel_rows = db.session.execute(select(DashboardPanel.id, DashboardPanel.position, DashboardPanel.caption,
                                           DashboardPanel.filters).order_by(DashboardPanel.id)).all()
    return (db.session.scalar(select(func.count(Dashboard.id))), [tuple(map(str, r)) for r in panel_rows],
            db.session.execute(select(Publication.id, Publication.is_hidden).order_by(Publication.id)).all(),
            db.session.scalar(select(Dashboard.title).where(Dashboard.slug == "quarterly")))


@pytest.mark.parametrize("role_index", range(3), ids=["anonymous", "member", "lead"])
def test_writes_are_refused_and_change_nothing(app, browser, url_args, role_index):
    import re
    if ROLES[role_index]:
        browser.login(ROLES[role_index])
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      browser.get("/auth/account" if role_index else "/auth/login").get_data(as_text=True)).group(1)
    before = _state()
    data = {"csrf_token": token, "slug": "hijack", "title": "篡改", "kind": "openness", "step": "up",
            f"p{url_args['panel_id']}-caption": "篡改", "include_negotiations": "y"}
    for endpoint, expected in WRITES.items():
        if endpoint.startswith("dashboards_api."):  # JSON, with the session's CSRF token as a header
            method = API_METHODS.get(endpoint, "POST")
            response = browser.client.open(url_of(app, endpoint, url_args, method), method=method,
                                           headers={"X-CSRFToken": token},
                                           json={"slug": "hijack", "title": "篡改", "kind": "openness",
                                                 "caption": "篡改", "version": 1})
        else:
            response = browser.client.post(_url(app, endpoint, url_args), data=data)
        assert response.status_code == expected[role_index], (endpoint, ROLES[role_index])
    db.session.expire_all()
    assert _state() == before
