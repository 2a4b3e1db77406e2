"""Pages of the harvest: a member's sources, a source (details, decision, vocabulary maps,
attach list, preview and run buttons, runs), and a run's report."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consortium.catalog.services import editable_members
from consortium.core.exceptions import DomainError
from consortium.core.loaders import found_or_404
from consortium.extensions import db
from consortium.jobs.models import Job
from consortium.jobs.web import started
from consortium.members.services import get_member_by_code

from . import mapping, permissions, services, tasks
from .constants import (
    COUNT_LABELS,
    COUNTS,
    KINDS,
    MAPPED_FIELDS,
    MAX_ARCHIVE_AFTER,
    NO_VALUE,
    RUN_STATES,
    SCHEDULES,
    SOURCE_STATES,
)

bp = Blueprint("harvest", __name__, url_prefix="/harvest")


def _common():
    return {"KINDS": KINDS, "SCHEDULES": SCHEDULES, "SOURCE_STATES": SOURCE_STATES, "RUN_STATES": RUN_STATES,
            "COUNTS": COUNTS, "COUNT_LABELS": COUNT_LABELS, "MAPPED_FIELDS": MAPPED_FIELDS,
            "MAX_ARCHIVE_AFTER": MAX_ARCHIVE_AFTER, "site_run_minutes": services.site_run_limit_minutes(),
            "run_limit_text": run_limit_text, "run_limit_help": _run_limit_help()}


def _run_limit_help() -> str:
    most = services.site_run_limit_minutes()
    if services.site_run_timeout() is None:
        return _("Empty: no limit (the site sets none); at most %(n)d minutes.", n=most)
    return _("Empty: the site's limit (%(n)d minutes), which is also the most a source may set.", n=most)


def run_limit_text(source) -> str:
    """The time limit a run of ``source`` has, and whose it is, in the reader's words."""
    seconds = services.run_timeout(source)
    if seconds is None:
        return _("No limit (the site sets none)")
    minutes = format_decimal(round(seconds / 60, 2))
    if source.run_timeout_minutes and seconds == source.run_timeout_minutes * services.MINUTE:
        return _("%(minutes)s minutes (this source's own limit)", minutes=minutes)
    if source.run_timeout_minutes:
        return _("%(minutes)s minutes (the site's limit, lower than this source's %(own)d)", minutes=minutes,
                 own=source.run_timeout_minutes)
    return _("%(minutes)s minutes (the site's limit)", minutes=minutes)


@bp.get("/")
@login_required
def index():
    sources = services.list_sources(current_user)
    return render_template("harvest/index.html", sources=sources, members=editable_members(current_user),
                           form=request.args, **_common())


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@bp.post("/")
@login_required
def create():
    form = request.form
    member = get_member_by_code(form.get("member", "")) if form.get("member") else current_user.member
    if member is None or not permissions.can_propose_for(current_user, member):
        abort(403)
    try:
        source = services.propose_source(current_user, member, kind=form.get("kind", ""), name=form.get("name", ""),
                                         url=form.get("url", ""), schedule=form.get("schedule", "manual"),
                                         archive_after=_int(form.get("archive_after"), 0),
                                         make_public=form.get("make_public") == "1",
                                         run_timeout_minutes=form.get("run_timeout_minutes", ""))
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "danger")
        return render_template("harvest/index.html", sources=services.list_sources(current_user),
                               members=editable_members(current_user), form=form, **_common()), 400
    db.session.commit()
    flash(_("The source is registered; the secretariat approves it before it runs. A preview is possible now."),
          "success")
    return redirect(url_for("harvest.source", source_id=source.id), 303)


def _source(source_id):
    return found_or_404(services.get_source, current_user, source_id)


def maps_text(source) -> dict[str, str]:
    """Each field's map as lines ``source value = portal value`` (the portal's value in the reader's words)."""
    locale = str(get_locale())
    out = {}
    for fld in MAPPED_FIELDS:
        vocabulary = mapping.VOCABULARIES[fld]
        lines = []
        for value, target in ((source.vocabulary_maps or {}).get(fld) or {}).items():
            targets = target if isinstance(target, list) else [target]
            lines.append(f"{value} = {', '.join(vocabulary.label(t, locale) for t in targets)}")
        out[fld] = "\n".join(lines)
    return out


