"""The resource map's input and output: bulk import (upload, preview, confirm), spreadsheet
export and the DCAT-AP catalogue feeds. The blueprint ``catalog_io`` also carries the map pages
(``catalog.map_views``); the list and detail pages live in ``catalog.views``."""

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from consortium.auth.permissions import is_signed_in
from consortium.core.clock import local_today
from consortium.core.import_batches import cancel_preview, confirm_preview
from consortium.core.requests import int_param
from consortium.core.urls import public_base_url
from consortium.errors import render_error
from consortium.extensions import db, limiter
from consortium.jobs.web import new_visitor_key, started
from consortium.members.models import Member

from . import constants, dcat, dcat_pages, export_cache, export_jobs, exports, extras, import_jobs, imports
from .constants import LICENCE_NOTES, LICENCES
from .search import SearchParams, build_select, order_clauses, result_size
from .services import editable_members

bp = Blueprint("catalog_io", __name__)


@bp.context_processor
def _vocabularies():
    return {"vocab": constants, "can_import": bool(editable_members(current_user))}

# ---------------------------------------------------------------- import

def _import_page(error=None, status=200, chosen=None):
    members = editable_members(current_user)
    return render_template("catalog/import.html", members=members, error=error, chosen=chosen,
                           max_rows=imports.MAX_ROWS,
                           max_mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)), status


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(e):
    if request.endpoint == "catalog_io.import_upload" and is_signed_in(current_user):
        return _import_page(_("The file is larger than %(n)d MB. Split it into smaller files.",
                              n=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)), 413)
    return render_error(413)


@bp.get("/resources/import")
@login_required
def import_form():
    if not editable_members(current_user):
        abort(403)
    return _import_page()


@bp.get("/resources/import/template.xlsx")
def import_template():
    data = imports.template_xlsx(str(get_locale()))
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=cdou-resources-template.xlsx"})


@bp.post("/resources/import")
@login_required
def import_upload():
    members = editable_members(current_user)
    if not members:
        abort(403)
    code = request.form.get("member") or (members[0].code if len(members) == 1 else "")
    member = next((m for m in members if m.code == code), None)
    if member is None:
        return _import_page(_("Choose the member whose entries these are."), 400)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _import_page(_("Choose a file to upload."), 400, chosen=member.code)
    data = upload.read()
    try:
        result = imports.parse_upload(data, upload.filename, member)
    except imports.UploadRejected as e:
        return _import_page(e.message, 400, chosen=member.code)
    token = plan = None
    if result.ok:
        plan = imports.plan_import(member, result.rows)
        token = imports.save_batch(current_user, member, result.rows, upload.filename)
        db.session.commit()
    return render_template("catalog/import_preview.html", result=result, plan=plan, token=token,
                           member=member, filename=upload.filename,
                           problems=result.problems[:1000], fields=imports.FIELD_LABELS)


@bp.post("/resources/import/<token>/confirm")
@login_required
def import_confirm(token):
    batch, rows = imports.load_batch(current_user, token)
    if batch is not None and import_jobs.is_large(rows):  # applied by a worker; its page follows it
        job = import_jobs.start_import(current_user, token, batch.filename, len(rows), str(get_locale()))
        db.session.commit()
        return started(job, api=False)
    member = confirm_preview(imports, current_user, token, Member)
    return redirect("/resources/?member=" + member.code) if member else redirect(url_for(".import_form"))


@bp.post("/resources/import/<token>/cancel")
@login_required
def import_cancel(token):
    cancel_preview(imports, current_user, token)
    return redirect(url_for(".import_form"))


# ---------------------------------------------------------------- export

def _search_select():
    """The /resources query string → the same rows, in the same order, as the list."""
    params = SearchParams.from_args(request.args)
    return build_select(current_user, params).order_by(*order_clauses(params.sort))


def _export_name(ext: str) -> str:
    return f"cdou-resources-{local_today().isoformat()}.{ext}"


def _anonymous_export_limit():
    """Expensive anonymous downloads: limited per client address (signed-in users are not)."""
    return limiter.shared_limit(lambda: current_app.config["EXPORT_RATE_LIMIT"], scope="anonymous-exports",
                                key_func=get_remote_address, exempt_when=lambda: is_signed_in(current_user),
                                error_message=lambda: _("Too many downloads from your address. "
                                                        "Please wait a minute and try again."))


def _export_bytes(fmt: str, build) -> bytes:
    """Visitors' exports are built once per content version and query (``export_cache``);
    signed-in users' ones (with non-public rows) always afresh."""
    locale = str(get_locale())
    if is_signed_in(current_user):
        return build(locale)
    params = SearchParams.from_args(request.args)  # a bad parameter is refused before anything is kept
    # extra filters (catalog.extras) rest on links the change mark does not follow: keyed on what they select now
    key = (fmt, locale, tuple(sorted(request.args.items(multi=True))),
           extras.filter_key(params) if params.extra else ())
    return export_cache.cached(key, lambda: build(locale), current_app.config["EXPORT_CACHE_ENTRIES"])


