"""The job engine: huey (https://huey.readthedocs.io) carries the messages, this module
runs them as jobs of the portal (``models.Job``) and keeps them honest.

- The broker is ``JOBS_BROKER_URL``: ``sqlite:///…`` (huey's SQLite storage, a file of its own
  beside the portal's database: the embedded default, nothing to install), ``redis://…``
  (production; workers on any number of machines) or ``immediate`` (the tests: a job runs
  inside the call that starts it, after the commit).
- A domain declares a kind with ``@job_task("catalog.export")``: a function of a ``JobRun``.
- Starting one (``services.start_job``) writes the row; the message is sent when the
  transaction commits, so a worker never looks for a row it cannot see yet.
- A worker claims a queued row with one conditional UPDATE (a message delivered twice runs
  once), runs the function, and marks the row done, failed (with a message for its user),
  cancelled, or queued again for a retry.
- Liveness lives in the broker, never in the portal's database (which a long SQLite write
  may hold): every worker writes ``worker-seen`` every few seconds, every running job its
  own key. A running job whose key went stale lost its worker: ``recover_lost_jobs`` queues it
  again (at most ``MAX_ATTEMPTS`` runs); a start with no worker seen answers 503.
"""
import logging
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import redis
from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from huey import Huey, crontab
from huey import exceptions as huey_exceptions
from huey.constants import EmptyData
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from consortium.core.clock import utcnow
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from . import files
from .labels import SUMMARIES
from .models import CANCELLED, DONE, FAILED, QUEUED, RUNNING, Job
from .pruning import prune_jobs

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # runs of one job, counting those a lost worker never finished
WORKER_KEY = "cdou:worker-seen"
BEAT_SECONDS = 2.0

huey = Huey("cdou", results=False, utc=True, storage_class=MemoryStorage)
KINDS: dict[str, object] = {}  # kind -> huey task
_apps: list = []  # the app the worker's threads push a context of


class EngineUnavailable(DomainError):
    """The job engine cannot take work now (its broker unreachable, or no worker running)."""
    status = 503


class JobCancelled(Exception):
    """Raised inside a job by ``JobRun.progress`` once its user cancelled it."""


# ------------------------------------------------------------------ configuration

def configure(app) -> None:
    _apps[:] = [app]
    set_broker(app.config["JOBS_BROKER_URL"])


def set_broker(url: str) -> None:
    """Point the engine at a broker (see the module's docstring for the three kinds)."""
    if url == "immediate":
        huey.immediate = True
        return
    huey.immediate = False
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        huey.storage = SqliteStorage("cdou", filename=str(path), timeout=5)
    elif url.startswith(("redis://", "rediss://", "unix://")):
        pool = redis.ConnectionPool.from_url(url, socket_connect_timeout=1, socket_timeout=5)
        huey.storage = RedisStorage("cdou", connection_pool=pool)
    else:
        raise RuntimeError(f"JOBS_BROKER_URL: sqlite:///PATH, redis://HOST:PORT or immediate, not {url!r}")


def _setting(name, default):
    app = current_app if has_app_context() else (_apps[0] if _apps else None)
    return app.config.get(name, default) if app is not None else default


# ------------------------------------------------------------------ liveness (in the broker)

def _beat(key: str) -> None:
    huey.storage.put_data(key, str(time.time()).encode())


def _last_beat(key: str) -> float | None:
    value = huey.storage.peek_data(key)
    return None if value is EmptyData else float(value)


def _job_key(job_id: int) -> str:
    return f"cdou:job-alive:{job_id}"


def status() -> tuple[bool, str]:
    """(ready, what is wrong): the broker answers and a worker was seen lately."""
    if huey.immediate:
        return True, ""
    try:
        seen = _last_beat(WORKER_KEY)
    except Exception as e:  # the broker is down or unreachable
        log.warning("job broker unreachable: %s", e)
        return False, _("The job service cannot be reached.")
    if seen is None or time.time() - seen > _setting("JOBS_WORKER_GONE_SECONDS", 30):
        return False, _("No job worker is running.")
    return True, ""


def probe() -> None:
    """The /healthz probe: returns when the broker answers and a worker was seen lately."""
    ready, problem = status()
    if not ready:
        raise EngineUnavailable(problem)


