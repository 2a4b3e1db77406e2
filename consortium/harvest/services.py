"""The rules of harvesting: proposing, deciding and editing sources, and a run — read the
source whole, map every record, then write only what changed, archive what is gone, and keep
a report. Functions take the actor explicitly, flush, and raise DomainErrors; callers commit
(a run commits itself: it is the job's whole work)."""
import logging
import re
from collections import Counter
from datetime import timedelta
from functools import partial

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from consortium.audit.services import set_actor
from consortium.catalog import services as catalog
from consortium.catalog.models import DataResource
from consortium.core.clock import utcnow
from consortium.core.exceptions import DomainError, NotFound, PermissionDenied
from consortium.extensions import db
from consortium.jobs import JobCancelled, job_states
from consortium.notifications.services import notify

from . import fetch, mapping, permissions, readers
from .constants import (APPROVED, DONE, FAILED, KEEP_RUNS_DAYS, KEEP_RUNS_MIN, KINDS, MAPPED_FIELDS,
                        MAX_ARCHIVE_AFTER, PREVIEW_RECORDS, PROPOSED, QUEUED, REFUSED, RUNNING, SCHEDULE_EVERY,
                        SCHEDULES)
from .fetch import Deadline, SourceError
from .models import HarvestedEntry, HarvestRun, HarvestSource
from .reasons import Reason, record_reason, refusal

log = logging.getLogger(__name__)
MAX_DETAILS = 2000  # lines of a run's report (failed records first)
LOST_AFTER = timedelta(minutes=10)  # a run still "running" this long past its time limit lost its worker
NEVER_STARTED = timedelta(days=1)  # a scheduled run still queued after this long lost its message
CHECK_EVERY = 100  # records between two looks at the run's deadline
MINUTE = 60  # seconds in a minute of a source's run time limit
MAX_RUN_MINUTES = 7 * 24 * 60  # a source's own limit when the site sets none


# ------------------------------------------------------------------ sources

