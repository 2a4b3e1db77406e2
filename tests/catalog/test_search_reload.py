"""After a write, search patches its in-memory columns with the changed rows only; whatever
the writes, the patched snapshot answers exactly like one read from scratch."""
import random
from datetime import date

import numpy as np
import pytest
from sqlalchemy import delete, func, insert, select

from consortium.audit.services import set_actor
from consortium.catalog import imports
from consortium.catalog import search as s
from consortium.catalog import services
from consortium.catalog.constants import CIRCULATION_MODES, DOMAINS, OPENNESS
from consortium.catalog.models import DataResource
from consortium.catalog.search import columns
from consortium.extensions import db
from consortium.members.services import reinstate_member, suspend_member

from .test_search import _params_cases, _resource

# the search engine reads what is committed (snapshots, its change log): these tests commit for real
pytestmark = pytest.mark.committed


def _answers(actors, cases):
    out = []
    for actor in actors:
        for case in cases:
            params = s.SearchParams(**case)
            for sort in s.SORTS:
                params.sort = sort
                result = s.search(actor, params)
                out.append((result["total"], [r.id for r in result["items"]], result["facets"]))
    return out


def _assert_same_as_full_read(actors, cases):
    incremental = columns.snapshot()
    fresh = columns.Snapshot(incremental.pos)
    for name in ("ids",) + columns._FIELDS:
        np.testing.assert_array_equal(incremental.raw[name], fresh.raw[name], err_msg=name)
    for name, column in fresh.columns.items():
        np.testing.assert_array_equal(incremental.columns[name], column, err_msg=name)
    got = _answers(actors, cases)
    key = columns.engine_key()
    columns._snapshots[key] = fresh
    try:
        assert got == _answers(actors, cases)
    finally:
        columns._snapshots[key] = incremental  # keep patching the incremental chain


def _import_row(resource, **changes):
    row = {name: getattr(resource, name) for name in imports.MODEL_FIELDS}
    row["code"] = resource.code
    row.update(changes)
    return row


@pytest.mark.slow
def test_patched_snapshot_equals_full_read_after_random_writes(make_member, make_user):
    rng = random.Random(338)
    members = [make_member(name="青岛数据集团", city="青岛", code="qingdao"),
               make_member(name="厦门大数据有限公司", city="厦门", code="xiamen"),
               make_member(name="宁波数字产业集团", city="宁波", code="ningbo")]
    sec = make_user("sec@cdou.example", role="secretariat")
    user = make_user("qd@cdou.example", member=members[0])
    set_actor(None)
    db.session.add_all([_resource(rng, i, members[i % 3]) for i in range(60)])
    db.session.commit()
    actors = (None, user)
    cases = _params_cases(rng, members)[:6] + [{"q": "医保"}, {}]
    columns.snapshot()
    before = dict(columns.stats)
    kinds = ["create", "update", "retire", "reinstate", "import", "suspend", "bulk", "delete"]
    done = []
    for step in range(40):
        kind = kinds[step] if step < len(kinds) else rng.choice(kinds)
        done.append(kind)
        ids = db.session.scalars(select(DataResource.id).order_by(DataResource.id)).all()
        resource = db.session.get(DataResource, rng.choice(ids))
        if kind in ("update", "retire", "reinstate") and not resource.member.is_active:
            kind = done[-1] = "suspend"  # a suspended member's entries are frozen until it is reinstated
        if kind == "create":
            member = rng.choice([m for m in members if m.is_active] or members)
            if member.is_active:
                services.create_resource(sec, member, code=f"N{step}", title=f"医保新目录{step}",
                                         domain=rng.choice(list(DOMAINS)), openness=rng.choice(list(OPENNESS)),
                                         frequency="monthly", is_public=rng.random() < 0.5,
                                         circulation_modes=rng.sample(list(CIRCULATION_MODES), 2))
        elif kind == "update":
            services.update_resource(sec, resource, title=f"公交线路{step}", domain=rng.choice(list(DOMAINS)),
                                     openness=rng.choice(list(OPENNESS)), frequency=resource.frequency,
                                     is_public=not resource.is_public,
                                     circulation_modes=rng.sample(list(CIRCULATION_MODES), rng.randint(0, 3)))
        elif kind == "retire":
            services.retire_resource(sec, resource)
        elif kind == "reinstate":
            services.reinstate_resource(sec, resource)
        elif kind == "import":
            member = resource.member
            if member.is_active:
                imports.apply_rows(sec, member, [
                    _import_row(resource, title=f"导入更新{step}", domain=rng.choice(list(DOMAINS)),
                                circulation_mask=rng.randint(0, 15)),
                    _import_row(resource, code=f"IMP{step}", title=f"导入新增{step}", is_public=True)])
        elif kind == "suspend":
            member = rng.choice(members)
            (suspend_member(sec, member, "测试") if member.is_active else reinstate_member(sec, member))
        elif kind == "bulk":  # like seed-scale: a Core insert with explicit ids (the database indexes it)
            conn = db.session.connection()
            next_id = db.session.scalar(select(func.max(DataResource.id))) + 1
            rows = [{"id": next_id + k, "member_id": members[k].id, "city_id": members[k].city_id,
                     "code": f"B{step}-{k}", "title": f"批量医保{k}", "description": "", "keywords": "",
                     "domain": rng.choice(list(DOMAINS)), "frequency": "annual", "openness": "open",
                     "circulation_mask": rng.randint(0, 15), "is_public": True, "status": "active",
                     "department": "", "contact_name": "", "contact_email": "", "spatial_coverage": "",
                     "registration_no": "", "formats": "", "has_api": False,
                     "data_updated_on": date(2025, 5, k + 1)} for k in range(3)]
            conn.execute(insert(DataResource), rows)
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('data_resources', 'id'), "
                                     "(SELECT max(id) FROM data_resources))")
        elif kind == "delete":  # a raw Core delete: logged by the trigger, a full read follows
            conn = db.session.connection()
            db.session.expunge(resource)
            conn.execute(delete(DataResource.__table__).where(DataResource.id == resource.id))
        db.session.commit()
        full = columns.stats["full"]
        _assert_same_as_full_read(actors, cases)
        # only the delete (and a member's renamed... no: only the delete) makes every row be read again
        assert columns.stats["full"] - full == (kind == "delete"), kind
    assert columns.stats["incremental"] - before["incremental"] >= len(done) // 2


