"""A signed-in request never leaves a write pending. The once-a-minute touch of a session's
last use is committed by the user loader before the view runs; before this was fixed the
touch was autoflushed by the loader's own query, so the loader saw nothing "dirty", never
committed, and the write stayed in an open transaction until the request's end rolled it back.
On SQLite that open write transaction sent every search of the session down the search's
private path (15× slower) for the rest of the session's life, and the touch was never kept.

Tests share the app context (and so the database session) with the requests they send, so a
write a request left uncommitted is still pending when the request returns: these tests
look for it with the search's own question (``own_writes_pending``)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from consortium.auth.models import UserSession
from consortium.auth.services import create_api_token, get_user_by_email
from consortium.catalog.search import columns
from consortium.core.clock import utcnow
from consortium.extensions import db
from tests.conftest import Browser
from tests.route_walk import every_get_url, first_ids

# the search engine reads what is committed (snapshots, its change log): these tests commit for real
pytestmark = pytest.mark.committed

SKIP = {"static", "bootstrap.static", "core.set_language"}


def _age_sessions(by: timedelta):
    for row in db.session.scalars(select(UserSession)):
        row.created_at = row.created_at - by
        row.last_seen_at = row.last_seen_at - by
    db.session.commit()


def _last_seen():
    db.session.expire_all()
    return db.session.scalar(select(UserSession.last_seen_at))


def test_an_old_session_is_touched_once_committed_and_searches_take_the_shared_path(app, demo):
    client = app.test_client()
    Browser(client).login("qingdao@cdou.example")
    assert client.get("/api/v1/resources?q=医保").status_code == 200  # the shared columns exist
    _age_sessions(timedelta(minutes=2))
    aged = _last_seen()

    private_before = columns.stats["private"]
    answer = client.get("/api/v1/resources?q=医保")
    assert answer.status_code == 200 and answer.get_json()["total"] >= 0
    assert not columns.own_writes_pending()  # nothing left in an open transaction
    assert columns.stats["private"] == private_before  # the search took the shared columns
    db.session.rollback()  # what the end of a request does with anything not committed
    touched = _last_seen()
    assert touched > aged + timedelta(minutes=1)  # the touch survived: it was committed

    for _ in range(3):  # within the touch interval: no further write
        assert client.get("/api/v1/resources?q=公交").status_code == 200
        assert not columns.own_writes_pending()
    assert _last_seen() == touched
    assert columns.stats["private"] == private_before


def test_an_expired_session_is_deleted_and_the_deletion_committed(app, demo):
    client = app.test_client()
    Browser(client).login("qingdao@cdou.example")
    _age_sessions(timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1))
    assert client.get("/api/v1/me").status_code == 401
    assert not columns.own_writes_pending()
    db.session.rollback()
    assert db.session.scalar(select(UserSession.id)) is None


@pytest.mark.slow
@pytest.mark.parametrize("email", ["qingdao@cdou.example", "secretariat@cdou.example"])
def test_no_signed_in_get_leaves_a_write_pending(app, demo, monkeypatch, email):
    """Every GET route of the app, signed in with a session touched on every request (touch
    interval 0), then every API GET with a bearer token: after each, nothing is pending."""
    client = app.test_client()
    Browser(client).login(email)
    monkeypatch.setitem(app.config, "SESSION_TOUCH_SECONDS", 0)
    urls = every_get_url(app, {**first_ids(), "user_id": get_user_by_email(email).id}, SKIP)
    assert len(urls) > 100
    for endpoint, url in urls:
        before = _last_seen()
        response = client.get(url)
        assert response.status_code < 500, url
        assert not columns.own_writes_pending(), f"{endpoint} ({url}) left a write uncommitted"
        if response.status_code != 401 and endpoint != "health.healthz":  # /healthz never loads the user
            assert _last_seen() > before, url  # the touch was committed
    _raw = create_api_token(None, get_user_by_email(email), "walk")[1]
    db.session.commit()
    bearer = {"Authorization": f"Bearer {_raw}"}
    api = [(e, u) for e, u in urls if u.startswith("/api/v1/")]
    assert len(api) > 20
    for endpoint, url in api:
        response = app.test_client().get(url, headers=bearer)
        assert response.status_code < 500, url
        assert not columns.own_writes_pending(), f"{endpoint} ({url}) with a token left a write uncommitted"


def test_the_touch_interval_is_kept(app, demo):
    client = app.test_client()
    Browser(client).login("qingdao@cdou.example")
    _age_sessions(timedelta(seconds=30))
    seen = _last_seen()
    assert client.get("/me").status_code == 200
    assert _last_seen() == seen  # younger than the interval: not written
    assert utcnow() - seen >= timedelta(seconds=29)
