"""Exports as jobs (``consortium.jobs``): a search's entries as CSV or XLSX, or the public
catalogue as one DCAT-AP file (Turtle or JSON-LD), written by a worker with its progress.

What the file holds is decided when the job runs, never when it was asked for: the search is
run again for the job's owner (a visitor's job: as a visitor), and every chunk of 1,000 rows is
read with the owner's visibility applied by the database, so an entry made private or retired
in between is not written. Reading in short chunks keeps no long transaction open (on SQLite
a long read would hold off every writer)."""
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from consortium.core import spreadsheets
from consortium.core.clock import local_today
from consortium.core.exceptions import DomainError
from consortium.extensions import db
from consortium.jobs import job_task, start_job

from . import dcat, exports
from .models import DataResource
from .permissions import visible_clause
from .search import SearchParams, result_ids, result_size

KIND = "catalog.export"
CHUNK = 1000
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "ttl": "text/turtle; charset=utf-8", "jsonld": "application/ld+json"}
SPREADSHEETS = ("csv", "xlsx")


def export_name(fmt: str) -> str:
    return f"cdou-resources-{local_today().isoformat()}.{fmt}" if fmt in SPREADSHEETS \
        else f"cdou-catalog-{local_today().isoformat()}.{fmt}"


def query_pairs(args: MultiDict) -> list[list[str]]:
    """A search's parameters as kept on the job (the export's own ``format`` left out)."""
    return [[k, v] for k, v in args.items(multi=True) if k not in ("format", "csrf_token")]


def is_small(actor, args: MultiDict) -> bool:
    """Quick enough to answer at once: a spreadsheet of at most ``SYNC_EXPORT_ROWS`` rows."""
    return result_size(actor, SearchParams.from_args(args)) <= current_app.config["SYNC_EXPORT_ROWS"]


def start_export(actor, fmt: str, args: MultiDict, locale: str, visitor_key: str | None = None):
    """A queued export of the search ``args`` (checked now: a bad parameter starts nothing)."""
    if fmt not in FORMATS:
        raise DomainError(_("Unknown format: %(f)s. Choose csv, xlsx, ttl or jsonld.", f=fmt), field="format")
    SearchParams.from_args(args)  # refuses a bad parameter with its message
    title = (_("Export of the resource map (%(f)s)", f=fmt.upper()) if fmt in SPREADSHEETS
             else _("The public catalogue as DCAT-AP (%(f)s)", f=fmt.upper()))
    return start_job(actor, KIND, {"format": fmt, "query": query_pairs(args), "locale": locale},
                     title=title, visitor_key=visitor_key)


def _rows(actor, ids: list[int], locale: str):
    """The spreadsheet rows of the entries of ``ids`` that ``actor`` may see now, in that
    order, a chunk at a time. Plain rows of the export's columns are read (no entry objects:
    100,000 of them took most of a whole-map export's time); members' and places' names come
    from one lookup each. Each chunk's read ends before its rows are yielded."""
    cells, reader = exports.field_cells(locale), exports.reader_columns(locale)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        found = {r.id: r for r in db.session.execute(
            select(*exports.ROW_COLUMNS).where(DataResource.id.in_(chunk), visible_clause(actor)))}
        db.session.rollback()  # end the read: no transaction stays open between chunks
        values = [cells(r) + reader(r) for r in (found[i] for i in chunk if i in found)]
        yield start + len(chunk), values


@job_task(KIND, retries=2, retry_delay=5)
def run_export(run):
    fmt, locale = run.params["format"], run.params.get("locale", "zh_CN")
    if fmt not in SPREADSHEETS:
        base = current_app.config["PUBLIC_BASE_URL"]
        run.progress(0, 1, force=True)
        data = dcat.serialise(dcat.build_graph(base), "json-ld" if fmt == "jsonld" else "turtle")
        with run.write_file(export_name(fmt), FORMATS[fmt]) as f:
            f.write(data)
        run.rows_written(dcat.public_stats()[0])
        return
    params = SearchParams.from_args(MultiDict([tuple(p) for p in run.params.get("query", [])]))
    ids = result_ids(run.owner, params)[:exports.MAX_EXPORT_ROWS]
    total = max(1, len(ids))
    written = 0

    def values():
        nonlocal written
        for done, rows in _rows(run.owner, ids, locale):
            yield from rows
            written += len(rows)
            run.progress(done, total, rows=written)
    build = spreadsheets.to_csv if fmt == "csv" else spreadsheets.to_xlsx
    extra = () if fmt == "csv" else ("资源清单" if locale.startswith("zh") else "Resources",)
    data = build(exports.headers(locale), values(), *extra)
    with run.write_file(export_name(fmt), FORMATS[fmt]) as f:
        f.write(data)
    run.rows_written(written)
