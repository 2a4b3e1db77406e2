"""Walks every registered route as anonymous, member, scenario-group lead and
secretariat and checks the outcome. A new route must be classified here."""
import re

import pytest
from sqlalchemy import select

from consortium.auth.models import ApiToken, User
from consortium.auth.services import create_api_token, get_user_by_email
from consortium.extensions import db
from tests.route_walk import url_of, walk_gets

ALL_OK = (200, 200, 200, 200)
SIGNED_IN = (302, 200, 200, 200)
SECRETARIAT = (302, 403, 403, 200)
API_SIGNED_IN = (401, 200, 200, 200)

# endpoint: expected GET status for (anonymous, member, lead, secretariat)
GET_ACCESS = {
    "portal.home": ALL_OK,
    "portal.set_language": (302, 302, 302, 302),
    "auth.login": (200, 302, 302, 302),
    "auth.account": SIGNED_IN,
    "members.index": ALL_OK,
    "members.detail": ALL_OK,
    "members.new": SECRETARIAT,
    "members.edit": SECRETARIAT,
    "members.new_user": SECRETARIAT,
    "members.reset_password": SECRETARIAT,
    "members.suspend": SECRETARIAT,  # the confirmation page
    "audit.export": SECRETARIAT,
    "portal.cities": ALL_OK,
    "portal.city": ALL_OK,
    "audit.index": SECRETARIAT,
    "auth_api.me": API_SIGNED_IN,
    "members_api.index": ALL_OK,
    "members_api.detail": ALL_OK,
    "geo_api.index": ALL_OK,
    "geo_api.detail": ALL_OK,
    "portal_api.city_overview": ALL_OK,
    "health.healthz": ALL_OK,
    "notifications.index": SIGNED_IN,
    # the resource map; resource_id is a NON-public entry of 温州大数据
    "catalog.index": ALL_OK,
    "catalog.detail": (404, 200, 200, 200),
    "catalog.new": SIGNED_IN,
    "catalog.edit": (302, 403, 403, 200),
    "catalog.retire": (302, 403, 403, 200),  # the confirmation page
    "catalog_api.index": ALL_OK,
    "catalog_api.detail": (404, 200, 200, 200),
    "catalog_io.import_form": SIGNED_IN,
    "catalog_io.import_template": ALL_OK,
    "catalog_io.export_csv": ALL_OK,
    "catalog_io.export_xlsx": ALL_OK,
    "catalog_io.catalog_jsonld": ALL_OK,
    "catalog_io.catalog_ttl": ALL_OK,
    "portal.favicon": ALL_OK,
    "catalog_io.resource_map": ALL_OK,
    "catalog_io.resource_matrix": ALL_OK,
    "catalog_io.who_has": ALL_OK,
    "openapi_spec.openapi_json": ALL_OK,
    "openapi.docs": ALL_OK,
    "openapi.docs_asset": ALL_OK,
}

# Write-only endpoints: method and expected status for (anonymous, member, lead)
# acting on another member's objects; the owners' and the secretariat's own use
# is covered by the feature tests
POST_ACCESS = {
    "auth.logout": ("POST", (302, 302, 302)),
    "auth.revoke_token": ("POST", (302, 404, 404)),
    "members.suspend": ("POST", (302, 403, 403)),
    "members.reinstate": ("POST", (302, 403, 403)),
    "members.set_user_enabled": ("POST", (302, 403, 403)),
    "catalog.retire": ("POST", (302, 403, 403)),
    "catalog.reinstate": ("POST", (302, 403, 403)),
    "catalog_api.create": ("POST", (401, 400, 400)),  # own member only; an empty body is refused
    "catalog_api.update": ("PATCH", (401, 403, 403)),
    "catalog_api.retire": ("DELETE", (401, 403, 403)),
    "catalog_io.import_upload": ("POST", (302, 400, 400)),  # no file: the form again, nothing written
    "catalog_io.import_confirm": ("POST", (302, 302, 302)),  # unknown or someone else's preview: back to the form
    "catalog_io.import_cancel": ("POST", (302, 302, 302)),
}

SKIP = {"static", "bootstrap.static"}
# Scenario-group writes on the transport group, its 两客一危 scenario and 福州's
# replication, by anonymous, 青岛 (not a writer there) and 宁波 (lead of another group)
SCENARIO_WRITES = {
    "scenarios.add_note": ("POST", (302, 403, 403)),
    "scenarios.change_stage": ("POST", (302, 403, 403)),
    "scenarios.edit_replication": ("POST", (302, 403, 403)),
    "scenarios.withdraw": ("POST", (302, 403, 403)),
    "scenarios.invite": ("POST", (302, 403, 403)),
    "scenarios.decide": ("POST", (302, 404, 404)),
    "scenarios.remove": ("POST", (302, 404, 404)),
    "scenarios.edit_group": ("POST", (302, 403, 403)),
    "scenarios.new_group": ("POST", (302, 403, 403)),
    "scenarios.new_scenario": ("POST", (302, 403, 403)),
    "scenarios.edit_scenario": ("POST", (302, 403, 403)),
    "scenarios_api.create_scenario": ("POST", (401, 403, 403)),
    "scenarios_api.start_replication": ("POST", (401, 403, 403)),
    "scenarios_api.update_replication": ("PATCH", (401, 403, 403)),
    "scenarios_api.add_event": ("POST", (401, 403, 403)),
}
# open to every member user by design (asking to join, one's own notifications and
# replications, recording an agreement one is party to): covered by tests/scenarios
MEMBER_ACTIONS = {"scenarios.join", "notifications.read", "scenarios.start_replication"}
ROLES = [None, "qingdao@cdou.example", "xiamen@cdou.example", "secretariat@cdou.example"]
WRITE_ROLES = [None, "qingdao@cdou.example", "ningbo@cdou.example"]


