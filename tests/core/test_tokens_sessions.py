"""Finding 2 and 10 of the security review: an API token is an API credential only,
password changes revoke tokens, tokens expire; sign-in sessions expire server-side."""
import re
from datetime import timedelta

import pytest

from sqlalchemy import func, select

from consortium.auth.models import ApiToken, User, UserSession
from consortium.auth.services import create_api_token, get_user_by_email
from consortium.core.clock import local_datetime, utcnow, local_today
from consortium.extensions import db
from tests.conftest import Browser


def _bearer(email, **kw):
    _t, raw = create_api_token(None, get_user_by_email(email), "测试", **kw)
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def _live_tokens(email):
    user = get_user_by_email(email)
    return db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.user_id == user.id,
                                                                    ApiToken.revoked_at.is_(None)))


def test_a_token_opens_the_api_but_no_html_page(client, demo):
    headers = _bearer("qingdao@cdou.example")
    assert client.get("/api/v1/me", headers=headers).get_json()["email"] == "qingdao@cdou.example"
    response = client.get("/auth/account", headers=headers)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    html = client.get("/", headers=headers).get_data(as_text=True)
    assert "qingdao@cdou.example" not in html and "/auth/login" in html  # shown as a visitor
    before = _live_tokens("qingdao@cdou.example")
    response = client.post("/auth/account", headers=headers, data={"tok-name": "偷来的", "tok-submit": "1"})
    assert response.status_code == 400  # no CSRF token, and the bearer header does not excuse it
    assert _live_tokens("qingdao@cdou.example") == before


def test_changing_the_password_needs_the_current_one(browser, demo):
    browser.login("qingdao@cdou.example")
    user = get_user_by_email("qingdao@cdou.example")
    old_hash = user.password_hash
    new = "青岛-新的口令-2026"
    html = browser.post_form("/auth/account", {"pw-current": "wrong-password-1", "pw-password": new,
                                               "pw-confirm": new, "pw-submit": "1"}).get_data(as_text=True)
    assert "当前密码不正确" in html
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == old_hash
    html = browser.post_form("/auth/account", {"pw-password": new, "pw-confirm": new, "pw-submit": "1"}
                             ).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == old_hash


def test_own_password_change_revokes_tokens_and_says_so(browser, client, demo):
    headers = _bearer("qingdao@cdou.example")
    _bearer("qingdao@cdou.example")
    other = _bearer("xiamen@cdou.example")
    browser.login("qingdao@cdou.example")
    new = "青岛-新的口令-2026"
    html = browser.post_form("/auth/account", {"pw-current": "cdou-demo-2025", "pw-password": new,
                                               "pw-confirm": new, "pw-submit": "1"},
                             follow_redirects=True).get_data(as_text=True)
    assert "已撤销 2 个 API 令牌" in html
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert _live_tokens("qingdao@cdou.example") == 0
    assert client.get("/api/v1/me", headers=other).status_code == 200  # someone else's token lives on


def test_secretariat_reset_revokes_tokens_and_says_so(browser, client, demo):
    headers = _bearer("wenzhou@cdou.example")
    user = get_user_by_email("wenzhou@cdou.example")
    browser.login("secretariat@cdou.example")
    new = "温州-重置口令-2026"
    html = browser.post_form(f"/members/users/{user.id}/password", {"password": new, "confirm": new},
                             follow_redirects=True).get_data(as_text=True)
    assert "已撤销 1 个 API 令牌" in html
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_tokens_expire(client, demo, runner):
    headers = _bearer("ningbo@cdou.example", expires_on=local_today() + timedelta(days=30))
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    token = db.session.scalar(select(ApiToken).order_by(ApiToken.id.desc()))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    result = runner.invoke(args=["create-token", "ningbo@cdou.example", "--expires", "2001-01-01"])
    assert result.exit_code != 0 and "过期日期必须在将来" in result.output
    later = (local_today() + timedelta(days=10)).isoformat()
    result = runner.invoke(args=["create-token", "ningbo@cdou.example", "--expires", later])
    assert result.exit_code == 0
    raw = result.output.strip()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    newest = db.session.scalar(select(ApiToken).order_by(ApiToken.id.desc()))
    assert local_datetime(newest.expires_at).date().isoformat() == later  # 00:00 Beijing time


def test_account_page_sets_and_shows_the_expiry(browser, demo):
    browser.login("xiamen@cdou.example")
    later = (local_today() + timedelta(days=90)).isoformat()
    html = browser.post_form("/auth/account", {"tok-name": "季度同步", "tok-expires_on": later, "tok-submit": "1"}
                             ).get_data(as_text=True)
    assert re.search(r'id="new-token">cdou_', html) and later in html
    html = browser.post_form("/auth/account", {"tok-name": "过去", "tok-expires_on": "2020-01-01",
                                               "tok-submit": "1"}).get_data(as_text=True)
    assert "过期日期必须在将来" in html and 'id="new-token"' not in html
    assert db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.name == "过去")) == 0


def test_a_token_given_no_date_expires_after_the_default_lifetime(app, client, demo, runner):
    """Rule: every token expires. Without a date, 90 days (API_TOKEN_DEFAULT_DAYS) from today."""
    assert app.config["API_TOKEN_DEFAULT_DAYS"] == 90 <= app.config["API_TOKEN_MAX_DAYS"]
    token, _raw = create_api_token(None, get_user_by_email("ningbo@cdou.example"), "无日期")
    db.session.commit()
    assert local_datetime(token.expires_at).date() == local_today() + timedelta(days=90)
    result = runner.invoke(args=["create-token", "ningbo@cdou.example"])
    assert result.exit_code == 0
    newest = db.session.scalar(select(ApiToken).order_by(ApiToken.id.desc()))
    assert local_datetime(newest.expires_at).date() == local_today() + timedelta(days=90)


