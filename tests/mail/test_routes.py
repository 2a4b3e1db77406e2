"""The mail routes walked as a visitor and a member: the settings are one's own; the
unsubscribe link answers 404 to a token it did not sign (a real token: tests/mail/test_mail.py)."""
import pytest

from tests.route_walk import url_of, walk_gets

# endpoint: GET status for (anonymous, a member's user)
GET_ACCESS = {
    "mail.settings": (302, 200),
    "mail.unsubscribe": (404, 404),
}
# the one-click POST and the settings form: tests/mail/test_mail.py
MEMBER_ACTIONS = {"mail.settings", "mail.unsubscribe"}
ROLES = [None, "user@fuzhou.example"]


@pytest.mark.parametrize("role_index", range(2), ids=["anonymous", "member"])
def test_get_routes(app, browser, world, role_index):
    walk_gets(browser, GET_ACCESS, ROLES, role_index, lambda e: url_of(app, e, {"token": "WzEsIndlZWtseSJd.forged"}))


def test_a_forged_unsubscribe_post_changes_nothing(app, client, world):
    from consortium.mail.preferences import preferences_of
    response = client.post(url_of(app, "mail.unsubscribe", {"token": "WzMsIndlZWtseSJd.forged"}))
    assert response.status_code == 404 and preferences_of(world.users.fuzhou)["digest.weekly"] == "weekly"
