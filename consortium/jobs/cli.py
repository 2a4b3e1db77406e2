"""flask jobs worker | recover | prune."""
import importlib

import click
from flask.cli import AppGroup

from . import engine
from .pruning import prune_jobs

jobs_cli = AppGroup("jobs", help="The job engine: run a worker, recover lost jobs, remove expired files.")


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at once by this process (threads).")
@click.option("--import", "modules", multiple=True, help="Also load the job kinds declared in this module.")
def worker_cmd(workers, modules):
    """Take jobs from JOBS_BROKER_URL until stopped (Ctrl-C / SIGTERM). Start as many as you
    like, on any machine that reaches the broker, the database and JOBS_FILE_DIR."""
    for name in modules:
        importlib.import_module(name)
    click.echo(f"job worker: {workers} thread(s), kinds: {', '.join(sorted(engine.KINDS))}")
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
