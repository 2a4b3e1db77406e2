"""flask import-resources / export-resources: the same services as the web pages."""
import sys
from pathlib import Path
from urllib.parse import parse_qsl

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from consortium.core.exceptions import DomainError
from consortium.core.urls import public_base_url
from consortium.extensions import db
from consortium.members.services import get_member_by_code

from . import dcat, exports, imports
from .search import SearchParams, build_select, order_clauses


@click.command("import-resources")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--member", "member_code", required=True, help="Code of the member that owns the entries.")
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
@with_appcontext
def import_resources_cmd(file, member_code, dry_run):
    """Import (upsert by resource code) a member's entries from an .xlsx or .csv file."""
    with current_app.test_request_context():  # messages are translated (Chinese by default)
        _import(file, member_code, dry_run)


def _import(file, member_code, dry_run):
    member = get_member_by_code(member_code)
    if member is None:
        raise click.ClickException(f"no member with code {member_code}")
    try:
        result = imports.parse_upload(file.read_bytes(), file.name, member)
    except imports.UploadRejected as e:
        raise click.ClickException(e.message) from None
    if not result.ok:
        for p in result.problems:
            click.echo(f"row {p.row if p.row is not None else '-'}\t{p.column or '-'}\t{p.message}", err=True)
        raise click.ClickException(f"{len(result.problems)} problem(s); nothing imported")
    try:
        plan = imports.apply_rows(None, member, result.rows) if not dry_run else imports.plan_import(member, result.rows)
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(e.message) from None
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(f"{'would import' if dry_run else 'imported'}: {len(plan.created)} new, "
               f"{len(plan.updated)} updated, {len(plan.unchanged)} unchanged")


@click.command("export-resources")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "jsonld", "ttl"]), default="csv")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
@click.option("--query", default="", help="Filters as on /resources, e.g. 'domain=transport&city=370200'.")
@click.option("--include-non-public", is_flag=True,
              help="Spreadsheets only: include entries visible to signed-in members, not just public ones.")
@click.option("--lang", default="zh_CN", type=click.Choice(["zh_CN", "en"]), help="Header and label language.")
@with_appcontext
def export_resources_cmd(fmt, output, query, include_non_public, lang):
    """Export entries as a spreadsheet, or the public catalogue as DCAT-AP (JSON-LD or Turtle)."""
    if fmt in ("jsonld", "ttl"):
        if include_non_public:
            raise click.ClickException("the DCAT catalogue only ever holds public entries")
        base = public_base_url()  # outside a request: PUBLIC_BASE_URL, in development the run port's
        with current_app.test_request_context(base_url=base):
            data = dcat.serialise(dcat.build_graph(base), "json-ld" if fmt == "jsonld" else "turtle")  # all pages
    else:
        with current_app.test_request_context(), force_locale(lang):
            try:
                stmt = _select(query, include_non_public)
            except DomainError as e:
                raise click.ClickException(e.message) from None
            rows = exports.iter_resources(stmt)
            data = exports.to_csv(rows, lang) if fmt == "csv" else exports.to_xlsx(rows, lang)
    if output:
        output.write_bytes(data)
        click.echo(f"written {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


def _select(query: str, include_non_public: bool):
    params = SearchParams.from_args(MultiDict(parse_qsl(query.lstrip("?"))))
    actor = _SystemReader() if include_non_public else None
    return build_select(actor, params).order_by(*order_clauses(params.sort))


class _SystemReader:
    """The operator at the command line reads what a signed-in member reads."""

    id = None
    is_authenticated = True
    is_active = True
    is_secretariat = False
    member_id = None
    member = None


def register(app):
    app.cli.add_command(import_resources_cmd)
    app.cli.add_command(export_resources_cmd)
