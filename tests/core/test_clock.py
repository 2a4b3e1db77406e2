"""One clock: every stored instant is aware UTC (whatever the database server's zone), read back
as aware UTC on both databases, and shown and exported in Beijing time, saying so."""
import csv
import io
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select, text, update

from consortium.audit.models import AuditLog
from consortium.auth.models import User, UserSession
from consortium.catalog.models import DataResource
from consortium.core.clock import UTCDateTime, iso_utc, local_text, utc_start_of_local_day, utcnow
from consortium.extensions import db
from consortium.members.models import Member
from consortium.notifications import services as notifications
from tests.factories import create_resource

UTC = timezone.utc
SHANGHAI = ZoneInfo("Asia/Shanghai")
INSTANT = datetime(2026, 1, 1, 16, 30, tzinfo=UTC)  # 2026-01-02 00:30 in Beijing


def test_the_clock_is_aware_utc_and_beijing_days_start_at_16_utc():
    now = utcnow()
    assert now.utcoffset() == timedelta(0) and abs(now - datetime.now(UTC)) < timedelta(seconds=5)
    assert utc_start_of_local_day(datetime(2026, 1, 2).date()) == datetime(2026, 1, 1, 16, tzinfo=UTC)
    assert local_text(INSTANT) == "2026-01-02 00:30:00"
    assert local_text(INSTANT.replace(tzinfo=None)) == "2026-01-02 00:30:00"  # naive is UTC
    assert iso_utc(INSTANT.astimezone(SHANGHAI)) == "2026-01-01T16:30:00Z"


def _stored_utc_text(member_id) -> str:
    """The column's value as the database holds it, in UTC, without the ORM's type."""
    if db.engine.dialect.name == "postgresql":
        sql = "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM members WHERE id = :id"
    else:
        sql = "SELECT substr(created_at, 1, 16) FROM members WHERE id = :id"
    return db.session.execute(text(sql), {"id": member_id}).scalar()


def test_the_column_type_stores_utc_from_any_zone_and_takes_naive_values_as_utc(make_member):
    member = make_member("青岛数据集团", city="青岛", code="qd")
    member.created_at = INSTANT.astimezone(SHANGHAI)  # 2026-01-02 00:30+08:00
    db.session.commit()
    assert _stored_utc_text(member.id) == "2026-01-01 16:30"
    db.session.expire_all()
    assert member.created_at == INSTANT and member.created_at.tzinfo is UTC
    member.created_at = datetime(2026, 3, 1, 4, 5)  # naive: taken as UTC
    db.session.commit()
    assert _stored_utc_text(member.id) == "2026-03-01 04:05"
    db.session.expire_all()
    assert member.created_at == datetime(2026, 3, 1, 4, 5, tzinfo=UTC)
    # comparisons in SQL bind through the type too: an aware bound in another zone finds the row
    found = db.session.scalar(select(Member.id).where(
        Member.created_at == datetime(2026, 3, 1, 12, 5, tzinfo=SHANGHAI)))
    assert found == member.id


def test_every_datetime_read_back_is_aware_utc(demo, browser):
    browser.login("secretariat@cdou.example")  # a session row, a last sign-in
    db.session.expire_all()
    checked, columns = 0, set()
    for mapper in db.Model.registry.mappers:
        for prop in mapper.column_attrs:
            column = prop.columns[0]
            if not isinstance(column.type, UTCDateTime) or column.table is not mapper.local_table:
                continue
            for value in db.session.scalars(select(prop.class_attribute).where(prop.class_attribute.is_not(None))):
                assert isinstance(value, datetime) and value.tzinfo is not None, (column, value)
                assert value.utcoffset() == timedelta(0), (column, value)
                assert abs(value - utcnow()) < timedelta(days=3650), (column, value)
                checked += 1
                columns.add(str(column))
    assert checked > 100 and len(columns) >= 15, columns
    assert {"users.last_login_at", "user_sessions.created_at", "audit_logs.created_at",
            "data_resources.updated_at"} <= columns


