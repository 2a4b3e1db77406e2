"""The workspace's routes as anonymous, member (青岛), transport lead (厦门) and secretariat."""
import pytest
from tests.route_walk import endpoints_of, url_of, walk_gets

SIGNED_IN = (302, 200, 200, 200)
API_SIGNED_IN = (401, 200, 200, 200)

GET_ACCESS = {
    "workspace.index": SIGNED_IN,
    "workspace.digest": SIGNED_IN,
    "workspace_api.workspace": API_SIGNED_IN,
}
ROLES = [None, "qingdao@cdou.example", "xiamen@cdou.example", "secretariat@cdou.example"]


def test_every_workspace_route_is_classified(app):
    assert endpoints_of(app, "workspace") == set(GET_ACCESS)


@pytest.mark.parametrize("role_index", range(4), ids=["anonymous", "member", "lead", "secretariat"])
def test_get_routes(app, browser, demo, role_index):
    walk_gets(browser, GET_ACCESS, ROLES, role_index, lambda endpoint: url_of(app, endpoint, {}),
              login_redirect=False)
