"""flask harvest SOURCE_ID [--dry-run]: run a source now, in this process (cron, or by hand)."""
import click

from consortium.core.exceptions import DomainError
from consortium.extensions import db

from . import services
from .constants import FAILED
from .models import HarvestSource


def register(app):
    @app.cli.command("harvest")
    @click.argument("source_id", type=int)
    @click.option("--dry-run", is_flag=True, help="A preview: report what a run would do, write no entry.")
    @click.option("--limit", type=click.IntRange(1, 1000), default=None,
                  help="With --dry-run: look at the first N records only (default: all).")
    def harvest_cmd(source_id, dry_run, limit):
        """Harvest the approved source SOURCE_ID now and print its report."""
        source = db.session.get(HarvestSource, source_id)
        if source is None:
            raise click.ClickException(f"no source {source_id}")
        try:
            run = services.new_run(None, source, dry_run=dry_run, trigger="cli")
        except DomainError as e:
            raise click.ClickException(e.message) from None
        run.record_limit = limit if dry_run else None
        db.session.commit()
        run = services.execute_run(run.id)
        counts = ", ".join(f"{key} {value}" for key, value in run.counts().items())
        click.echo(f"{'preview' if dry_run else 'run'} {run.id} of source {source_id}: {run.state}; {counts}")
        for line in run.records():
            if line["outcome"] == "failed" or dry_run:
                click.echo(f"  {line['outcome']}: {line['remote_id']} {line['title']} {'; '.join(line['reasons'])}")
        if run.state == FAILED:
            raise click.ClickException(run.reason)
