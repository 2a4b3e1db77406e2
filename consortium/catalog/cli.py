"""flask commands of the resource map: seed-scale (synthetic national-scale data) and reindex."""
import random
import time
from datetime import date

import click
from flask import current_app
from sqlalchemy import func, insert, select, text

from consortium.extensions import db
from consortium.geo.models import City
from consortium.geo.services import load_reference_data
from consortium.members.models import Member

from .demo import make_resource_values
from .models import DataResource
from .search.index import rebuild

SYNTHETIC_PREFIX = "syn-"  # member codes of the synthetic organisations
SYNTHETIC_NOTE = "合成数据：由 flask seed-scale 生成，仅用于容量与性能测试（synthetic test data）。"


def register(app):
    @app.cli.command("seed-scale")
    @click.option("--resources", "total", default=100_000, show_default=True, type=click.IntRange(1, 10_000_000),
                  help="How many synthetic resources the database should hold in the end.")
    @click.option("--batch", default=5000, show_default=True, type=click.IntRange(100, 100_000))
    @click.option("--seed", "seed_value", default=338, show_default=True, help="Random seed (deterministic).")
    def seed_scale_cmd(total, batch, seed_value):
        """Generate deterministic synthetic Chinese resources across all cities (bulk inserts;
        the database indexes them). Tops up: running it again with the same N adds nothing."""
        if not current_app.config["DEMO_ALLOWED"]:
            raise click.ClickException("seed-scale refuses to run in production configuration")
        started = time.perf_counter()
        added = seed_scale(total, batch=batch, seed_value=seed_value, echo=click.echo)
        click.echo(f"seed-scale: {added} resources added in {time.perf_counter() - started:.1f} s")

    @app.cli.command("reindex-resources")
    def reindex_cmd():
        """Rebuild the text index of the resource map from scratch (the database keeps it on
        every write; this is for repairs, e.g. after restoring a partial backup)."""
        rebuild(db.session.connection())
        db.session.commit()
        click.echo("reindexed")


def _synthetic_members(conn) -> list[tuple[int, int, str]]:
    """One clearly labelled synthetic member per city; returns (member_id, city_id, city_name)."""
    load_reference_data()
    cities = db.session.execute(select(City.id, City.adcode, City.name).order_by(City.adcode)).all()
    existing = {code for code in db.session.scalars(select(Member.code).where(
        Member.code.like(SYNTHETIC_PREFIX + "%")))}
    names = [name for _cid, _adcode, name in cities]
    rows = [{"code": f"{SYNTHETIC_PREFIX}{adcode}",
             "name": f"{name}数据运营公司（合成{'' if names.count(name) == 1 else ' ' + adcode}）",
             "name_en": f"Synthetic data operator {adcode}", "kind": "data_group", "city_id": cid,
             "joined_on": date(2025, 4, 18), "status": "active", "description": SYNTHETIC_NOTE, "website": ""}
            for cid, adcode, name in cities if f"{SYNTHETIC_PREFIX}{adcode}" not in existing]
    if rows:
        conn.execute(insert(Member), rows)
    return [tuple(r) for r in db.session.execute(
        select(Member.id, Member.city_id, City.name).join(City, City.id == Member.city_id)
        .where(Member.code.like(SYNTHETIC_PREFIX + "%")).order_by(Member.code))]


def seed_scale(total: int, batch: int = 5000, seed_value: int = 338, echo=print) -> int:
    conn = db.session.connection()
    dialect = conn.dialect.name
    if dialect == "sqlite":
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        conn.exec_driver_sql("PRAGMA cache_size=-400000")
    members = _synthetic_members(conn)
    synthetic_ids = [m[0] for m in members]
    have = db.session.scalar(select(func.count(DataResource.id)).where(DataResource.member_id.in_(synthetic_ids)))
    next_id = (db.session.scalar(select(func.max(DataResource.id))) or 0) + 1
    added = 0
    for start in range(have, total, batch):
        stop = min(total, start + batch)
        rows = []
        for i in range(start, stop):
            rng = random.Random(seed_value * 1_000_003 + i)  # row i is the same whatever the batch size
            member_id, city_id, city_name = members[i % len(members)]
            values = make_resource_values(rng, city_name, i, "SYN")
            values.update(id=next_id, member_id=member_id, city_id=city_id)
            rows.append(values)
            next_id += 1
        conn.execute(insert(DataResource), rows)  # the database indexes them (trigger / GIN index)
        db.session.commit()
        conn = db.session.connection()
        added += len(rows)
        echo(f"  {stop:>9,} / {total:,} resources")
    if dialect == "postgresql":
        conn.execute(text("SELECT setval(pg_get_serial_sequence('data_resources', 'id'), "
                          "(SELECT max(id) FROM data_resources))"))
        conn.exec_driver_sql("ANALYZE data_resources")
    elif dialect == "sqlite":
        conn.exec_driver_sql("ANALYZE")
    db.session.commit()
    return added
