"""Alembic migrations build exactly the models' schema (no drift), on the test database's engine."""
import uuid

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
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        db.engine.dispose()
    assert diff == []