def require_available() -> None:
    ready, problem = status()
    if not ready:
        raise EngineUnavailable(problem + " " + _("Nothing was started; please try again in a few minutes."))


# ------------------------------------------------------------------ sending on commit

def send_on_commit(job: Job) -> None:
    """Send the job's message once the session's transaction commits (dropped on rollback)."""
    db.session.info.setdefault("jobs_to_send", {})[job.id] = job.kind


@event.listens_for(Session, "after_commit")
def _send_committed(session):
    for job_id, kind in (session.info.pop("jobs_to_send", None) or {}).items():
        _send(job_id, kind)


@event.listens_for(Session, "after_rollback")
def _drop_uncommitted(session):
    session.info.pop("jobs_to_send", None)


def _send(job_id: int, kind: str) -> None:
    try:
        KINDS[kind](job_id)
    except Exception:  # the broker went away since the start was accepted: say so on the job
        log.exception("job %s could not be sent", job_id)
        with db.engine.begin() as conn:
            conn.execute(update(Job).where(Job.id == job_id, Job.state == QUEUED).values(
                state=FAILED, finished_at=utcnow(), message=_("The job service could not be reached; "
                                                              "nothing was done. Please start it again.")))


# ------------------------------------------------------------------ what a job function gets

class JobRun:
    """What a job's function works with: ``params``, ``owner`` (the User, or None for a
    visitor's job or an account no longer active), ``progress(done, total, rows=)``,
    ``write_file(name, content_type)``, ``rows_written(n)`` and ``done_message(text)``."""

    def __init__(self, job: Job):
        self.job_id = job.id
        self.params = dict(job.params or {})
        self.owner = job.owner if job.owner is not None and job.owner.is_active else None
        self.file: dict | None = None
        self.rows: int | None = None
        self.message = ""
        self._last = 0.0

    def progress(self, done: int, total: int | None = None, rows: int | None = None, force: bool = False) -> None:
        """Report work done (``rows`` written so far); at most twice a second, on a connection of
        its own (the job's own transaction is untouched). Raises ``JobCancelled`` once the user
        cancelled. Skipped while the job holds SQLite's write lock (seen at the next report)."""
        now = time.monotonic()
        if not force and now - self._last < 0.5:
            return
        self._last = now
        values = {"rows": rows if rows is not None else done}
        if total:
            values["percent"] = min(99, int(100 * done / total))
        if _holds_sqlite_write():
            return
        with db.engine.begin() as conn:
            conn.execute(update(Job).where(Job.id == self.job_id).values(**values))
            cancelled = conn.scalar(select(Job.cancel_requested).where(Job.id == self.job_id))
        if cancelled:
            raise JobCancelled()

    def rows_written(self, n: int) -> None:
        """The final count of rows the job wrote (shown with its file)."""
        self.rows = n

    def done_message(self, text: str) -> None:
        """What the user reads on the finished job (e.g. an import's counts)."""
        self.message = text

    @contextmanager
    def write_file(self, download_name: str, content_type: str):
        """A binary file for the job's result: written under a temporary name and renamed when
        the block ends without error, so a file under its final name is always complete."""
        with files.writing(Path(download_name).suffix) as (handle, final_name):
            yield handle
        self.file = {"file_name": final_name, "download_name": download_name, "content_type": content_type,
                     "file_size": files.size(final_name)}


def _holds_sqlite_write() -> bool:
    connection = db.session.connection()
    return connection.dialect.name == "sqlite" and bool(
        getattr(connection.connection.dbapi_connection, "in_transaction", False))


# ------------------------------------------------------------------ running a job

def job_task(kind: str, *, retries: int = 2, retry_delay: int = 10, summary=None):
    """Declare the job kind ``kind``, run by ``func(run: JobRun)``. ``retries``: how often a
    run that raised an unexpected exception is tried again (0 for work that must not be done
    twice); a ``DomainError`` is the user's problem and fails the job at once, with its message.
    ``summary(job)``: a done job's line in the reader's language, written from the domain's own
    record of the work (or None: the stored ``done_message``)."""
    if summary is not None:
        SUMMARIES[kind] = summary

    def decorator(func):
        def run(job_id, task=None):
            _execute(kind, func, job_id, task)
        KINDS[kind] = huey.task(retries=retries, retry_delay=retry_delay, context=True, name=kind)(run)
        return func
    return decorator


