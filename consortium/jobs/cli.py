"""flask jobs worker | recover | prune."""
import importlib
import logging
import os

import click
from flask.cli import AppGroup

from . import engine
from .pruning import prune_jobs

log = logging.getLogger(__name__)
DEFAULT_NICE = 10  # a worker yields the CPU to the web servers on the same machine (docs/jobs.md)

jobs_cli = AppGroup("jobs", help="The job engine: run a worker, recover lost jobs, remove expired files.")


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at once by this process (threads).")
@click.option("--import", "modules", multiple=True, help="Also load the job kinds declared in this module.")
@click.option("--nice", "nice", type=click.IntRange(0, 19), default=DEFAULT_NICE, show_default=True,
              envvar="JOBS_WORKER_NICE", help="Lower this process's CPU priority by N (os.nice) before taking jobs, "
                                              "so that web servers on the same machine keep theirs; 0 keeps it.")
def worker_cmd(workers, modules, nice):
    """Take jobs from JOBS_BROKER_URL until stopped (Ctrl-C / SIGTERM). Start as many as you
    like, on any machine that reaches the broker, the database and JOBS_FILE_DIR."""
    for name in modules:
        importlib.import_module(name)
    niceness = os.nice(nice) if nice else os.nice(0)  # os.nice(0) reads the niceness, changes nothing
    started = (f"job worker: {workers} thread(s), niceness {niceness} (lowered by {nice}), "
               f"kinds: {', '.join(sorted(engine.KINDS))}")
    click.echo(started)
    log.info(started)
    engine.run_worker(workers)


@jobs_cli.command("recover")
def recover_cmd():
    """Queue again the jobs whose worker stopped (a worker also does this every minute)."""
    click.echo(f"{engine.recover_lost_jobs()} job(s) sent again")


@jobs_cli.command("prune")
def prune_cmd():
    """Remove expired job files and old job rows (a worker also does this every ten minutes)."""
    removed, deleted = prune_jobs()
    click.echo(f"{removed} file(s) removed, {deleted} old job(s) deleted")
