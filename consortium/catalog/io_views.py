"""The resource map's input and output: bulk import (upload, preview, confirm), spreadsheet
export and the DCAT-AP catalogue feeds. The blueprint ``catalog_io`` also carries the map pages
(``catalog.map_views``); the list and detail pages live in ``catalog.views``."""

from flask import (Blueprint, Response, abort, current_app, redirect, render_template, request, url_for)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from consortium.core.clock import local_today
from consortium.auth.permissions import is_signed_in
from consortium.core.import_batches import cancel_preview, confirm_preview
from consortium.extensions import db, limiter
from consortium.members.models import Member

from . import dcat, export_cache, exports, extras, imports
from .search import SearchParams, build_select, order_clauses
from .services import editable_members

bp = Blueprint("catalog_io", __name__)


@bp.context_processor
def _vocabularies():
    from . import constants
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
    from consortium.errors import render_error
    return render_error(413)


@bp.get("/resources/import")
@login_required
def import_form():
    if not editable_members(current_user):
        abort(403)
    return _import_page()


@bp.get("/resources/import/template.xlsx")
def import_template():
    from flask_babel import get_locale
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
    from flask_babel import get_locale
    locale = str(get_locale())
    if is_signed_in(current_user):
        return build(locale)
    params = SearchParams.from_args(request.args)  # a bad parameter is refused before anything is kept
    # extra filters (catalog.extras) rest on links the change mark does not follow: keyed on what they select now
    key = (fmt, locale, tuple(sorted(request.args.items(multi=True))),
           extras.filter_key(params) if params.extra else ())
    return export_cache.cached(key, lambda: build(locale), current_app.config["EXPORT_CACHE_ENTRIES"])


@bp.get("/resources/export.csv")
@_anonymous_export_limit()
def export_csv():
    data = _export_bytes("csv", lambda locale: exports.to_csv(exports.iter_resources(_search_select()), locale))
    return Response(data, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={_export_name('csv')}",
                             "Cache-Control": "private, no-store"})


@bp.get("/resources/export.xlsx")
@_anonymous_export_limit()
def export_xlsx():
    data = _export_bytes("xlsx", lambda locale: exports.to_xlsx(exports.iter_resources(_search_select()), locale))
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename={_export_name('xlsx')}",
                             "Cache-Control": "private, no-store"})


# ---------------------------------------------------------------- DCAT-AP

def _base_url() -> str:
    """The configured public origin: a request's Host header never reaches DCAT URIs
    (they are served with ``Cache-Control: public`` and kept per content version)."""
    return current_app.config["PUBLIC_BASE_URL"]


def _catalogue(fmt: str, endpoint: str, mimetype: str):
    from consortium.core.requests import int_param
    page = int_param("page", 1, maximum=10**6)
    if page > dcat.page_count():
        abort(404)
    base = _base_url()

    def page_url(n):
        return base.rstrip("/") + url_for(endpoint, page=n)
    return Response(dcat.catalogue_bytes(base, fmt, page, page_url), mimetype=mimetype,
                    headers={"Cache-Control": "public, max-age=300"})


@bp.get("/catalog.jsonld")
@_anonymous_export_limit()
def catalog_jsonld():
    return _catalogue("json-ld", "catalog_io.catalog_jsonld", "application/ld+json")


@bp.get("/catalog.ttl")
@_anonymous_export_limit()
def catalog_ttl():
    return _catalogue("turtle", "catalog_io.catalog_ttl", "text/turtle; charset=utf-8")


# ---------------------------------------------------------------- map, matrix, who has
