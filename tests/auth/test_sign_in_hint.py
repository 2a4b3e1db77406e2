"""A visitor who meets a members-only page is told to sign in, and comes back to it afterwards;
the login page says why the visitor was sent there."""
import re

from tests.conftest import PASSWORD


def test_members_only_dashboard_offers_sign_in_and_returns_there(browser, demo):
    page = browser.get("/d/operations")
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert 'id="sign-in-hint"' in html and "仅对成员开放" in html
    link = re.search(r'id="sign-in-to-see" href="([^"]+)"', html).group(1)
    assert link == "/auth/login?next=/d/operations"
    login = browser.get(link).get_data(as_text=True)
    assert re.search(r'id="login-reason">[^<]*/d/operations', login)
    done = browser.post_form(link, {"email": "qingdao@cdou.example", "password": PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/d/operations"
    assert "共同体运营看板" in browser.get("/d/operations").get_data(as_text=True)


def test_hint_only_for_visitors_and_in_english_too(browser, demo):
    browser.get("/lang/en")
    html = browser.get("/d/operations").get_data(as_text=True)
    assert "Some pages are for members only" in html
    assert 'id="login-reason"' not in browser.get("/auth/login").get_data(as_text=True)  # came for nothing
    assert 'id="login-reason"' not in browser.get("/auth/login?next=https://evil.example/").get_data(as_text=True)
    browser.login("qingdao@cdou.example")
    signed_in = browser.get("/d/no-such-dashboard").get_data(as_text=True)
    assert "This page does not exist" in signed_in and 'id="sign-in-hint"' not in signed_in


def test_unsigned_visitor_sent_to_login_is_told_why(client, demo):
    r = client.get("/me")
    assert r.status_code == 302 and r.headers["Location"].startswith("/auth/login?next=/me")
    login = client.get(r.headers["Location"]).get_data(as_text=True)
    assert re.search(r'id="login-reason">您请求的页面（/me）', login)
