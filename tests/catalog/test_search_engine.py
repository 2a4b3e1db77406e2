"""The engine's guarantees beyond the oracle: no bulk write around the audit trail, an upgraded
database finds the entries it already held, visibility and title sorting hold while others
write, and where-next matches needs through the same matcher."""
import random
import uuid

import pytest
from sqlalchemy import create_engine, delete, func, select, text, update

from consortium.audit.models import AuditLog
from consortium.audit.services import set_actor
from consortium.catalog import search as s
from consortium.catalog.models import DataResource
from consortium.catalog.search import columns
from consortium.audit.guard import BulkWriteRefused
from consortium.extensions import db

from .test_search import _resource

# the search engine reads what is committed (snapshots, its change log): these tests commit for real
pytestmark = pytest.mark.committed


@pytest.fixture
def entries(make_member):
    rng = random.Random(77)
    member = make_member(name="福州数据集团", city="福州", code="fuzhou")
    set_actor(None)
    rows = [_resource(rng, i, member, status="active", is_public=True) for i in range(12)]
    rows[0].title = "福州公交gps定位"
    db.session.add_all(rows)
    db.session.commit()
    return rows


def test_orm_bulk_update_and_delete_of_audited_models_are_refused(entries):
    audit_rows = db.session.scalar(select(func.count()).select_from(AuditLog))
    with pytest.raises(BulkWriteRefused):
        db.session.execute(update(DataResource).where(DataResource.id == entries[0].id).values(title="批量改名"))
    db.session.rollback()
    with pytest.raises(BulkWriteRefused):
        db.session.execute(delete(DataResource).where(DataResource.id == entries[1].id))
    db.session.rollback()
    assert db.session.get(DataResource, entries[0].id).title == "福州公交gps定位"
    assert db.session.get(DataResource, entries[1].id) is not None
    assert db.session.scalar(select(func.count()).select_from(AuditLog)) == audit_rows
    # the ORM path is audited, and search follows it
    entries[0].title = "福州公交北斗定位"
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AuditLog)) == audit_rows + 1
    assert [r.title for r in s.search(None, s.SearchParams(q="北斗"))["items"]] == ["福州公交北斗定位"]


def test_a_write_the_orm_does_not_see_is_still_indexed(entries):
    """The index is the database's: even a raw SQL update is searchable at once."""
    db.session.connection().execute(text("UPDATE data_resources SET title = :t WHERE id = :i"),
                                    {"t": "原始SQL写入的标题", "i": entries[2].id})
    db.session.commit()
    assert [r.id for r in s.search(None, s.SearchParams(q="原始SQL"))["items"]] == [entries[2].id]
    assert s.count_matching(None, s.SearchParams(q="sql写入")) == 1


def test_entries_made_private_never_reach_visitors_from_a_stale_snapshot(entries, monkeypatch):
    """The race: a search checks for changes, then another member makes an entry private and
    commits, then the search reads its page. The page's rows are filtered again by the
    database, so the visitor never sees the private entry."""
    q = s.SearchParams(q="gps")
    assert [r.id for r in s.search(None, q)["items"]] == [entries[0].id]
    entries[0].is_public = False
    db.session.commit()
    monkeypatch.setattr(columns, "unchanged", lambda pos: True)  # the commit landed after the check
    assert s.search(None, q)["items"] == []
    assert s.search_rows(None, q)["items"] == []
    assert s.search_rows(None, s.SearchParams(per_page=100))["items"]
    assert entries[0].id not in {r.id for r in s.search_rows(None, s.SearchParams(per_page=100))["items"]}


def test_sort_by_title_survives_inserts_the_snapshot_has_not_seen(entries, monkeypatch):
    s.search(None, s.SearchParams())  # a snapshot without the new rows
    ids = [r.id for r in entries]
    monkeypatch.setattr(columns, "unchanged", lambda pos: True)
    rng = random.Random(3)
    set_actor(None)
    db.session.add_all([_resource(rng, 100 + i, entries[0].member, title=f"{i}新插入", status="active",
                                  is_public=True) for i in range(5)])
    db.session.commit()
    db.session.connection().execute(delete(DataResource.__table__).where(DataResource.id == ids[5]))
    db.session.commit()
    result = s.search(None, s.SearchParams(sort="title", per_page=100))
    known = set(ids) - {ids[5]}
    assert {r.id for r in result["items"]} == known
    titles = [r.title for r in result["items"]]
    assert titles == [r.title for r in db.session.scalars(
        select(DataResource).where(DataResource.id.in_(known)).order_by(DataResource.title, DataResource.id))]