@pytest.fixture
def url_args(demo):
    other = get_user_by_email("wenzhou@cdou.example")
    token, _raw = create_api_token(None, other, "温州同步")
    db.session.commit()
    from consortium.catalog.models import DataResource
    hidden = db.session.scalar(select(DataResource.id).join(DataResource.member).where(
        DataResource.is_public.is_(False), DataResource.status == "active",
        DataResource.member.has(code="wenzhou")).order_by(DataResource.id).limit(1))
    assert hidden is not None, "the demo data gives 温州大数据 non-public entries"
    from consortium.scenarios.models import GroupMembership, Replication, Scenario
    scenario = db.session.scalar(select(Scenario).where(Scenario.title == "两客一危动态监管"))
    replication = db.session.scalar(select(Replication).where(
        Replication.scenario_id == scenario.id, Replication.member.has(code="fuzhou")))
    membership = db.session.scalar(select(GroupMembership).where(GroupMembership.group.has(code="transport"))
                                   .order_by(GroupMembership.id))
    return {"code": "wenzhou", "adcode": "330300", "user_id": get_user_by_email("wenzhou@cdou.example").id,
            "token_id": token.id, "resource_id": hidden, "token": "no-such-preview",
            "group_code": "transport", "scenario_id": scenario.id, "replication_id": replication.id,
            "membership_id": membership.id, "name": "swagger-ui.css"}


def _scenario_state():
    from sqlalchemy import func

    from consortium.notifications.models import Notification
    from consortium.scenarios.models import GroupMembership, Replication, ReplicationEvent, Scenario, ScenarioGroup
    counts = tuple(db.session.scalar(select(func.count()).select_from(m)) for m in
                   (GroupMembership, Notification, Replication, ReplicationEvent, Scenario, ScenarioGroup))
    return counts, db.session.scalar(select(ScenarioGroup.description).where(ScenarioGroup.code == "transport"))


def _url(app, endpoint, url_args):
    return url_of(app, endpoint, url_args)


def _classified_elsewhere() -> set[str]:
    """Each domain walks its own routes in tests/<domain>/test_routes.py and lists them
    there (GET_ACCESS, WRITES, MEMBER_ACTIONS): adding a domain edits nothing here."""
    import importlib
    from pathlib import Path
    found = set()
    for path in sorted(Path(__file__).resolve().parents[1].glob("*/test_routes.py")):
        if path.parent.name == "core":
            continue
        module = importlib.import_module(f"tests.{path.parent.name}.test_routes")
        for name in ("GET_ACCESS", "WRITES", "MEMBER_ACTIONS"):
            found |= set(getattr(module, name, ()))
    return found


def test_every_route_is_classified(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()} - SKIP
    unclassified = (endpoints - set(GET_ACCESS) - set(POST_ACCESS) - set(SCENARIO_WRITES) - MEMBER_ACTIONS
                    - _classified_elsewhere())
    assert not unclassified, f"classify these routes in tests/<domain>/test_routes.py: {sorted(unclassified)}"


@pytest.mark.slow
@pytest.mark.parametrize("role_index", range(4), ids=["anonymous", "member", "lead", "secretariat"])
def test_get_routes(app, browser, url_args, role_index):
    walk_gets(browser, GET_ACCESS, ROLES, role_index, lambda endpoint: _url(app, endpoint, url_args),
              redirect_elsewhere={"portal.set_language", "auth.login"})


@pytest.mark.parametrize("role_index", range(3), ids=["anonymous", "member", "lead-of-another-group"])
def test_post_routes_change_nothing_without_permission(app, browser, url_args, role_index):
    if WRITE_ROLES[role_index]:
        browser.login(WRITE_ROLES[role_index])
    scenarios_before = _scenario_state()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      browser.get("/auth/account" if role_index else "/auth/login").get_data(as_text=True)).group(1)
    from consortium.catalog.models import DataResource
    before = db.session.get(DataResource, url_args["resource_id"]).title
    for endpoint, (method, expected) in POST_ACCESS.items():
        if endpoint == "auth.logout":
            continue  # signing out is allowed to anyone; tested in tests/auth
        response = browser.client.open(_url(app, endpoint, url_args), method=method,
                                       data={"csrf_token": token, "enabled": "0", "title": "篡改"},
                                       headers={"X-CSRFToken": token})
        assert response.status_code == expected[role_index], (endpoint, WRITE_ROLES[role_index])
    payload = {"group": "transport", "member": "fuzhou", "version": 1, "title": "篡改", "note": "篡改",
               "to_stage": "live", "owner": "篡改", "description": "篡改"}
    for endpoint, (method, expected) in SCENARIO_WRITES.items():
        url = _url(app, endpoint, url_args)
        if "_api." in endpoint:
            response = browser.client.open(url, method=method, json=payload, headers={"X-CSRFToken": token})
        else:
            response = browser.client.open(url, method=method, data=dict(payload, csrf_token=token, reason="篡改"))
        assert response.status_code == expected[role_index], (endpoint, WRITE_ROLES[role_index])
    db.session.expire_all()
    assert _scenario_state() == scenarios_before
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken.revoked_at).where(ApiToken.id == url_args["token_id"])) is None
    assert db.session.get(User, url_args["user_id"]).is_enabled
    from consortium.members.services import get_member_by_code
    assert get_member_by_code("wenzhou").status == "active"
    resource = db.session.get(DataResource, url_args["resource_id"])
    assert resource.status == "active" and resource.title == before
