"""A run's own time limit (HARVEST_RUN_TIMEOUT) and runs whose worker was lost: a run past its
limit stops, fails with its reason in its report, and writes nothing — no entry changed, none
archived, nothing half-written; a run that can no longer finish never stays "running" and
never blocks its source."""
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from consortium.audit.models import AuditLog
from consortium.core.clock import utcnow
from consortium.extensions import db
from consortium.harvest import fetch, services, tasks
from consortium.harvest.models import HarvestedEntry, HarvestRun
from consortium.jobs import JobCancelled, engine
from consortium.jobs.models import Job
from consortium.notifications.models import Notification
from tests.jobs.helpers import run_queued

from .conftest import EXAMPLES
from .test_runs import DCAT_MAPS, count, entries, run

EU = "http://publications.europa.eu/resource/authority/"
PREFIXES = ("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
            "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n")


def dataset(i: int, title: str) -> str:
    return (f'<https://data.xiamen.example.cn/dataset/{i}> a dcat:Dataset ; dct:identifier "XM-GJ-{i:04d}" ;\n'
            f'  dct:title "{title} {i}"@zh ; dcat:theme <{EU}data-theme/TRAN> ;\n'
            f'  dct:accrualPeriodicity <{EU}frequency/DAILY> ; dct:accessRights <{EU}access-right/PUBLIC> .\n')


def serve_pages(site, pages: int, per_page: int = 3, delay: float = 0.0, title: str = "公交客流") -> str:
    """A DCAT catalogue in ``pages`` Hydra pages, each answered after ``delay`` seconds."""
    for n in range(1, pages + 1):
        link = f"<{site.url(f'/p{n}.ttl')}> hydra:next <{site.url(f'/p{n + 1}.ttl')}> .\n" if n < pages else ""
        body = PREFIXES + link + "".join(dataset(i, title) for i in range((n - 1) * per_page, n * per_page))
        site.serve(f"/p{n}.ttl", body, content_type="text/turtle", delay=delay)
    return site.url("/p1.ttl")


def state_of_map(member):
    links = {h.remote_id: (h.content_hash, h.missing_runs, h.archived_at)
             for h in db.session.scalars(select(HarvestedEntry))}
    return {code: (r.title, r.status, r.version) for code, r in entries(member).items()}, links


@pytest.fixture
def run_timeout(app):
    saved = app.config.get("HARVEST_RUN_TIMEOUT")

    def set_to(seconds):
        app.config["HARVEST_RUN_TIMEOUT"] = seconds
    yield set_to
    app.config["HARVEST_RUN_TIMEOUT"] = saved


def test_slow_paged_source_past_the_run_limit_fails_and_changes_nothing(site, make_source, people, run_timeout,
                                                                         browser):
    source = make_source("dcat", serve_pages(site, 4), maps=DCAT_MAPS, archive_after=1)
    assert run(source).created == 12
    before, audit_rows = state_of_map(people["xm"]), count(AuditLog)
    # the source now changes every title and drops its last page (a complete run would change 9
    # entries and archive 3), and answers each page in 0.8 s: 2.4 s in all, the limit is 1.2 s
    serve_pages(site, 3, delay=0.8, title="公交客流（新）")
    run_timeout(1.2)
    site.hits.clear()
    started = time.monotonic()
    result = run(source)
    took = time.monotonic() - started
    assert result.state == "failed"
    assert "超过规定时限 1.2 秒" in result.reason and "未写入任何条目" in result.reason, result.reason
    assert result.counts() == {k: 0 for k in result.counts()} and result.finished_at is not None
    assert "/p3.ttl" not in site.hits and took < 2.4  # stopped at the limit, not after reading every page
    assert state_of_map(people["xm"]) == before and count(AuditLog) == audit_rows
    assert {r.status for r in entries(people["xm"]).values()} == {"active"}  # none archived
    browser.login("xm@cdou.example")
    html = browser.get(f"/harvest/{source.id}/runs/{result.id}").get_data(as_text=True)
    assert 'id="run-state">失败<' in html and "超过规定时限 1.2 秒" in html and "发送失败" not in html
    assert 'id="run-records"' not in html  # no "every record was used" under a run that used none
    # within the limit the same source is harvested whole
    run_timeout(30)
    again = run(source)
    assert (again.state, again.changed, again.unchanged, again.archived) == ("done", 9, 0, 3)
    html = browser.get(f"/harvest/{source.id}/runs/{again.id}").get_data(as_text=True)
    assert 'id="run-records"' in html and "<th>处理结果</th>" in html and "谈判结果" not in html


def test_limit_reached_while_writing_rolls_back_the_records_already_written(site, make_source, people, run_timeout,
                                                                           monkeypatch):
    source = make_source("dcat", serve_pages(site, 2), maps=DCAT_MAPS)
    assert run(source).created == 6
    before, audit_rows = state_of_map(people["xm"]), count(AuditLog)
    serve_pages(site, 2, title="公交客流（新）")
    real_update = services.catalog.update_resource
    updated = []
    clock = [1000.0]  # the run's clock moves only while entries are written: on a loaded machine,
    monkeypatch.setattr(fetch, "time", SimpleNamespace(monotonic=lambda: clock[0]))  # reading costs none

    def slow_update(*args, **kw):  # each entry takes 0.3 s to write: the limit comes after two or three
        clock[0] += 0.3
        updated.append(real_update(*args, **kw).code)
        return updated[-1]
    monkeypatch.setattr(services.catalog, "update_resource", slow_update)
    monkeypatch.setattr(services, "CHECK_EVERY", 1)
    run_timeout(0.7)
    result = run(source)
    assert result.state == "failed" and "超过规定时限 0.7 秒" in result.reason
    assert 1 <= len(updated) < 6  # some entries were written in the run's transaction, then rolled back
    db.session.expire_all()
    assert state_of_map(people["xm"]) == before and count(AuditLog) == audit_rows
    assert all(not r.title.endswith("（新）" + r.code[-1]) for r in entries(people["xm"]).values())