def site_run_limit_minutes() -> int | None:
    """The most minutes a source may give its runs: the site's ``HARVEST_RUN_TIMEOUT`` (whole
    minutes), or ``MAX_RUN_MINUTES`` when the site sets no limit."""
    seconds = site_run_timeout()
    return MAX_RUN_MINUTES if seconds is None else int(seconds // 60)


def _clean_run_minutes(value) -> int | None:
    """A source's own run time limit: whole minutes from 1 to the site's limit, given as a number or
    as ASCII digits (``²`` or ``３`` are not read as numbers); None or empty: the site's limit."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    most = site_run_limit_minutes()
    if isinstance(value, str):
        value = int(value.strip()) if re.fullmatch(r"[0-9]{1,9}", value.strip()) else None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= most:
        raise DomainError(_("The run time limit is a whole number of minutes from 1 to %(most)d, the site's limit "
                            "(leave it empty to use the site's limit).", most=most) if most >= 1 else
                          _("The site's run time limit is under a minute: a source cannot set its own."),
                          field="run_timeout_minutes")
    return value


def _clean_source(kind, name, url, schedule, archive_after, run_timeout_minutes=None) -> dict:
    if kind not in KINDS:
        raise DomainError(_("Choose the kind of source."), field="kind")
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise DomainError(_("Give the source a name (at most 120 characters)."), field="name")
    url = fetch.check_url(url)
    if len(url) > 500:
        raise DomainError(_("The address is too long (at most 500 characters)."), field="url")
    if schedule not in SCHEDULES:
        raise DomainError(_("Choose a schedule."), field="schedule")
    if not isinstance(archive_after, int) or isinstance(archive_after, bool) \
            or not 1 <= archive_after <= MAX_ARCHIVE_AFTER:
        raise DomainError(_("Archive after 1 to %(n)d runs without the entry.", n=MAX_ARCHIVE_AFTER),
                          field="archive_after")
    return {"kind": kind, "name": name, "url": url, "schedule": schedule, "archive_after": archive_after,
            "run_timeout_minutes": _clean_run_minutes(run_timeout_minutes)}


def propose_source(actor, member, *, kind, name, url, schedule="manual", archive_after=2,
                   make_public=False, run_timeout_minutes=None) -> HarvestSource:
    """A new source for ``member``, waiting for the secretariat's decision (in its inbox)."""
    if actor is not None and not permissions.can_propose_for(actor, member):
        raise PermissionDenied(_("Only the member's users and the secretariat can register its sources."))
    if not member.is_active:
        raise DomainError(_("A suspended member cannot add sources."), field="member")
    set_actor(actor)
    source = HarvestSource(member=member, member_id=member.id, proposed_by_id=getattr(actor, "id", None),
                           state=PROPOSED, vocabulary_maps={}, make_public=bool(make_public), decision_comment="",
                           **_clean_source(kind, name, url, schedule, archive_after, run_timeout_minutes))
    db.session.add(source)
    db.session.flush()
    return source


def update_source(actor, source, **values) -> HarvestSource:
    """Change a source's name, address, schedule, archive rule or run time limit. A changed address
    or kind needs the secretariat's approval again."""
    _require_manager(actor, source)
    current = {k: getattr(source, k) for k in ("kind", "name", "url", "schedule", "archive_after")}
    clean = _clean_source(**{**current, **{k: v for k, v in values.items() if k in current}})
    if "run_timeout_minutes" in values:  # else kept as it is (even above a site limit lowered since: runs cap it)
        clean["run_timeout_minutes"] = _clean_run_minutes(values["run_timeout_minutes"])
    else:
        del clean["run_timeout_minutes"]
    if "make_public" in values:
        source.make_public = bool(values["make_public"])
    moved = clean["url"] != source.url or clean["kind"] != source.kind
    for key, value in clean.items():
        setattr(source, key, value)
    if moved and source.state == APPROVED:
        source.state, source.decided_at, source.decided_by_id = PROPOSED, None, None
    db.session.flush()
    return source


def _require_manager(actor, source):
    if actor is not None and not permissions.can_manage(actor, source):
        raise PermissionDenied(_("Only the member's users and the secretariat can change its sources."))
    set_actor(actor)


def decide_source(actor, source, approve: bool, comment: str = "") -> HarvestSource:
    """The secretariat approves or refuses a source (a refusal needs a comment); the member is told."""
    if not permissions.can_decide(actor):
        raise PermissionDenied(_("Only the secretariat approves or refuses sources."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise DomainError(_("Say why the source is refused."), field="comment")
    if len(comment) > 2000:
        raise DomainError(_("The comment is too long (at most 2,000 characters)."), field="comment")
    set_actor(actor)
    source.state = APPROVED if approve else REFUSED
    source.decision_comment = comment
    source.decided_by_id, source.decided_at = actor.id, utcnow()
    db.session.flush()
    notify(actor, source.member, "harvest.decision", target_type="harvest_source", target_id=source.id,
           payload={"name": source.name, "approved": approve}, text=comment)
    return source


def set_maps(actor, source, maps: dict) -> HarvestSource:
    """Replace the source's vocabulary maps: {field: {source value: portal code (or codes for the
    circulation modes)}}; every target must be one of the portal's codes."""
    _require_manager(actor, source)
    clean = {}
    if not isinstance(maps, dict):
        raise DomainError(_("The maps must be an object of fields."), field="vocabulary_maps")
    for fld, mapping_ in maps.items():
        if fld not in MAPPED_FIELDS:
            raise DomainError(_("Unknown field in the maps: %(name)s", name=str(fld)[:40]), field="vocabulary_maps")
        if not isinstance(mapping_, dict):
            raise DomainError(_("The map of %(field)s must be an object.", field=MAPPED_FIELDS[fld]),
                              field="vocabulary_maps")
        vocabulary = mapping.VOCABULARIES[fld]
        out = {}
        for value, target in mapping_.items():
            targets = target if isinstance(target, list) and fld == "circulation_modes" else [target]
            if not targets or any(not isinstance(t, str) or t not in vocabulary for t in targets) \
                    or len(str(value)) > 500:
                raise DomainError(_("“%(value)s” in the map of %(field)s must name one of the portal's values.",
                                    value=str(value)[:60], field=MAPPED_FIELDS[fld]), field="vocabulary_maps")
            out[str(value).strip()] = target
        if out:
            clean[fld] = out
    source.vocabulary_maps = clean
    db.session.flush()
    return source


def get_source(actor, source_id) -> HarvestSource:
    try:
        source = db.session.get(HarvestSource, int(source_id))
    except (TypeError, ValueError):
        source = None
    if source is None or not permissions.can_view(actor, source):
        raise NotFound(_("This source does not exist, or you cannot see it."))
    return source


def list_sources(actor, member=None, state=None):
    stmt = select(HarvestSource).where(permissions.visible_clause(actor))
    if member is not None:
        stmt = stmt.where(HarvestSource.member_id == member.id)
    if state is not None:
        stmt = stmt.where(HarvestSource.state == state)
    return db.session.scalars(stmt.order_by(HarvestSource.member_id, HarvestSource.name)).all()


def waiting_for_decision() -> list[HarvestSource]:
    return db.session.scalars(select(HarvestSource).where(HarvestSource.state == PROPOSED)
                              .order_by(HarvestSource.created_at)).all()


def list_runs(source, limit: int = 50) -> list[HarvestRun]:
    return db.session.scalars(select(HarvestRun).where(HarvestRun.source_id == source.id)
                              .order_by(HarvestRun.created_at.desc(), HarvestRun.id.desc()).limit(limit)).all()


def get_run(actor, run_id) -> HarvestRun:
    run = db.session.get(HarvestRun, run_id)
    if run is None or not permissions.can_view(actor, run.source):
        raise NotFound(_("This run does not exist, or you cannot see it."))
    return run


# ------------------------------------------------------------------ starting runs

def new_run(actor, source, *, dry_run: bool = False, limit: int | None = None, trigger: str = "manual") -> HarvestRun:
    """A queued run of ``source``: a real run only once the secretariat approved it; a preview
    (dry run over the first ``limit`` records) at any time."""
    if actor is not None:
        _require_manager(actor, source)
    if not dry_run and source.state != APPROVED:
        raise DomainError(_("Only a source the secretariat approved is harvested; a preview is possible."),
                          field="state")
    if not source.member.is_active:
        raise DomainError(_("The member is suspended; its sources do not run."), field="member")
    if limit is not None and not 1 <= limit <= 1000:
        raise DomainError(_("A preview looks at 1 to 1,000 records."), field="limit")
    active = db.session.scalar(select(HarvestRun.id).where(HarvestRun.source_id == source.id,
                                                           HarvestRun.dry_run.is_(False),
                                                           HarvestRun.state.in_((QUEUED, RUNNING))))
    if active and not dry_run:
        raise DomainError(_("A run of this source is already queued or running."), field="state")
    run = HarvestRun(source_id=source.id, source=source, dry_run=dry_run,
                     record_limit=(limit or PREVIEW_RECORDS) if dry_run else None, state=QUEUED, trigger=trigger,
                     started_by_id=getattr(actor, "id", None), details=[])
    db.session.add(run)
    db.session.flush()
    return run


def due_sources(now=None) -> list[HarvestSource]:
    """Approved sources on a schedule whose last run is older than their period."""
    now = now or utcnow()
    out = []
    for source in db.session.scalars(select(HarvestSource).where(HarvestSource.state == APPROVED,
                                                                 HarvestSource.schedule != "manual")):
        if not source.member.is_active:
            continue
        every = SCHEDULE_EVERY[source.schedule]
        if source.last_run_at is None or source.last_run_at + every - timedelta(minutes=5) <= now:
            out.append(source)
    return out


# ------------------------------------------------------------------ a run

def site_run_timeout() -> float | None:
    """Seconds a whole run may take on this site (``HARVEST_RUN_TIMEOUT``; 0: no limit)."""
    seconds = float(current_app.config.get("HARVEST_RUN_TIMEOUT", 1800) or 0)
    return seconds if seconds > 0 else None


def run_timeout(source) -> float | None:
    """Seconds a run of ``source`` may take: its own limit (minutes) when it set one, never more than
    the site's (a site limit lowered after the source chose is still the most)."""
    site = site_run_timeout()
    own = source.run_timeout_minutes * MINUTE if source.run_timeout_minutes else None
    if own is None:
        return site
    return own if site is None else min(own, site)


def _read(source, limit, progress, deadline):
    if source.kind == "dcat":
        return readers.read_dcat(source.url, limit, progress, deadline)
    if source.kind == "ckan":
        return readers.read_ckan(source.url, limit, progress, deadline)
    return readers.read_spreadsheet(source.url, source.member, source.vocabulary_maps or {}, limit, progress,
                                    deadline)


class _Report:
    def __init__(self, dry_run: bool):
        self.counts = Counter()
        self.details: list[dict] = []
        self.dry_run = dry_run

    def add(self, outcome: str, record_id: str, title: str, reasons: list[Reason] = (), resource_id=None):
        """A record's outcome; its reasons are stored as codes and values (``Reason.stored``), read
        in each reader's language."""
        self.counts[outcome] += 1
        if (outcome == "failed" or self.dry_run) and len(self.details) < MAX_DETAILS:
            self.details.append({"remote_id": record_id[:200], "title": (title or "")[:200], "outcome": outcome,
                                 "reasons": [r.stored() for r in reasons], "resource_id": resource_id})



def _asked_again(call, resource=None):
    """``refusal``'s question asked again: the DomainError a catalogue write refuses the record with
    (the same write, refused the same way, so nothing is written; the entry is reloaded after)."""
    try:
        call()
    except DomainError as e:
        return e
    finally:
        if resource is not None:
            db.session.expire(resource)
    return None


def _apply(source, records, complete: bool, report: _Report, now, deadline: Deadline) -> None:
    """Write what the records say, record by record; a record that cannot be used is reported
    and changes nothing. Raises ``RunTimedOut`` past the run's deadline (the caller rolls back)."""
    member = source.member
    existing = {h.remote_id: h for h in db.session.scalars(
        select(HarvestedEntry).where(HarvestedEntry.source_id == source.id))}
    # the entries' states in one query: an unchanged record loads nothing more
    status = dict(db.session.execute(select(DataResource.id, DataResource.status).join(
        HarvestedEntry, HarvestedEntry.resource_id == DataResource.id).where(HarvestedEntry.source_id == source.id)).all())
    times = Counter(r.remote_id for r in records)
    seen = set()
    maps = source.vocabulary_maps or {}
    cache = {}  # source value -> portal code, looked up once a run
    # the codes new records would take that the member's entries already have, in one query
    taken = catalog.codes_in_use(member, [mapping.code_for(source.id, r.remote_id) for r in records
                                          if r.remote_id and r.remote_id not in existing])
    links = []  # the new entries' provenance rows, inserted together at the end
    for n, record in enumerate(records):
        if n % CHECK_EVERY == 0:
            deadline.check()
        rid = record.remote_id
        seen.add(rid)
        if not rid:
            report.add("failed", "", record.title, [record_reason("no_identifier")])
            continue
        if times[rid] > 1:
            report.add("failed", rid, record.title, [record_reason("duplicate_identifier", n=times[rid])])
            continue
        fields, problems = mapping.entry_fields(record, maps, cache)
        if fields is None:
            report.add("failed", rid, record.title, problems)
            continue
        digest = mapping.content_hash(fields)
        link = existing.get(rid)
        if link is None:
            _create(source, member, record, fields, digest, report, now, taken, links)
            continue
        archived = status.get(link.resource_id) == "archived"
        if link.content_hash == digest and not archived:
            if link.missing_runs:
                link.missing_runs = 0
            report.add("unchanged", rid, record.title, resource_id=link.resource_id)
            continue
        resource = link.resource
        if link.content_hash != digest:
            try:
                catalog.update_resource(None, resource, **fields)
            except DomainError as e:
                db.session.expire(resource)
                again = partial(_asked_again, partial(catalog.update_resource, None, resource, **fields), resource)
                report.add("failed", rid, record.title, [refusal(e, again)])
                continue
            link.content_hash, link.fields, link.written_at = digest, sorted(fields), now
        link.missing_runs = 0
        if archived:
            catalog.restore_resource(None, resource)
            link.archived_at = None
            report.add("restored", rid, record.title, resource_id=resource.id)
        else:
            report.add("changed", rid, record.title, resource_id=resource.id)
    db.session.add_all(links)
    if not complete:
        return
    deadline.check()
    for rid, link in existing.items():
        if rid in seen:
            continue
        link.missing_runs += 1
        if link.missing_runs >= source.archive_after and status.get(link.resource_id) == "active":
            catalog.archive_resource(None, link.resource)
            link.archived_at = now
            report.add("archived", rid, link.resource.title, [record_reason("missing", n=link.missing_runs)],
                       resource_id=link.resource_id)


def _create(source, member, record, fields, digest, report, now, taken: set, links: list):
    code = mapping.code_for(source.id, record.remote_id)
    if code in taken:
        report.add("failed", record.remote_id, record.title, [record_reason("code_taken", code=code)])
        return
    values = {"is_public": source.make_public, **fields, "code": code}
    try:
        resource = catalog.create_resource(None, member, code_is_free=True, **values)
    except DomainError as e:
        again = partial(_asked_again, partial(catalog.create_resource, None, member, code_is_free=True, **values))
        report.add("failed", record.remote_id, record.title, [refusal(e, again)])
        return
    taken.add(code)
    links.append(HarvestedEntry(resource_id=resource.id, source_id=source.id, remote_id=record.remote_id,
                                content_hash=digest, fields=sorted(fields), first_harvested_at=now,
                                written_at=now, missing_runs=0))
    report.add("created", record.remote_id, record.title, resource_id=resource.id)


def execute_run(run_id: int, progress=None) -> HarvestRun:
    """Do a queued run: its report is committed whatever happens. A source that cannot be read,
    or a run past its time limit (``HARVEST_RUN_TIMEOUT``), fails the run with its reason and
    changes no entry (the run's writes are one transaction, rolled back whole); a dry run writes
    nothing but its report. Any other exception fails the run too, and is raised again (the job
    engine retries it)."""
    run = db.session.get(HarvestRun, run_id)
    source = run.source
    started = utcnow()
    run.state, run.started_at, run.finished_at = RUNNING, started, None
    run.reason_code, run.reason_params, run.message = "", {}, ""
    db.session.commit()
    deadline = Deadline(run_timeout(source))
    set_actor(None)
    if not run.dry_run and source.state != APPROVED:
        return _finish(run_id, FAILED, Reason("not_approved"))
    if not source.member.is_active:
        return _finish(run_id, FAILED, Reason("member_suspended"))
    report = _Report(run.dry_run)
    try:
        records = _read(source, run.record_limit, progress, deadline)
        complete = run.record_limit is None or len(records) < run.record_limit
        _apply(source, records, complete, report, started, deadline)
        db.session.flush()
        deadline.check()
    except SourceError as e:
        db.session.rollback()
        return _finish(run_id, FAILED, e.reason)
    except Exception as e:
        db.session.rollback()
        if isinstance(e, JobCancelled):
            _finish(run_id, FAILED, Reason("cancelled"))
        else:
            log.exception("harvest run %s failed", run_id)
            _finish(run_id, FAILED, Reason("unexpected"))
        raise
    if run.dry_run:
        db.session.rollback()  # a preview: the same work, undone
    return _finish(run_id, DONE, None, report, len(records), success=not run.dry_run)


def _finish(run_id, state, reason: Reason | None, report=None, seen=0, success=False) -> HarvestRun:
    run = db.session.get(HarvestRun, run_id)
    now = utcnow()
    run.state, run.finished_at, run.records_seen = state, now, seen
    run.reason_code, run.reason_params = (reason.code, reason.params) if reason else ("", {})
    run.message = ""  # the sentence is written for each reader from the code
    if report is not None:
        for key in ("created", "changed", "unchanged", "archived", "restored", "failed"):
            setattr(run, key, report.counts[key])
        run.details = sorted(report.details, key=lambda d: d["outcome"] != "failed")
    source = run.source
    if not run.dry_run:
        source.last_run_at = now
        if success:
            source.last_success_at = now
        elif state == FAILED and run.trigger == "schedule":
            notify(None, source.member, "harvest.run_failed", target_type="harvest_source", target_id=source.id,
                   payload={"name": source.name, "run_id": run.id,
                            "reason": {"code": run.reason_code, "params": run.reason_params}})
    db.session.commit()
    return run


def recover_stuck_runs(now=None) -> int:
    """Fail the runs that can no longer finish, so that no run stays "queued" or "running"
    forever and blocks its source: a run whose job ended without it (the job engine gave up
    after its worker was lost, or the job was removed), a run still running well past its time
    limit (its worker was lost: a live run stops itself at the limit), and a scheduled run still
    queued after a day (its message was lost). Nothing of theirs was committed. Returns how many."""
    now = now or utcnow()
    open_runs = db.session.scalars(select(HarvestRun).where(HarvestRun.state.in_((QUEUED, RUNNING)))
                                   .order_by(HarvestRun.id)).all()
    jobs = job_states(r.job_id for r in open_runs if r.job_id)
    failed = 0
    for run in open_runs:
        if run.job_id and jobs.get(run.job_id) in (None, "done", "failed", "cancelled"):
            reason = Reason("job_ended")
        elif run.state == RUNNING and (timeout := run_timeout(run.source)) is not None \
                and run.started_at is not None and run.started_at + timedelta(seconds=timeout) + LOST_AFTER < now:
            reason = Reason("worker_lost")
        elif run.state == QUEUED and not run.job_id and run.created_at + NEVER_STARTED < now:
            reason = Reason("never_started")
        else:
            continue
        log.warning("harvest run %s of source %s given up: %s", run.id, run.source_id, reason.code)
        _finish(run.id, FAILED, reason, seen=run.records_seen)
        failed += 1
    return failed


def prune_runs(now=None) -> int:
    """Reports older than KEEP_RUNS_DAYS go, except each source's newest KEEP_RUNS_MIN."""
    cutoff = (now or utcnow()) - timedelta(days=KEEP_RUNS_DAYS)
    removed = 0
    for source_id in db.session.scalars(select(HarvestSource.id)):
        keep = db.session.scalars(select(HarvestRun.id).where(HarvestRun.source_id == source_id)
                                  .order_by(HarvestRun.created_at.desc()).limit(KEEP_RUNS_MIN)).all()
        removed += db.session.execute(delete(HarvestRun).where(
            HarvestRun.source_id == source_id, HarvestRun.created_at < cutoff,
            HarvestRun.id.not_in(keep or [0]))).rowcount
    return removed


# ------------------------------------------------------------------ provenance

def provenance(resource_id: int) -> HarvestedEntry | None:
    return db.session.scalar(select(HarvestedEntry).where(HarvestedEntry.resource_id == resource_id))


def provenance_of(resource_ids) -> dict[int, HarvestedEntry]:
    ids = list(resource_ids)
    if not ids:
        return {}
    return {h.resource_id: h for h in db.session.scalars(
        select(HarvestedEntry).where(HarvestedEntry.resource_id.in_(ids)))}


def attach_entries(actor, source, text: str) -> int:
    """Attach existing hand-made entries to their remote ids, one ``local code;remote id`` a line:
    the next run updates them instead of creating new ones."""
    _require_manager(actor, source)
    attached = 0
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        local, sep, remote = line.partition(";")
        local, remote = local.strip(), remote.strip()
        if not sep or not local or not remote:
            raise DomainError(_("Line %(n)d: write “local code;remote id”.", n=n), field="attach")
        resource = catalog.get_by_code(source.member, local)
        if resource is None:
            raise DomainError(_("Line %(n)d: the member has no entry with the code %(code)s.", n=n, code=local),
                              field="attach")
        if provenance(resource.id) is not None:
            raise DomainError(_("Line %(n)d: the entry %(code)s is already fed by a source.", n=n, code=local),
                              field="attach")
        if db.session.scalar(select(HarvestedEntry.id).where(HarvestedEntry.source_id == source.id,
                                                             HarvestedEntry.remote_id == remote)):
            raise DomainError(_("Line %(n)d: the remote id %(id)s is already attached.", n=n, id=remote[:80]),
                              field="attach")
        db.session.add(HarvestedEntry(resource_id=resource.id, source_id=source.id, remote_id=remote,
                                      content_hash="", fields=[], first_harvested_at=utcnow(), written_at=utcnow(),
                                      missing_runs=0))
        db.session.flush()
        attached += 1
    return attached
