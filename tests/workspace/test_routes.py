"""The workspace's routes as anonymous, member (青岛), transport lead (厦门) and secretariat."""
import pytest

SIGNED_IN = (302, 200, 200, 200)
API_SIGNED_IN = (401, 200, 200, 200)

GET_ACCESS = {
    "workspace.index": SIGNED_IN,
    "workspace.digest": SIGNED_IN,
    "workspace_api.workspace": API_SIGNED_IN,
}
ROLES = [None, "qingdao@cdou.example", "xiamen@cdou.example", "secretariat@cdou.example"]


def test_every_workspace_route_is_classified(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("workspace")}
    assert endpoints == set(GET_ACCESS)


@pytest.mark.parametrize("role_index", range(4), ids=["anonymous", "member", "lead", "secretariat"])
def test_get_routes(app, browser, demo, role_index):
    from flask import url_for
    if ROLES[role_index]:
        browser.login(ROLES[role_index])
    for endpoint, expected in GET_ACCESS.items():
        with app.test_request_context():
            url = url_for(endpoint)
        response = browser.get(url)
        assert response.status_code == expected[role_index], (endpoint, ROLES[role_index])
