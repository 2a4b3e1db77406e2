"""The job engine without a worker process: jobs taken from a real broker in the test process
(``run_queued``). What a job that raises, is refused, is cancelled, loses its worker or
outlives its file becomes. tests/jobs/test_worker.py does the same with real workers."""
import os
import time
from datetime import timedelta

from sqlalchemy import select

from consortium.core.clock import utcnow
from consortium.extensions import db
from consortium.jobs import engine, files, start_job
from consortium.jobs.models import Job
from consortium.jobs.pruning import prune_jobs
from consortium.jobs.services import cancel_job
from tests.jobs import kinds  # noqa: F401  (the test kinds)
from tests.jobs.helpers import run_queued


def _start(user, kind, **params):
    job = start_job(user, kind, params, title="测试任务")
    db.session.commit()
    return job.id


def _job(job_id) -> Job:
    db.session.expire_all()
    return db.session.get(Job, job_id)


def test_a_refused_job_fails_with_its_message_at_once(make_user, queued_broker):
    user = make_user("a@cdou.example", role="secretariat")
    job_id = _start(user, "test.refused")
    assert run_queued() == 1  # not retried: the refusal is the user's to read
    job = _job(job_id)
    assert (job.state, job.attempts, job.message) == ("failed", 1, "这个任务无法完成：所选成员已被暂停。")
    assert job.finished_at is not None and job.file_name is None


def test_an_unexpected_error_is_retried_then_fails_with_a_readable_message(make_user, queued_broker):
    user = make_user("a@cdou.example", role="secretariat")
    job_id = _start(user, "test.broken")
    assert run_queued() == 2  # the first run and its one retry
    job = _job(job_id)
    assert (job.state, job.attempts) == ("failed", 2)
    assert job.message == "任务失败。请稍后再试；如果一直失败，请告知秘书处。"  # no traceback for the user


def test_a_job_that_fails_once_succeeds_on_its_retry(make_user, queued_broker, tmp_path, app):
    user = make_user("a@cdou.example", role="secretariat")
    job_id = _start(user, "test.flaky", dir=str(tmp_path))
    assert run_queued() == 2
    job = _job(job_id)
    assert (job.state, job.attempts, job.message) == ("done", 2, "")
    assert files.path_of(job.file_name).read_bytes() == b"second attempt"
    assert job.expires_at - job.finished_at == timedelta(hours=app.config["JOBS_KEEP_HOURS"])


def test_a_cancelled_queued_job_never_runs(make_user, queued_broker, client):
    user = make_user("a@cdou.example", role="secretariat")
    job_id = _start(user, "test.slow", steps=3, pause=0)
    cancel_job(user, job_id)
    db.session.commit()
    assert run_queued() == 1
    job = _job(job_id)
    assert (job.state, job.attempts, job.file_name, job.message) == ("cancelled", 0, None, "已取消。")


