"""Runs as work of the job engine (a real huey broker): a started run is queued until a worker
takes it; the periodic check queues due sources only; the command line runs and previews."""
from datetime import timedelta

from sqlalchemy import func, select

from consortium.catalog.models import DataResource
from consortium.core.clock import utcnow
from consortium.extensions import db
from consortium.harvest import tasks
from consortium.harvest.models import HarvestRun
from consortium.jobs.models import Job
from tests.jobs.helpers import run_queued

from .conftest import EXAMPLES
from .test_runs import DCAT_MAPS


def test_started_run_waits_for_a_worker(site, make_source, people, queued_broker):
    url = site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    source = make_source("dcat", url, maps=DCAT_MAPS)
    harvest_run, job = tasks.start_run(people["users"]["xm"], source)
    db.session.commit()
    assert db.session.get(HarvestRun, harvest_run.id).state == "queued"
    assert db.session.scalar(select(func.count(DataResource.id))) == 0
    assert run_queued() == 1
    db.session.expire_all()
    done = db.session.get(HarvestRun, harvest_run.id)
    assert (done.state, done.created) == ("done", 3)
    job = db.session.get(Job, job.id)
    assert job.state == "done" and "新增 3" in job.message and job.rows == 3


def test_periodic_check_queues_only_due_sources(site, make_source, people, queued_broker):
    url = site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    due = make_source("dcat", url, maps=DCAT_MAPS, schedule="daily")
    recent = make_source("dcat", url, maps=DCAT_MAPS, schedule="weekly", member="qd")
    recent.last_run_at = utcnow() - timedelta(days=2)
    manual = make_source("dcat", url, maps=DCAT_MAPS)
    proposed = make_source("dcat", url, maps=DCAT_MAPS, schedule="daily", approve=False)
    db.session.commit()
    assert tasks.queue_due_sources() == 1
    assert tasks.queue_due_sources() == 0  # already queued: not twice
    run_queued()
    db.session.expire_all()
    runs = db.session.scalars(select(HarvestRun)).all()
    assert [(r.source_id, r.trigger, r.state, r.created) for r in runs] == [(due.id, "schedule", "done", 3)]
    assert {manual.id, proposed.id, recent.id}.isdisjoint({r.source_id for r in runs})
    assert tasks.queue_due_sources() == 0  # ran a moment ago


def test_scheduled_failure_notifies_the_member(site, make_source, people):
    from consortium.notifications.models import Notification
    from consortium.notifications.registry import detail_of
    url = site.serve("/catalog.ttl", "", status=500, content_type="text/turtle")
    make_source("dcat", url, schedule="daily")
    assert tasks.queue_due_sources() == 1
    note = db.session.scalar(select(Notification).where(Notification.kind == "harvest.run_failed"))
    assert note.member_id == people["xm"].id and note.payload["reason"]["code"] == "http_status"
    assert "采集源返回 HTTP 500" in detail_of(note)  # the reason, written in the reader's language


def test_command_line(runner, site, make_source, people):
    url = site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    source = make_source("dcat", url, maps=DCAT_MAPS)
    preview = runner.invoke(args=["harvest", str(source.id), "--dry-run"])
    assert preview.exit_code == 0, preview.output
    assert "preview" in preview.output and "created 3" in preview.output and "XM-JT-0001" in preview.output
    assert db.session.scalar(select(func.count(DataResource.id))) == 0
    result = runner.invoke(args=["harvest", str(source.id)])
    assert result.exit_code == 0 and "created 3" in result.output
    assert db.session.scalar(select(func.count(DataResource.id))) == 3
    missing = runner.invoke(args=["harvest", "99999"])
    assert missing.exit_code != 0 and "no source 99999" in missing.output
