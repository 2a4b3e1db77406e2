"""Sign-in, sign-out, sessions, throttling, CSRF, passwords."""
import calendar
import re
from types import SimpleNamespace

import limits.storage.memory
import pytest
from sqlalchemy import func, select

from consortium.auth.models import User, UserSession
from consortium.extensions import db
from consortium.members.services import suspend_member


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_login_shows_member_in_chinese(browser, demo):
    html = browser.login("qingdao@cdou.example").get_data(as_text=True)
    assert "欢迎" in html
    assert "青岛数据集团" in html  # the navbar names the user's organisation
    assert _count(UserSession) == 1


def test_wrong_password_is_refused_without_session(browser, demo):
    html = browser.login("qingdao@cdou.example", "wrong-password-123").get_data(as_text=True)
    assert "邮箱或密码错误" in html
    assert _count(UserSession) == 0
    assert browser.get("/api/v1/me").status_code == 401


def test_password_is_stored_hashed(demo):
    user = db.session.scalar(select(User).where(User.email == "qingdao@cdou.example"))
    assert user.password_hash.startswith("$argon2id$v=19$m=64,t=1,p=1$")  # TestConfig's cheap parameters
    assert "cdou-demo-2025" not in user.password_hash


def test_production_hashes_with_argon2id_at_owasps_parameters(app):
    from consortium.config import Config
    assert not hasattr(Config, "PASSWORD_ARGON2")
    saved = app.config.pop("PASSWORD_ARGON2")
    try:
        with app.test_request_context():
            user = User(email="x@cdou.example")
            user.set_password("一个足够长的口令-2026")
            assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
            assert user.check_password("一个足够长的口令-2026")
            assert not user.check_password("一个足够长的口令-2027")
    finally:
        app.config["PASSWORD_ARGON2"] = saved


def test_a_password_kept_by_werkzeugs_scrypt_still_signs_in_and_is_hashed_again(browser, demo):
    """Accounts made before the move to Argon2id keep working; the hash is replaced at the next
    successful sign-in, and a wrong password changes nothing."""
    from werkzeug.security import generate_password_hash
    user = db.session.scalar(select(User).where(User.email == "xiamen@cdou.example"))
    old = generate_password_hash("cdou-demo-2025", method="scrypt:1024:8:1")
    user.password_hash = old
    db.session.commit()
    html = browser.login("xiamen@cdou.example", "wrong-password-123").get_data(as_text=True)
    assert "邮箱或密码错误" in html
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == old
    html = browser.login("xiamen@cdou.example").get_data(as_text=True)
    assert "厦门" in html and _count(UserSession) == 1
    db.session.expire_all()
    kept = db.session.get(User, user.id).password_hash
    assert kept.startswith("$argon2id$") and kept != old
    assert db.session.get(User, user.id).check_password("cdou-demo-2025")


def test_a_damaged_or_empty_hash_never_matches(app):
    with app.test_request_context():
        for stored in ("", "$argon2id$v=19$m=64,t=1,p=1$broken", "md5$abc", "scrypt:1024:8:1$x$y"):
            assert not User(email="x@cdou.example", password_hash=stored).check_password("anything-at-all")


def test_copied_cookie_stops_working_after_sign_out(app, browser, demo):
    browser.login("wenzhou@cdou.example")
    cookie = browser.client.get_cookie("session").value
    assert browser.get("/api/v1/me").get_json()["email"] == "wenzhou@cdou.example"
    browser.logout()
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/api/v1/me").status_code == 401
    assert _count(UserSession) == 0


def test_suspending_member_ends_its_sessions(app, browser, demo):
    browser.login("wenzhou@cdou.example")
    cookie = browser.client.get_cookie("session").value
    from consortium.members.services import get_member_by_code
    suspend_member(None, get_member_by_code("wenzhou"), "会费未缴")
    db.session.commit()
    other = app.test_client()
    other.set_cookie("session", cookie)
    assert other.get("/api/v1/me").status_code == 401
    html = browser.login("wenzhou@cdou.example").get_data(as_text=True)
    assert "机构已被秘书处暂停" in html and "会费未缴" in html  # the reason reaches the member's users
    html = browser.login("wenzhou@cdou.example", "wrong-password-1").get_data(as_text=True)
    assert "会费未缴" not in html  # only with the right password