def _app():
    return current_app._get_current_object() if has_app_context() else _apps[0]


def _claim(job_id: int) -> bool:
    now = utcnow()
    claimed = db.session.execute(
        update(Job).where(Job.id == job_id, Job.state == QUEUED, Job.cancel_requested.is_(False))
        .values(state=RUNNING, attempts=Job.attempts + 1, started_at=now, heartbeat_at=now)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return claimed


def _finish(job_id: int, **values) -> None:
    db.session.rollback()
    db.session.execute(update(Job).where(Job.id == job_id).values(finished_at=utcnow(), **values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


class _Heart:
    """Beats the job's liveness key from a thread while the job runs."""

    def __init__(self, job_id):
        self.key, self.stop = _job_key(job_id), threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self.stop.wait(BEAT_SECONDS):
            try:
                _beat(self.key)
            except Exception:
                log.warning("job heartbeat failed", exc_info=True)

    def __enter__(self):
        if not huey.immediate:
            _beat(self.key)
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if not huey.immediate:
            huey.storage.pop_data(self.key)


def _execute(kind, func, job_id, task):
    app = _app()
    base = app.config["PUBLIC_BASE_URL"]
    with app.app_context():
        try:
            if not _claim(job_id):  # cancelled, already run, or another worker has it
                return
            job = db.session.get(Job, job_id)
            locale = (job.params or {}).get("locale") or app.config["BABEL_DEFAULT_LOCALE"]
            with app.test_request_context(base_url=base), force_locale(locale), _Heart(job_id):
                _run(kind, func, job, task)
        finally:
            db.session.rollback()
            db.session.remove()


def _run(kind, func, job, task):
    job_id = job.id
    run = JobRun(job)
    try:
        try:
            func(run)
            db.session.flush()
        except BaseException:
            if run.file:  # a file its job will not name is removed at once
                files.remove(run.file["file_name"])
            raise
    except JobCancelled:
        _finish(job_id, state=CANCELLED, message=_("Cancelled."))
        return
    except DomainError as e:
        log.info("job %s (%s) refused: %s", job_id, kind, e.message)
        _finish(job_id, state=FAILED, message=e.message)
        return
    except Exception:
        log.exception("job %s (%s) failed", job_id, kind)
        retrying = task is not None and task.retries > 0 and not huey.immediate
        if retrying:
            db.session.rollback()
            db.session.execute(update(Job).where(Job.id == job_id).values(
                state=QUEUED, message=_("An attempt failed; the job is tried again shortly."))
                .execution_options(synchronize_session=False))
            db.session.commit()
            raise  # huey sends it again after the retry delay
        _finish(job_id, state=FAILED, message=_("The job failed. Please try again later; if it keeps "
                                                "failing, tell the secretariat."))
        return
    finished = utcnow()
    job = db.session.get(Job, job_id)
    job.state, job.percent, job.finished_at, job.message = DONE, 100, finished, run.message
    if run.rows is not None:
        job.rows = run.rows
    if run.file:
        for key, value in run.file.items():
            setattr(job, key, value)
        job.expires_at = finished + files.keep()
    try:
        db.session.commit()
    except Exception:
        if run.file:  # never a file no job names
            files.remove(run.file["file_name"])
        raise


# ------------------------------------------------------------------ background tasks (no job row)

def background_task(name: str, *, retries: int = 0, retry_delay: int = 10):
    """Declare work nobody follows on a job page (rebuilding a DCAT page, sending e-mails):
    ``func(*args)`` with JSON-able arguments, run by a worker in an app and request context.
    Adds ``func.send(*args)``: enqueue it (in the tests' immediate mode: run it now), and
    ``func.send_in(seconds, *args)``: enqueue it to run that many seconds from now; both raise
    ``EngineUnavailable`` when the broker cannot be reached or no worker runs. Runs of the same
    name and arguments never overlap."""
    def decorator(func):
        def run(*args):
            with huey.lock_task(f"cdou:lock:{name}:{args!r}"):
                return _periodic(lambda: func(*args))
        task = huey.task(retries=retries, retry_delay=retry_delay, name=name)(run)

        def send(*args):
            require_available()
            try:
                task(*args)
            except huey_exceptions.TaskLockedException:
                pass  # the same work is running now
            except Exception as e:
                log.warning("background task %s could not be sent: %s", name, e)
                raise EngineUnavailable(_("The job service cannot be reached.")) from e
        def send_in(seconds: float, *args):
            if seconds <= 0:
                return send(*args)
            require_available()
            try:
                task.schedule(args=args, delay=seconds)
            except Exception as e:
                log.warning("background task %s could not be scheduled: %s", name, e)
                raise EngineUnavailable(_("The job service cannot be reached.")) from e
        func.send, func.send_in = send, send_in
        return func
    return decorator


def periodic_task(name: str, **when):
    """Declare work a worker runs on a schedule (huey's crontab fields, in UTC: ``minute="*"``,
    ``hour="16", minute="5"`` …), in an app and request context like the engine's own
    housekeeping (sending due e-mails, queuing the digests)."""
    def decorator(func):
        def run():
            _periodic(func)
        run.__name__ = func.__name__
        huey.periodic_task(crontab(**when), name=name)(run)
        return func
    return decorator


# ------------------------------------------------------------------ recovery and housekeeping

def recover_lost_jobs() -> int:
    """Running jobs whose worker stopped beating are queued again (failed after
    ``MAX_ATTEMPTS`` runs); queued jobs whose message was lost are sent again. Returns how
    many were sent."""
    stale = _setting("JOBS_STALE_SECONDS", 60)
    now = time.time()
    sent = 0
    running = db.session.scalars(select(Job).where(Job.state == RUNNING)).all()
    for job in running:
        beat = _last_beat(_job_key(job.id)) or 0  # may be a killed earlier run's last beat
        started = job.started_at.timestamp() if job.started_at else 0  # this run's claim
        if max(beat, started) > now - stale:
            continue
        if job.attempts >= MAX_ATTEMPTS:
            job.state, job.finished_at = FAILED, utcnow()
            job.message = _("The job was interrupted %(n)d times and was given up.", n=job.attempts)
        else:
            job.state = QUEUED
            job.message = _("The worker running this job stopped; the job runs again.")
            send_on_commit(job)
            sent += 1
    requeue = utcnow().timestamp() - _setting("JOBS_REQUEUE_SECONDS", 600)
    for job in db.session.scalars(select(Job).where(Job.state == QUEUED, Job.cancel_requested.is_(False))):
        if job.created_at.timestamp() < requeue and job.id not in db.session.info.get("jobs_to_send", []):
            send_on_commit(job)
            sent += 1
    db.session.commit()
    return sent


def _periodic(func):
    app = _app()
    with app.app_context(), app.test_request_context(base_url=app.config["PUBLIC_BASE_URL"]):
        try:
            return func()
        finally:
            db.session.remove()


@huey.periodic_task(crontab(minute="*"), name="jobs.recover")
def _recover_every_minute():
    _periodic(recover_lost_jobs)


@huey.periodic_task(crontab(minute="*/10"), name="jobs.prune")
def _prune_every_ten_minutes():
    _periodic(prune_jobs)


# ------------------------------------------------------------------ the worker process

def run_worker(workers: int = 2) -> None:
    """The consumer: ``workers`` threads taking jobs, the periodic tasks, and a beat that tells
    the web servers a worker is alive. Stops on SIGINT/SIGTERM (a running job is interrupted
    and, being stale, runs again under the next worker)."""
    if huey.immediate:
        raise RuntimeError("JOBS_BROKER_URL is 'immediate': there is nothing for a worker to take")
    stop = threading.Event()

    def beat():
        while not stop.is_set():
            try:
                _beat(WORKER_KEY)
            except Exception:
                log.warning("the job broker cannot be reached", exc_info=True)
            stop.wait(BEAT_SECONDS)
    threading.Thread(target=beat, daemon=True).start()
    _periodic(recover_lost_jobs)
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True,
                                    check_worker_health=True, initial_delay=0.1, max_delay=1.0)
    try:
        consumer.run()
    finally:
        stop.set()