def _parse_maps(form) -> dict:
    """The maps editor's text, one line per value: ``source value = portal value`` (the portal's code
    or label; several circulation modes separated by commas; an empty source value: when the source
    gives none)."""
    maps = {}
    for fld, title in MAPPED_FIELDS.items():
        vocabulary = mapping.VOCABULARIES[fld]
        lines = {}
        for n, line in enumerate((form.get(f"map_{fld}") or "").splitlines(), start=1):
            if not line.strip():
                continue
            value, sep, target = line.rpartition("=")
            if not sep:
                raise DomainError(_("%(field)s, line %(n)d: write “source value = portal value”.", field=title, n=n),
                                  field=f"map_{fld}")
            words = [w.strip() for w in target.replace("，", ",").replace("、", ",").split(",") if w.strip()] \
                if fld == "circulation_modes" else [target.strip()]
            codes = [vocabulary.find(w) for w in words]
            if not codes or None in codes:
                raise DomainError(_("%(field)s, line %(n)d: “%(value)s” is not one of the portal's values.",
                                    field=title, n=n, value=target.strip()[:60]), field=f"map_{fld}")
            key = value.strip() if value.strip() else NO_VALUE
            lines[key] = codes if fld == "circulation_modes" else codes[0]
        maps[fld] = lines
    return maps


def _page(source, status=200, form=None):
    runs = services.list_runs(source, limit=20)
    preview = next((r for r in runs if r.dry_run and r.state in ("done", "failed")), None)
    return render_template("harvest/source.html", source=source, runs=runs, preview=preview,
                           can_manage=permissions.can_manage(current_user, source),
                           can_decide=permissions.can_decide(current_user),
                           maps=form or maps_text(source), form=form or {}, **_common()), status


@bp.get("/<int:source_id>")
@login_required
def source(source_id):
    return _page(_source(source_id))


def _managed(source_id):
    source = _source(source_id)
    if not permissions.can_manage(current_user, source):
        abort(403)
    return source


def _act(source, action, success):
    try:
        action()
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "danger")
        return _page(db.session.merge(source), 400, request.form)
    db.session.commit()
    if success:
        flash(success, "success")
    return redirect(url_for("harvest.source", source_id=source.id), 303)


@bp.post("/<int:source_id>/edit")
@login_required
def edit(source_id):
    source = _managed(source_id)
    form = request.form
    return _act(source, lambda: services.update_source(
        current_user, source, name=form.get("name", ""), url=form.get("url", ""), schedule=form.get("schedule", ""),
        archive_after=_int(form.get("archive_after"), 0), make_public=form.get("make_public") == "1",
        run_timeout_minutes=form.get("run_timeout_minutes", "")),
        _("The source is saved."))


@bp.post("/<int:source_id>/maps")
@login_required
def maps(source_id):
    source = _managed(source_id)
    return _act(source, lambda: services.set_maps(current_user, source, _parse_maps(request.form)),
                _("The vocabulary maps are saved."))


@bp.post("/<int:source_id>/attach")
@login_required
def attach(source_id):
    source = _managed(source_id)
    return _act(source, lambda: services.attach_entries(current_user, source, request.form.get("attach", "")),
                _("The entries are attached; the next run updates them."))


@bp.post("/<int:source_id>/decide")
@login_required
def decide(source_id):
    source = _source(source_id)
    if not permissions.can_decide(current_user):
        abort(403)
    approve = request.form.get("decision") == "approve"
    return _act(source, lambda: services.decide_source(current_user, source, approve, request.form.get("comment", "")),
                _("The source is approved.") if approve else _("The source is refused."))


def _start(source_id, dry_run):
    source = _managed(source_id)
    try:
        _run, job = tasks.start_run(current_user, source, dry_run=dry_run,
                                    limit=_int(request.form.get("limit"), 50) if dry_run else None)
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "danger")
        return _page(db.session.merge(source), 400)
    job_id = job.id
    db.session.commit()  # the job is sent now
    return started(db.session.get(Job, job_id), api=False)


@bp.post("/<int:source_id>/preview")
@login_required
def preview(source_id):
    return _start(source_id, True)


@bp.post("/<int:source_id>/run")
@login_required
def run(source_id):
    return _start(source_id, False)


@bp.get("/<int:source_id>/runs/<int:run_id>")
@login_required
def run_report(source_id, run_id):
    source = _source(source_id)
    run = found_or_404(services.get_run, current_user, run_id)
    if run.source_id != source.id:
        abort(404)
    return render_template("harvest/run.html", source=source, run=run, **_common())