def test_an_expiry_beyond_the_cap_is_refused_and_says_which_day_would_do(browser, demo, runner):
    """Rule: at most 366 days ahead — refused with the last acceptable day, nothing written."""
    browser.login("xiamen@cdou.example")
    too_far = (local_today() + timedelta(days=367)).isoformat()
    html = browser.post_form("/auth/account", {"tok-name": "太久", "tok-expires_on": too_far, "tok-submit": "1"}
                             ).get_data(as_text=True)
    bound = (local_today() + timedelta(days=367)).isoformat()
    assert "令牌最长有效 366 天" in html and bound in html and 'id="new-token"' not in html
    assert db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.name == "太久")) == 0
    result = runner.invoke(args=["create-token", "xiamen@cdou.example", "--expires", too_far])
    assert result.exit_code != 0 and "366" in result.output
    ok = (local_today() + timedelta(days=366)).isoformat()
    html = browser.post_form("/auth/account", {"tok-name": "一年", "tok-expires_on": ok, "tok-submit": "1"}
                             ).get_data(as_text=True)
    assert 'id="new-token">cdou_' in html


@pytest.mark.committed  # reads the row from another connection: the request's commit must be real
def test_last_use_is_written_once_a_minute_committed_and_shown(app, client, browser, demo):
    """A token's use writes its last use (committed: no write transaction is left open on a GET),
    at most once a minute; the account page shows it with the expiry."""
    headers = _bearer("xiamen@cdou.example")
    token = db.session.scalar(select(ApiToken).order_by(ApiToken.id.desc()))
    assert token.last_used_at is None
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    # read from another connection: the write was committed by the request
    with db.engine.connect() as other:
        first = other.execute(select(ApiToken.last_used_at).where(ApiToken.id == token.id)).scalar_one()
    assert first is not None
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    with db.engine.connect() as other:
        again = other.execute(select(ApiToken.last_used_at).where(ApiToken.id == token.id)).scalar_one()
    assert again == first  # not rewritten within the minute
    db.session.execute(ApiToken.__table__.update().where(ApiToken.id == token.id)
                       .values(last_used_at=utcnow() - timedelta(minutes=2)).execution_options(audit_bypass_ok=True))
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    db.session.expire_all()
    later = db.session.get(ApiToken, token.id).last_used_at
    assert later > first
    # a use is not an edit: no audit row for it
    from consortium.audit.models import AuditLog
    assert not db.session.scalars(select(AuditLog).where(AuditLog.object_type == "ApiToken",
                                                           AuditLog.action == "update")).all()
    browser.login("xiamen@cdou.example")
    html = browser.get("/auth/account").get_data(as_text=True)
    row = re.search(rf'<tr data-token="{token.id}">(.*?)</tr>', html, re.S).group(1)
    assert local_datetime(later).strftime("%Y-%m-%d %H:%M") in row
    assert local_datetime(token.expires_at).strftime("%Y-%m-%d %H:%M") in row
    assert "不填日期的新令牌有效 90 天" in html


def _signed_in(app, email="qingdao@cdou.example"):
    client = app.test_client()
    Browser(client).login(email)
    return client


def test_idle_session_expires_server_side(app, demo):
    client = _signed_in(app)
    assert client.get("/api/v1/me").status_code == 200
    row = db.session.scalar(select(UserSession))
    row.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.commit()
    assert client.get("/api/v1/me").status_code == 401
    assert db.session.scalar(select(func.count(UserSession.id))) == 0  # the row is gone too


def test_absolute_lifetime_ends_a_busy_session(app, demo):
    client = _signed_in(app)
    row = db.session.scalar(select(UserSession))
    row.created_at = utcnow() - timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"], minutes=1)
    row.last_seen_at = utcnow()
    db.session.commit()
    assert client.get("/api/v1/me").status_code == 401


def test_use_keeps_a_session_alive(app, demo):
    client = _signed_in(app)
    row = db.session.scalar(select(UserSession))
    almost = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] - 1)
    row.last_seen_at = almost
    db.session.commit()
    assert client.get("/api/v1/me").status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(UserSession.last_seen_at)) > almost + timedelta(minutes=1)


def test_expired_rows_are_pruned_by_the_cli_and_at_sign_in(app, demo, runner):
    _signed_in(app)
    _signed_in(app, "xiamen@cdou.example")
    rows = db.session.scalars(select(UserSession)).all()
    rows[0].created_at = rows[0].last_seen_at = utcnow() - timedelta(days=3)
    db.session.commit()
    result = runner.invoke(args=["prune-sessions"])
    assert "1 expired" in result.output
    assert db.session.scalar(select(func.count(UserSession.id))) == 1
    survivor = db.session.scalar(select(UserSession))
    survivor.created_at = survivor.last_seen_at = utcnow() - timedelta(days=3)
    db.session.commit()
    _signed_in(app, "ningbo@cdou.example")  # signing in deletes expired rows on the way
    ningbo = get_user_by_email("ningbo@cdou.example")
    assert db.session.scalars(select(UserSession.user_id)).all() == [ningbo.id]


def test_language_switch_writes_nothing(browser, demo):
    from consortium.audit.models import AuditLog
    browser.login("qingdao@cdou.example")
    audit_before = db.session.scalar(select(func.count(AuditLog.id)))
    locale_before = get_user_by_email("qingdao@cdou.example").locale
    html = browser.get("/lang/en?next=/members/", follow_redirects=True).get_data(as_text=True)
    assert "Members" in html
    db.session.expire_all()
    assert db.session.scalar(select(func.count(AuditLog.id))) == audit_before
    assert get_user_by_email("qingdao@cdou.example").locale == locale_before
