"""Real worker processes (``flask jobs worker``) on a huey SQLite broker, against a database
the test shares with them (a SQLite file, or the suite's PostgreSQL): an export end to end
over the API, a worker killed with SIGKILL in the middle of a job (no complete-looking file,
the job runs again under the next worker), cancelling a running job, a retry."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from consortium import create_app
from consortium.auth.services import create_api_token, create_user
from consortium.catalog import services as catalog
from consortium.config import TestConfig
from consortium.extensions import db
from consortium.geo.services import find_city, load_reference_data
from consortium.jobs import engine, files, start_job
from consortium.jobs.models import Job
from consortium.jobs.services import cancel_job
from consortium.members.services import admit_member
from tests.conftest import PASSWORD
from tests.factories import ResourceFields
from tests.jobs import kinds  # noqa: F401  (the test kinds, loaded by the workers too)

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shared(app, tmp_path, monkeypatch):
    """(an app whose database and broker worker processes can reach, their environment)."""
    env = {"TEST_JOBS_BROKER_URL": f"sqlite:///{tmp_path / 'broker.db'}", "TEST_JOBS_FILE_DIR": str(tmp_path / "files"),
           "JOBS_STALE_SECONDS": "2", "JOBS_WORKER_GONE_SECONDS": "20", "CDOU_ENV": "testing"}
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
    def __init__(self, env):
        self.proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker", "--workers", "2",
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

    def start():
        started.append(Worker(shared[1]))
        return started[-1]
    yield start
    for worker in started:
        worker.stop()


def _wait(check, seconds=60, what="the job"):
    deadline = time.time() + seconds
    while time.time() < deadline:
        db.session.rollback()
        db.session.expire_all()
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} did not get there in {seconds} s")


def _job(job_id) -> Job:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Job, job_id)


def _user(email="worker@cdou.example"):
    member = admit_member(None, name="温州大数据公司", kind="data_group", city=find_city("温州"), code="wenzhou")
    user = create_user(None, email=email, password=PASSWORD, member=member)
    for i in range(5):
        catalog.create_resource(None, member, **ResourceFields(code=f"WZ-{i}", title=f"温州公交数据 {i}",
                                                               is_public=i % 2 == 0))
    db.session.commit()
    return user


def test_a_worker_process_runs_an_export_a_retry_and_a_cancel(shared, workers, tmp_path):
    """One worker for three stories (a worker process costs seconds to start)."""
    app, _env = shared
    user = _user()
    token = create_api_token(None, user, "worker")[1]
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    workers()
    client = app.test_client()
    _wait(lambda: engine.status()[0], 30, "a worker's first beat")
    answer = client.post("/api/v1/exports", json={"format": "csv", "q": "公交"}, headers=headers)
    assert answer.status_code == 202 and answer.get_json()["state"] == "queued"
    url = answer.headers["Location"]
    job = _wait(lambda: (j := client.get(url, headers=headers).get_json())["state"] == "done" and j)
    assert (job["percent"], job["rows"]) == (100, 5)
    data = client.get(job["file"]["url"], headers=headers).data.decode("utf-8-sig")
    assert [line.split(",")[0] for line in data.splitlines()[1:]] == [f"WZ-{i}" for i in reversed(range(5))]

    flaky = start_job(user, "test.flaky", {"dir": str(tmp_path)}, title="重试").id  # fails once, then works
    slow = start_job(user, "test.slow", {"steps": 200, "pause": 0.05}, title="慢任务").id
    db.session.commit()
    job = _wait(lambda: (j := _job(flaky)).state == "done" and j, 60)
    assert (job.attempts, job.message) == (2, "") and files.path_of(job.file_name).read_bytes() == b"second attempt"

    _wait(lambda: _job(slow).rows >= 2, 60, "the slow job's second step")
    cancel_job(user, slow)
    db.session.commit()
    job = _wait(lambda: (j := _job(slow)).state == "cancelled" and j, 30)
    assert job.rows < 200 and job.file_name is None
    assert not [p for p in files.directory().iterdir() if p.name.endswith(files.PART)]  # its partial file removed


def test_a_worker_killed_mid_job_leaves_no_finished_file_and_the_job_runs_again(shared, workers):
    app, _env = shared
    user = _user()
    first = workers()
    _wait(lambda: engine.status()[0], 30, "a worker's first beat")
    job_id = start_job(user, "test.slow", {"steps": 25, "pause": 0.1}, title="慢任务").id
    db.session.commit()
    _wait(lambda: _job(job_id).rows >= 3, 60, "the slow job's third step")
    first.stop(signal.SIGKILL)
    job = _job(job_id)
    assert job.state == "running" and job.file_name is None
    written = list(files.directory().iterdir())
    assert written and all(p.name.endswith(files.PART) for p in written)  # only a partial file, named so
    time.sleep(2.5)  # its beat goes stale
    workers()  # the next worker finds the lost job when it starts
    job = _wait(lambda: (j := _job(job_id)).state == "done" and j, 60)
    assert job.attempts == 2
    assert files.path_of(job.file_name).read_text(encoding="utf-8").splitlines() == [
        f"第 {i} 行" for i in range(1, 26)]
