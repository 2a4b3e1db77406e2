"""Alembic migrations build exactly the models' schema (no drift), on the test database's engine."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from consortium import create_app
from consortium import config as cfg
from consortium.extensions import db

pytestmark = pytest.mark.slow


@pytest.fixture
def fresh_database_url(app, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"cdou_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_match_models(fresh_database_url, monkeypatch):
    monkeypatch.setenv("TEST_DATABASE_URL", fresh_database_url)
    migrated = create_app(cfg.TestConfig)
    with migrated.app_context():
        upgrade()
        with db.engine.connect() as conn:
            from consortium.catalog.search.index import not_an_orm_table
            diff = compare_metadata(MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": not_an_orm_table}), db.metadata)
        db.engine.dispose()
    assert diff == []


ONE_CLOCK = "5e1c0a7d9b31"  # the revision that made every timestamp an aware instant


@pytest.mark.parametrize("session_zone, x_arg", [("Asia/Shanghai", None), ("UTC", "server_zone=Asia/Shanghai")])
def test_one_clock_migration_reads_each_column_in_the_zone_it_was_written_in(fresh_database_url, monkeypatch,
                                                                             session_zone, x_arg):
    """A PostgreSQL server in Asia/Shanghai filled ``server_default now()`` columns with local time
    and Python wrote naive UTC: after the migration both hold the same instant. The server's zone
    is the migrating session's, or the one named by ``-x server_zone=...``."""
    if not fresh_database_url.startswith("postgresql"):
        pytest.skip("SQLite keeps no zone: its stored text is UTC already")
    name = fresh_database_url.rsplit("/", 1)[1]
    admin = create_engine(fresh_database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"ALTER DATABASE \"{name}\" SET timezone = '{session_zone}'"))
    admin.dispose()
    monkeypatch.setenv("TEST_DATABASE_URL", fresh_database_url)
    migrated = create_app(cfg.TestConfig)
    with migrated.app_context():
        from alembic.script import ScriptDirectory
        from flask_migrate import Migrate
        script = ScriptDirectory.from_config(Migrate().get_config(migrated.extensions["migrate"].directory))
        before = script.get_revision(ONE_CLOCK).down_revision
        upgrade(revision=before)
        with db.engine.begin() as conn:
            assert conn.execute(text("SHOW TimeZone")).scalar() == session_zone
            # 2026-01-01 16:30 UTC, as the server wrote it (local) and as Python wrote it (UTC)
            conn.execute(text("INSERT INTO users (email, name, password_hash, role, is_enabled, created_at, "
                              "last_login_at) VALUES ('a@x.example', '甲', '-', 'member', true, "
                              "'2026-01-02 00:30:00', '2026-01-01 16:30:00')"))
            conn.execute(text("INSERT INTO users (email, name, password_hash, role, is_enabled) "
                              "VALUES ('b@x.example', '乙', '-', 'member', true)"))  # the server's now()
            conn.execute(text("INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) SELECT id, "
                              "'同步', 'h', '2026-01-02 00:30:00', '2026-01-01 16:30:00' FROM users "
                              "WHERE email = 'a@x.example'"))
        upgrade(x_arg=[x_arg] if x_arg else None)
        from consortium.auth.models import ApiToken, User
        from consortium.core.clock import utcnow
        a = db.session.scalar(db.select(User).where(User.email == "a@x.example"))
        b = db.session.scalar(db.select(User).where(User.email == "b@x.example"))
        token = db.session.scalar(db.select(ApiToken))
        instant = datetime(2026, 1, 1, 16, 30, tzinfo=timezone.utc)
        assert a.created_at == a.last_login_at == token.created_at == token.expires_at == instant
        assert a.created_at.utcoffset() == timedelta(0)
        if x_arg is None:  # (with -x, this row's now() was UTC but is declared Shanghai: 8 hours early)
            assert abs(utcnow() - b.created_at) < timedelta(minutes=5)  # not eight hours off
        with db.engine.connect() as conn:
            types = dict(conn.execute(text(
                "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'public' AND data_type LIKE 'timestamp%'")).all())
            defaults = conn.execute(text(
                "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = "
                "'public' AND data_type LIKE 'timestamp%' AND column_default IS NOT NULL")).scalars().all()
        assert set(types.values()) == {"timestamp with time zone"} and len(types) > 40
        assert defaults == ["catalog_changes.at"]  # filled by triggers; every other default is Python's clock
        db.session.remove()
        db.engine.dispose()