def test_uncommitted_writes_never_serve_as_a_base(make_member):
    """A search inside a transaction that wrote sees its own writes on a private snapshot;
    after a rollback the shared snapshot answers as before."""
    rng = random.Random(5)
    member = make_member(name="青岛数据集团", city="青岛", code="qingdao")
    set_actor(None)
    db.session.add_all([_resource(rng, i, member, status="active", is_public=True) for i in range(10)])
    db.session.commit()
    total = s.search(None, s.SearchParams())["total"]
    shared = columns.snapshot()
    resource = db.session.scalars(select(DataResource)).first()
    resource.status = "retired"
    db.session.flush()
    assert s.search(None, s.SearchParams())["total"] == total - 1
    assert columns.snapshot() is not shared and columns.snapshot().pos is None
    db.session.rollback()
    assert s.search(None, s.SearchParams())["total"] == total
    assert columns.snapshot() is shared


def test_writers_only_append_to_the_change_log(make_member):
    """No writer updates a shared row: each write appends its own change rows, names
    included; a deleted entry is logged with its id."""
    from consortium.catalog.models import SearchChange
    rng = random.Random(9)
    member = make_member(name="青岛数据集团", city="青岛", code="qingdao")
    db.session.execute(delete(SearchChange))
    db.session.commit()
    set_actor(None)
    rows = [_resource(rng, i, member) for i in range(3)]
    db.session.add_all(rows)
    db.session.commit()
    rows[0].title = "新标题"
    member.name = "青岛数据集团（新）"
    db.session.commit()
    doomed = rows[1].id
    db.session.delete(rows[1])
    db.session.commit()
    log = db.session.execute(select(SearchChange.kind, SearchChange.resource_id).order_by(SearchChange.id)).all()
    kinds = [k for k, _r in log]
    assert kinds.count("W") >= 4 and "N" in kinds and ("D", doomed) in log
    assert {r for k, r in log if k == "W"} == {r.id for r in rows}


def test_old_change_rows_are_pruned(make_member):
    from datetime import datetime, timedelta

    from consortium.catalog.models import SearchChange
    db.session.add(SearchChange(kind="W", resource_id=1, at=datetime.now() - timedelta(days=3)))
    db.session.add(SearchChange(kind="W", resource_id=2))
    db.session.commit()
    if db.session.get_bind().dialect.name == "sqlite":  # one shared in-memory connection: not pruned
        assert columns.prune_changes(force=True) == 0
        return
    assert columns.prune_changes(force=True) == 1
    db.session.expire_all()
    assert db.session.scalars(select(SearchChange.resource_id)).all() == [2]