def test_login_is_throttled(browser, demo):
    codes = [browser.login("ningbo@cdou.example", f"wrong-password-{i}").status_code for i in range(7)]
    assert codes[:5] == [200] * 5
    assert codes[5:] == [429, 429]
    html = browser.post_form("/auth/login", {"email": "ningbo@cdou.example", "password": "cdou-demo-2025"},
                             form_url="/auth/login").get_data(as_text=True)
    assert "尝试次数过多" in html


def test_the_sign_in_limit_counts_any_sixty_seconds(browser, demo, monkeypatch):
    """One wrong password at 12:00:00, four at 12:00:59.5, three at 12:01:00.5: a window that starts at the
    first try and ends 60 s later would start again and let all three through (nine tries in 61 s); the
    sliding window lets one through — the 12:00:00 try has left it — and refuses the others."""
    clock = [float(calendar.timegm((2026, 12, 7, 12, 0, 0)))]
    monkeypatch.setattr(limits.storage.memory, "time", SimpleNamespace(time=lambda: clock[0]))
    codes = [browser.login("ningbo@cdou.example", "wrong-password-0").status_code]
    clock[0] += 59.5
    codes += [browser.login("ningbo@cdou.example", f"wrong-password-{i}").status_code for i in range(1, 5)]
    clock[0] += 1.0
    codes += [browser.login("ningbo@cdou.example", f"wrong-password-{i}").status_code for i in range(5, 8)]
    assert codes == [200] * 5 + [200, 429, 429]


def test_post_without_csrf_token_is_rejected(client, demo):
    response = client.post("/auth/login", data={"email": "qingdao@cdou.example", "password": "cdou-demo-2025"})
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)
    assert _count(UserSession) == 0


def test_session_fixation_new_cookie_after_login(browser, demo):
    browser.get("/auth/login")
    before = browser.client.get_cookie("session").value
    browser.login("qingdao@cdou.example")
    assert browser.client.get_cookie("session").value != before


@pytest.mark.parametrize("password,message", [
    ("short1!", "至少需要 10 个字符"),
    ("password123", "过于常见"),
    ("1234567890", "过于常见"),
])
def test_weak_passwords_are_refused_and_nothing_changes(browser, demo, password, message):
    browser.login("qingdao@cdou.example")
    user = db.session.scalar(select(User).where(User.email == "qingdao@cdou.example"))
    old_hash = user.password_hash
    html = browser.post_form("/auth/account", {"pw-current": "cdou-demo-2025", "pw-password": password, "pw-confirm": password, "pw-submit": "1"}
                             ).get_data(as_text=True)
    assert message in html
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == old_hash


def test_changing_own_password_signs_out_other_sessions(app, browser, demo):
    browser.login("qingdao@cdou.example")
    other = app.test_client()
    from tests.conftest import Browser
    Browser(other).login("qingdao@cdou.example")
    assert _count(UserSession) == 2
    new = "青岛-新的口令-2026"
    html = browser.post_form("/auth/account", {"pw-current": "cdou-demo-2025", "pw-password": new, "pw-confirm": new, "pw-submit": "1"},
                             follow_redirects=True).get_data(as_text=True)
    assert "密码已修改" in html
    assert other.get("/api/v1/me").status_code == 401
    assert browser.get("/api/v1/me").get_json()["email"] == "qingdao@cdou.example"


def test_open_redirect_is_not_followed(browser, demo):
    response = browser.post_form("/auth/login?next=https://evil.example/x",
                                 {"email": "qingdao@cdou.example", "password": "cdou-demo-2025"},
                                 form_url="/auth/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_token_created_in_account_page_works_and_revocation_ends_it(browser, client, demo):
    browser.login("xiamen@cdou.example")
    html = browser.post_form("/auth/account", {"tok-name": "数据同步", "tok-submit": "1"}).get_data(as_text=True)
    token = re.search(r'id="new-token">([^<]+)<', html).group(1)
    api = browser.client.application.test_client()
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert me["email"] == "xiamen@cdou.example" and me["leads_groups"] == ["transport"]
    token_id = re.search(r'/auth/tokens/(\d+)/revoke', html).group(1)
    browser.post_form(f"/auth/tokens/{token_id}/revoke", {}, form_url="/auth/account")
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_cannot_revoke_someone_elses_token(browser, demo):
    from consortium.auth.models import ApiToken
    from consortium.auth.services import create_api_token, get_user_by_email
    token, _raw = create_api_token(None, get_user_by_email("ningbo@cdou.example"), "宁波")
    db.session.commit()
    browser.login("qingdao@cdou.example")
    response = browser.post_form(f"/auth/tokens/{token.id}/revoke", {}, form_url="/auth/account")
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is None
