"""Real worker processes for the tests of the job engine: ``shared`` (an app whose database,
broker and files worker processes reach too) and ``workers`` (starts ``flask jobs worker``
processes, stopped at the test's end). The broker is huey's SQLite storage unless a module
overrides ``broker_url`` (tests/jobs/test_redis_worker.py: a redis-server of its own)."""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from consortium import create_app
from consortium.config import TestConfig
from consortium.extensions import db
from consortium.geo.services import load_reference_data
from consortium.jobs import engine

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def broker_url(tmp_path):
    return f"sqlite:///{tmp_path / 'broker.db'}"


@pytest.fixture
def shared(app, tmp_path, monkeypatch, broker_url):
    """(an app whose database and broker worker processes can reach, their environment)."""
    env = {"TEST_JOBS_BROKER_URL": broker_url, "TEST_JOBS_FILE_DIR": str(tmp_path / "files"),
           "JOBS_STALE_SECONDS": "8", "JOBS_WORKER_GONE_SECONDS": "20", "CDOU_ENV": "testing"}
    on_postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    env["TEST_DATABASE_URL"] = os.environ["TEST_DATABASE_URL"] if on_postgres else f"sqlite:///{tmp_path / 'p.db'}"
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    if on_postgres:  # the suite's own database: the workers reach it
        monkeypatch.setitem(app.config, "JOBS_FILE_DIR", env["TEST_JOBS_FILE_DIR"])
        engine.set_broker(env["TEST_JOBS_BROKER_URL"])
        other = app
    else:  # an in-memory database is the test process's own: a file instead
        other = create_app(TestConfig)
        with other.app_context():
            db.create_all()
            load_reference_data()
            db.session.commit()
    with other.app_context():
        yield other, dict(os.environ, **env)
        db.session.rollback()
        if other is not app:
            db.session.remove()
            db.engine.dispose()
    engine.configure(app)  # back to immediate mode, for the suite's app


class Worker:
    def __init__(self, env, threads=2):
        self.proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker", "--workers", str(threads),
                                      "--import", "tests.jobs.kinds"], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.stdout.read().decode(errors="replace")


@pytest.fixture
def workers(shared):
    started = []

    def start(threads=2):
        started.append(Worker(shared[1], threads))
        return started[-1]
    yield start
    for worker in started:
        worker.stop()