def test_search_reads_no_shared_row_per_write(entries):
    """Two writers never touch the same row for the search: each appends change rows."""
    from consortium.catalog.models import SearchChange
    before = db.session.scalar(select(func.max(SearchChange.id)))
    entries[3].title, entries[4].title = "甲", "乙"
    db.session.commit()
    assert db.session.scalar(select(func.count()).where(SearchChange.id > before)) >= 2
    assert not db.session.get_bind().dialect.has_table(db.session.connection(), "catalog_search_state")
    assert not db.session.get_bind().dialect.has_table(db.session.connection(), "resource_grams")


# ---------------------------------------------------------------- upgrading a database that holds entries

@pytest.fixture
def fresh_database_url(app, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'upgrade.db'}"
        return
    name = f"cdou_up_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def logging_kept():
    """Alembic's env.py runs logging.config.fileConfig, which disables every existing logger
    (and resets the root's handlers): put them back for the tests that follow."""
    import logging
    loggers = {name: (lg.disabled, lg.level, lg.propagate) for name, lg in logging.root.manager.loggerDict.items()
               if isinstance(lg, logging.Logger)}
    root = (logging.root.level, list(logging.root.handlers))
    yield
    for name, (disabled, level, propagate) in loggers.items():
        lg = logging.getLogger(name)
        lg.disabled, lg.level, lg.propagate = disabled, level, propagate
    logging.root.setLevel(root[0])
    logging.root.handlers[:] = root[1]


@pytest.mark.slow
def test_upgrading_a_database_that_holds_entries_makes_them_searchable(fresh_database_url, monkeypatch, logging_kept):
    from flask_migrate import upgrade

    from consortium import create_app
    from consortium import config as cfg
    from consortium.geo.services import load_reference_data
    monkeypatch.setenv("TEST_DATABASE_URL", fresh_database_url)
    upgraded = create_app(cfg.TestConfig)
    with upgraded.app_context():
        upgrade(revision="3a9c1e7d5b20")  # the schema with resource_grams, before this change
        load_reference_data()
        conn = db.session.connection()
        city = conn.execute(text("SELECT id FROM cities WHERE name = '青岛市'")).scalar()
        conn.execute(text("INSERT INTO members (code, name, name_en, kind, city_id, joined_on, status, description, "
                          "website) VALUES ('qd', '青岛数据集团', 'Qingdao Data Group', 'data_group', :c, "
                          "'2025-04-18', 'active', '', '')"), {"c": city})
        member = conn.execute(text("SELECT id FROM members")).scalar()
        for i, title in enumerate(["青岛地铁客流数据", "医保结算明细", "Bus GPS 轨迹"]):
            conn.execute(text(
                "INSERT INTO data_resources (member_id, code, title, description, keywords, domain, department, "
                "contact_name, contact_email, frequency, spatial_coverage, openness, circulation_mask, "
                "registration_no, formats, has_api, is_public, status, city_id) VALUES (:m, :code, :t, '', '', "
                "'transport', '市交通局', '', '', 'daily', '', 'open', 1, '', '', false, true, 'active', :c)"),
                {"m": member, "code": f"U{i}", "t": title, "c": city})
        db.session.commit()
        upgrade()
        for q, n in (("地铁", 1), ("医保", 1), ("gps", 1), ("市交通局", 3), ("青岛", 3), ("Transport", 3), ("轨迹", 1)):
            assert s.search(None, s.SearchParams(q=q))["total"] == n, q
            assert s.count_matching(None, s.SearchParams(q=q)) == n, q
        db.session.remove()
        db.engine.dispose()