def test_pages_and_exports_show_beijing_time_and_say_so(browser, make_member, make_user):
    qingdao = make_member("青岛数据集团", city="青岛", code="qd")
    make_user("liu@qingdao.example", member=qingdao)
    make_user("sec@cdou.example", role="secretariat")
    resource = create_resource(qingdao, "医保结算数据", is_public=True)
    note = notifications.notify(None, qingdao, "test.clock", text="时钟测试通知")
    db.session.execute(update(DataResource).where(DataResource.id == resource.id).values(updated_at=INSTANT)
                       .execution_options(audit_bypass_ok=True))  # a test fixture, not a change to audit
    note.created_at = INSTANT
    for row in db.session.scalars(select(AuditLog)):
        row.created_at = INSTANT
    db.session.commit()

    rows = list(csv.reader(io.StringIO(browser.get("/resources/export.csv?member=qd").get_data(as_text=True))))
    modified = rows[0].index("最后修改（北京时间）")
    assert rows[1][modified] == "2026-01-02T00:30:00+08:00"  # ISO 8601 with the offset

    browser.login("liu@qingdao.example")
    page = browser.get("/notifications/").get_data(as_text=True)
    assert "时钟测试通知" in page and "2026-01-02 00:30" in page and "2026-01-01 16:30" not in page
    assert "北京时间" in page
    browser.logout()

    browser.login("sec@cdou.example")
    page = browser.get("/audit/").get_data(as_text=True)
    assert "2026-01-02 00:30:00" in page and "16:30" not in page and "北京时间" in page
    lines = browser.get("/audit/export.csv").get_data(as_text=True).strip().splitlines()
    assert "北京时间" in lines[0] and lines[1].startswith("2026-01-02 00:30:00")
    # the day filter is a Beijing day: 00:30 on 2 January belongs to the 2nd, not the 1st
    assert "2026-01-02 00:30:00" in browser.get("/audit/?from=2026-01-02&to=2026-01-02").get_data(as_text=True)
    assert "2026-01-02 00:30:00" not in browser.get("/audit/?from=2026-01-01&to=2026-01-01").get_data(as_text=True)


@pytest.fixture
def shanghai_sessions(app):
    """Every database connection set to Asia/Shanghai, as on a server configured for China."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no session time zone")

    def set_zone(dbapi_connection, _record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'Asia/Shanghai'")
        dbapi_connection.commit()

    db.session.remove()
    db.engine.dispose()
    event.listen(db.engine, "connect", set_zone)
    yield
    db.session.remove()
    event.remove(db.engine, "connect", set_zone)
    db.engine.dispose()


@pytest.mark.committed  # its connections are new ones, set to Asia/Shanghai when they connect
def test_a_server_in_shanghai_stores_one_instant_in_every_column(shanghai_sessions, browser, make_member,
                                                                 make_user):
    assert db.session.execute(text("SHOW TimeZone")).scalar() == "Asia/Shanghai"
    qingdao = make_member("青岛数据集团", city="青岛", code="qd")
    user = make_user("liu@qingdao.example", member=qingdao)
    browser.login("liu@qingdao.example")  # Python writes last_login_at and the session row
    resource = create_resource(qingdao, "医保结算数据", is_public=True)
    before = utcnow()
    # the review's case: created_at by default, last_login_at by the sign-in, both read as instants
    created, last_login, session_created, resource_created, resource_updated = db.session.execute(text(
        "SELECT u.created_at, u.last_login_at, s.created_at, r.created_at, r.updated_at FROM users u "
        "JOIN user_sessions s ON s.user_id = u.id, data_resources r WHERE u.id = :u AND r.id = :r"),
        {"u": user.id, "r": resource.id}).one()
    assert created.utcoffset() == timedelta(hours=8)  # the session shows +08:00 ...
    for value in (created, last_login, session_created, resource_created, resource_updated):
        assert abs(value - before) < timedelta(minutes=2)  # ... of the same instant, not eight hours off
    assert abs(created - last_login) < timedelta(minutes=2)
    db.session.expire_all()
    assert db.session.get(User, user.id).created_at.tzinfo is UTC
    assert db.session.scalar(select(UserSession.created_at)).tzinfo is UTC

    # and a page shows it in Beijing time, labelled
    make_user("sec@cdou.example", role="secretariat")
    for row in db.session.scalars(select(AuditLog)):
        row.created_at = INSTANT
    db.session.commit()
    browser.logout()
    browser.login("sec@cdou.example")
    page = browser.get("/audit/").get_data(as_text=True)
    assert "2026-01-02 00:30:00" in page and "北京时间" in page


def test_today_is_the_beijing_day_everywhere(monkeypatch, app):
    """At 17:00 UTC it is already tomorrow in Beijing: every rule about 'today' (a certificate's
    validity, a stage change not in the future, a token's expiry) reads Beijing's day, whatever
    the host's zone."""
    from datetime import date

    from consortium.core import clock
    from consortium.registers import services as registers
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 1, 1, 17, 0, tzinfo=timezone.utc))
    assert clock.local_today() == date(2026, 1, 2)
    assert registers.today() == date(2026, 1, 2)
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 1, 1, 15, 59, tzinfo=timezone.utc))
    assert registers.today() == date(2026, 1, 1)