def _large_export_page(fmt: str):
    """A search too large to answer at once: a page that starts it as a job (a POST form)."""
    params = SearchParams.from_args(request.args)
    return render_template("catalog/export_large.html", fmt=fmt, count=result_size(current_user, params),
                           args=export_jobs.query_pairs(request.args),
                           limit=current_app.config["SYNC_EXPORT_ROWS"])


@bp.get("/resources/export.csv")
@_anonymous_export_limit()
def export_csv():
    if not export_jobs.is_small(current_user, request.args):
        return _large_export_page("csv")
    data = _export_bytes("csv", lambda locale: exports.to_csv(exports.iter_resources(_search_select()), locale))
    return Response(data, mimetype="text/csv",  # Flask adds the one "; charset=utf-8"
                    headers={"Content-Disposition": f"attachment; filename={_export_name('csv')}",
                             "Cache-Control": "private, no-store"})


@bp.get("/resources/export.xlsx")
@_anonymous_export_limit()
def export_xlsx():
    if not export_jobs.is_small(current_user, request.args):
        return _large_export_page("xlsx")
    data = _export_bytes("xlsx", lambda locale: exports.to_xlsx(exports.iter_resources(_search_select()), locale))
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename={_export_name('xlsx')}",
                             "Cache-Control": "private, no-store"})


@bp.post("/resources/exports")
@_anonymous_export_limit()
def start_export():
    """The search page's export buttons: a small spreadsheet at once (the GET above), a larger
    one or a DCAT file as a job, whose page follows its progress."""
    fmt = request.form.get("format", "")
    args = MultiDict([(k, v) for k, v in request.form.items(multi=True) if k not in ("format", "csrf_token")])
    if fmt in export_jobs.SPREADSHEETS and export_jobs.is_small(current_user, args):
        return redirect(url_for(f".export_{fmt}", **args.to_dict(flat=False)), 303)
    key = None if is_signed_in(current_user) else new_visitor_key()
    job = export_jobs.start_export(current_user, fmt, args, str(get_locale()), visitor_key=key)
    db.session.commit()
    return started(job, api=False)


# ---------------------------------------------------------------- DCAT-AP

def _base_url() -> str:
    """The public origin (``core.urls.public_base_url``): configured in production, where a
    request's Host header never reaches DCAT URIs (they are served with ``Cache-Control: public``
    and kept per content version and origin); the served origin in development."""
    return public_base_url()


def _catalogue(fmt: str, endpoint: str, mimetype: str):
    """A kept page (``dcat_pages``): gzip-compressed once when built, for clients that accept it;
    with an ETag of its version, so a client holding it gets ``304 Not Modified`` and no body."""
    page = int_param("page", 1, maximum=10**6)
    encoding = "gzip" if request.accept_encodings["gzip"] else ""
    try:
        mark, data = dcat_pages.page_bytes(_base_url(), fmt, page, endpoint, encoding)
    except LookupError:
        abort(404)
    response = Response(data, mimetype=mimetype, headers={"Cache-Control": "public, max-age=300",
                                                          "Vary": "Accept-Encoding"})
    if encoding:
        response.content_encoding = encoding  # Flask-Compress leaves an encoded response alone
    response.set_etag(dcat_pages.etag(mark, fmt, page, encoding))
    return response.make_conditional(request)


@bp.get("/catalog.jsonld")
@_anonymous_export_limit()
def catalog_jsonld():
    return _catalogue("json-ld", "catalog_io.catalog_jsonld", "application/ld+json")


@bp.get("/catalog.ttl")
@_anonymous_export_limit()
def catalog_ttl():
    return _catalogue("turtle", "catalog_io.catalog_ttl", "text/turtle")  # Flask adds "; charset=utf-8"


# ---------------------------------------------------------------- licences

@bp.get("/licences/<code>")
def licence(code):
    """The page a licence IRI of the portal resolves to (``dcat.licence_iri``)."""
    if code not in dcat.PORTAL_LICENCES:
        abort(404)
    return render_template("catalog/licence.html", title=LICENCES[code].label(str(get_locale())),
                           note=LICENCE_NOTES[code], iri=dcat.licence_iri(_base_url(), code))


@bp.get("/licences.json")
def licences_json():
    """Every licence an entry can name, as a CKAN licence list (``licenses_group_url``): a CKAN site
    that loads it recognises the licences of /catalog.ttl by their IRI, custom terms (an IRI per
    entry) by their English title, as ckanext-dcat matches them."""
    base = _base_url()
    return [{"id": code, "title": dcat.licence_titles(code)[1], "title_zh": LICENCES[code].zh,
             "url": dcat.licence_iri(base, code), "status": "active", "maintainer": "",
             "od_conformance": "approved" if code == "cc_by_4" else "not reviewed",
             "osd_conformance": "not reviewed", "domain_content": False, "domain_data": True,
             "domain_software": False} for code in LICENCES]


# ---------------------------------------------------------------- map, matrix, who has