def test_cancelled_run_is_failed_not_left_running(site, make_source, people):
    source = make_source("dcat", serve_pages(site, 2), maps=DCAT_MAPS)
    harvest_run = services.new_run(None, source)
    db.session.commit()

    def cancelled(records):
        raise JobCancelled()
    with pytest.raises(JobCancelled):
        services.execute_run(harvest_run.id, cancelled)
    db.session.expire_all()
    stopped = db.session.get(HarvestRun, harvest_run.id)
    assert (stopped.state, stopped.reason) == ("failed", "运行已取消，未做任何更改。")
    assert entries(people["xm"]) == {}
    assert run(source).created == 6  # the source is not blocked


def lose_worker(job_id, attempts):
    """What a worker killed in the middle of a run leaves: its job running, no longer beating."""
    job = db.session.get(Job, job_id)
    job.state, job.attempts, job.started_at = "running", attempts, utcnow() - timedelta(minutes=5)
    db.session.commit()


def test_run_whose_job_the_engine_gave_up_is_failed_and_unblocks_its_source(site, make_source, people,
                                                                            queued_broker):
    url = site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    source = make_source("dcat", url, maps=DCAT_MAPS)
    harvest_run, job = tasks.start_run(people["users"]["xm"], source)
    harvest_run.state, harvest_run.started_at = "running", utcnow() - timedelta(minutes=5)
    db.session.commit()
    lose_worker(job.id, attempts=engine.MAX_ATTEMPTS)
    assert engine.recover_lost_jobs() == 0  # interrupted three times: the engine gives the job up
    assert db.session.get(Job, job.id).state == "failed"
    with pytest.raises(services.DomainError):  # still "running": the source is blocked …
        services.new_run(None, source)
    db.session.rollback()
    assert tasks.queue_due_sources() == 0  # … until the periodic check (a manual source: nothing queued)
    db.session.expire_all()
    lost = db.session.get(HarvestRun, harvest_run.id)
    assert lost.state == "failed" and "工作进程已停止" in lost.reason and lost.finished_at is not None
    assert entries(people["xm"]) == {}
    assert run(source).created == 3


def test_run_whose_worker_was_lost_runs_again_under_the_engine(site, make_source, people, queued_broker):
    url = site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    source = make_source("dcat", url, maps=DCAT_MAPS)
    harvest_run, job = tasks.start_run(people["users"]["xm"], source)
    harvest_run.state = "running"
    db.session.commit()
    assert engine.huey.dequeue() is not None  # a worker took the message … and was killed
    lose_worker(job.id, attempts=1)
    assert services.recover_stuck_runs() == 0  # the job is still the engine's: left alone
    assert engine.recover_lost_jobs() == 1
    assert run_queued() == 1
    db.session.expire_all()
    done = db.session.get(HarvestRun, harvest_run.id)
    assert (done.state, done.created) == ("done", 3)
    assert db.session.get(Job, job.id).state == "done"


def test_scheduled_runs_that_lost_their_worker_or_message_are_failed(site, make_source, people, queued_broker,
                                                                    run_timeout):
    url = site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    lost = make_source("dcat", url, maps=DCAT_MAPS, schedule="daily")
    alive = make_source("dcat", url, maps=DCAT_MAPS, schedule="daily", member="qd")
    never = make_source("dcat", url, maps=DCAT_MAPS, schedule="weekly", member="qd")
    assert tasks.queue_due_sources() == 3  # three scheduled runs queued (background tasks, no job)
    runs = {r.source_id: r for r in db.session.scalars(select(HarvestRun))}
    run_timeout(1800)
    now = utcnow()
    runs[lost.id].state, runs[lost.id].started_at = "running", now - timedelta(minutes=30 + 11)
    runs[alive.id].state, runs[alive.id].started_at = "running", now - timedelta(minutes=30 + 9)
    runs[never.id].created_at = now - timedelta(days=1, minutes=1)
    db.session.commit()
    assert services.recover_stuck_runs() == 2
    db.session.expire_all()
    states = {r.source_id: (r.state, r.reason) for r in db.session.scalars(select(HarvestRun))}
    assert states[alive.id] == ("running", "")  # within its limit and the grace: may still finish
    assert states[lost.id][0] == "failed" and "工作进程已停止" in states[lost.id][1]
    assert states[never.id][0] == "failed" and "从未开始" in states[never.id][1]
    notes = db.session.scalars(select(Notification).where(Notification.kind == "harvest.run_failed")).all()
    assert {n.member_id for n in notes} == {people["xm"].id, people["qd"].id}
    assert services.recover_stuck_runs() == 0