def test_a_job_whose_worker_stopped_runs_again_and_is_given_up_after_three_runs(make_user, queued_broker):
    user = make_user("a@cdou.example", role="secretariat")
    job_id = _start(user, "test.slow", steps=2, pause=0)
    assert engine.huey.dequeue() is not None  # the worker took the message, then died:
    db.session.execute(db.update(Job).where(Job.id == job_id).values(
        state="running", attempts=1, started_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    assert engine.recover_lost_jobs() == 1
    job = _job(job_id)
    assert job.state == "queued" and job.message == "执行此任务的进程已停止，任务将重新执行。"
    assert run_queued() == 1
    job = _job(job_id)
    assert (job.state, job.attempts, job.rows) == ("done", 2, 2)
    assert files.path_of(job.file_name).read_text(encoding="utf-8") == "第 1 行\n第 2 行\n"

    lost = _start(user, "test.slow", steps=2, pause=0)
    engine.huey.dequeue()
    db.session.execute(db.update(Job).where(Job.id == lost).values(
        state="running", attempts=3, started_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    assert engine.recover_lost_jobs() == 0
    assert (_job(lost).state, _job(lost).message) == ("failed", "任务被中断 3 次，已放弃。")


def test_a_running_job_with_a_live_worker_is_left_alone(make_user, queued_broker):
    user = make_user("a@cdou.example", role="secretariat")
    job_id = _start(user, "test.slow", steps=2, pause=0)
    engine.huey.dequeue()
    db.session.execute(db.update(Job).where(Job.id == job_id).values(
        state="running", attempts=1, started_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    engine._beat(engine._job_key(job_id))  # its worker is alive
    assert engine.recover_lost_jobs() == 0 and _job(job_id).state == "running"


def test_a_job_just_claimed_again_is_not_taken_for_lost_by_its_earlier_runs_last_beat(make_user, queued_broker):
    """A killed run's last beat stays in the broker; the run that took the job over a moment
    ago (before its own first beat) must not be queued a third time because of it."""
    user = make_user("a@cdou.example", role="secretariat")
    job_id = _start(user, "test.slow", steps=2, pause=0)
    engine.huey.dequeue()
    engine.huey.storage.put_data(engine._job_key(job_id), str(time.time() - 600).encode())  # the killed run's
    db.session.execute(db.update(Job).where(Job.id == job_id).values(state="running", attempts=2,
                                                                      started_at=utcnow()))
    db.session.commit()
    assert engine.recover_lost_jobs() == 0 and (_job(job_id).state, _job(job_id).attempts) == ("running", 2)


def test_expired_files_and_files_no_job_names_are_removed(make_user, app):
    user = make_user("a@cdou.example", role="secretariat")
    job_id = _start(user, "test.slow", steps=1, pause=0)  # immediate mode: done now
    job = _job(job_id)
    kept = files.path_of(job.file_name)
    assert kept.is_file()
    orphan, part = files.directory() / "orphan.csv", files.directory() / "x.csv.part"
    young = files.directory() / "young.csv.part"  # a worker may be writing it right now
    for path in (orphan, part, young):
        path.write_bytes(b"half")
    old = time.time() - 2 * 3600
    os.utime(orphan, (old, old))
    os.utime(part, (old, old))
    assert prune_jobs() == (2, 0)  # the job's own file is still kept
    assert kept.is_file() and young.is_file() and not orphan.exists() and not part.exists()

    db.session.execute(db.update(Job).where(Job.id == job_id).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert prune_jobs() == (1, 0)
    job = _job(job_id)
    assert not kept.exists() and job.file_name is None and job.message == "文件已在 24 小时后删除。"
    db.session.execute(db.update(Job).where(Job.id == job_id).values(finished_at=utcnow() - timedelta(days=31)))
    db.session.commit()
    assert prune_jobs() == (0, 1) and db.session.scalar(select(Job.id)) is None
    young.unlink()


def test_a_job_page_follows_its_progress_without_javascript(make_user, queued_broker, browser):
    user = make_user("a@cdou.example", role="secretariat")
    job_id = _start(user, "test.slow", steps=2, pause=0)
    browser.login("a@cdou.example")
    html = browser.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert "等待开始" in html and 'id="job-cancel"' in html and "js/job-progress.js" in html
    run_queued()
    html = browser.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in html and 'id="job-cancel"' not in html
    assert "已就绪" in html and "已写入 2 行" in html and "slow.txt" in html
    answer = browser.post_form(f"/jobs/{job_id}/cancel", {}, form_url="/")
    assert answer.status_code == 302 and _job(job_id).state == "done"  # finished: nothing to cancel
    assert "此任务已经结束。" in browser.get(f"/jobs/{job_id}").get_data(as_text=True)


def test_healthz_names_the_job_engine_when_no_worker_runs(client, queued_broker):
    assert client.get("/healthz").get_json()["checks"]["jobs"]["status"] == "pass"  # a beat was just written
    queued_broker.storage.put_data(engine.WORKER_KEY, str(time.time() - 3600).encode())  # the last worker left an hour ago
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "warn"  # degraded, not down
    assert body["checks"]["jobs"]["status"] == "fail" and not body["checks"]["jobs"]["critical"]
    assert "exports of large lists" in body["checks"]["jobs"]["output"]
    assert body["checks"]["database"]["status"] == "pass"
