"""Compose (secretariat), preview and publish; the published pages: /d/<slug>
(latest version), one version, print, per-panel downloads and compare. Published
pages read the frozen copy only, never the other domains' data."""
import secrets
import threading
from collections import OrderedDict

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from consortium.catalog.constants import DOMAINS, label
from consortium.core.exceptions import DomainError, NotFound
from consortium.core.forms import save_form
from consortium.core.spreadsheets import to_csv, to_xlsx
from consortium.extensions import db
from consortium.geo.services import list_provinces
from consortium.scenarios.queries import list_groups

from . import panels, permissions, render, services
from .forms import AddPanelForm, DashboardForm, PanelForm, PublishForm
from .kinds.figures import LABELS
from .models import DashboardPanel, Publication

bp = Blueprint("dashboards", __name__)


def _locale() -> str:
    return "en" if str(get_locale()).startswith("en") else "zh_CN"


def _require_manager():
    """None when the secretariat asks; else a redirect to sign in, or a 403."""
    if permissions.can_manage(current_user):
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path))
    abort(403)


def _dashboard_or_404(slug):
    dashboard = services.get_dashboard(slug)
    if dashboard is None:
        abort(404)
    return dashboard


def _map_config() -> dict:
    return {"topojsonURL": url_for("static", filename="vendor/topojson/"), "displaylogo": False,
            "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


# ---------------------------------------------------------------- anonymous page cache

class PageCache:
    """Rendered HTML of published versions for visitors, keyed by version, language
    and path. A publication's content never changes (only whether it is hidden, which
    is checked before the cache is read), so an entry never goes stale. The CSP nonce
    is a placeholder in the cached text, replaced per response."""

    def __init__(self, size=256):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            html = self.entries.get(key)
            if html is not None:
                self.entries.move_to_end(key)
            return html

    def put(self, key, html):
        with self.lock:
            self.entries[key] = html
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


PAGES = PageCache()
NONCE_MARK = "__csp_nonce_" + secrets.token_hex(8) + "__"


def _cacheable() -> bool:
    return not current_user.is_authenticated and "_flashes" not in session


def _render_published(state, siblings, template, context):
    """``context()`` builds the template's context (figures from the frozen data): only
    called when the page is not in the cache. The key holds the state of every version
    of the dashboard (the page lists them), so publishing or unpublishing one changes it."""
    key = (state.id, tuple((p.version, p.is_hidden) for p in siblings), _locale(), template, request.full_path)
    if _cacheable():
        html = PAGES.get(key)
        if html is None:
            real, g.csp_nonce = g.get("csp_nonce", ""), NONCE_MARK
            try:
                html = render_template(template, **context())
            finally:
                g.csp_nonce = real
            PAGES.put(key, html)
        return html.replace(NONCE_MARK, g.get("csp_nonce", ""))
    return render_template(template, **context())


# ---------------------------------------------------------------- list, compose

@bp.get("/dashboards/")
def index():
    dashboards = services.list_dashboards(current_user)
    latest = {d.id: services.latest_version(current_user, d) for d in dashboards}
    return render_template("dashboards/index.html", dashboards=dashboards, latest=latest,
                           can_manage=permissions.can_manage(current_user))


@bp.route("/dashboards/new", methods=["GET", "POST"])
def new():
    if (denied := _require_manager()) is not None:
        return denied
    form = DashboardForm()
    dashboard = save_form(form, lambda: services.create_dashboard(current_user, **form.values()))
    if dashboard:
        flash(_("Dashboard created. Add its panels."), "success")
        return redirect(url_for(".compose", slug=dashboard.slug))
    return render_template("dashboards/new.html", form=form), 400 if form.is_submitted() else 200


def _kind_choices():
    return [SelectChoice(k.code, str(k.label)) for k in panels.kinds()]


def _panel_form(panel: DashboardPanel, locale: str, formdata=None) -> PanelForm:
    f = panel.filters or {}
    data = {k: f.get(k, "") for k in ("province", "group", "domain")}
    for k in ("date_from", "date_to"):
        data[k] = panels.as_date(f.get(k))
    form = PanelForm(formdata=formdata, prefix=f"p{panel.id}", data=dict(data, caption=panel.caption,
                                                                            caption_en=panel.caption_en,
                                                                            version=panel.version))
    empty = [SelectChoice("", _("All"))]
    form.province.choices = empty + [SelectChoice(p.code, p.display_name(locale)) for p in list_provinces()]
    form.group.choices = empty + [SelectChoice(gr["code"], gr["name_en"] if locale == "en" and gr["name_en"] else gr["name"])
                                  for gr in list_groups()]
    form.domain.choices = empty + [SelectChoice(d, label(DOMAINS, d, locale)) for d in DOMAINS]
    return form


def _compose_page(dashboard, form=None, panel_forms=None, status=200):
    locale = _locale()
    form = form or DashboardForm(obj=dashboard)
    add = AddPanelForm()
    add.kind.choices = _kind_choices()
    panel_forms = panel_forms or {}
    items = [(p, panels.get(p.kind), panel_forms.get(p.id) or _panel_form(p, locale)) for p in dashboard.panels]
    return render_template("dashboards/compose.html", dashboard=dashboard, form=form, add_form=add, items=items,
                           publish_form=PublishForm(), versions=sorted(dashboard.publications, key=lambda p: -p.version),
                           featured=services.featured_dashboard(), feature_form=PublishForm(formdata=None),
                           has_sensitive=any(k and k.sensitive for _p, k, _f in items)), status


@bp.route("/dashboards/<slug>/edit", methods=["GET", "POST"])
def compose(slug):
    if (denied := _require_manager()) is not None:
        return denied
    dashboard = _dashboard_or_404(slug)
    form = DashboardForm(obj=dashboard)
    saved = save_form(form, lambda: services.update_dashboard(current_user, dashboard, version=form.version.data,
                                                              **form.values()))
    if saved:
        flash(_("Saved."), "success")
        return redirect(url_for(".compose", slug=dashboard.slug))
    if form.is_submitted():
        db.session.rollback()
        dashboard = _dashboard_or_404(slug)
        return _compose_page(dashboard, form=form, status=400)
    return _compose_page(dashboard)


@bp.post("/dashboards/<slug>/panels")
def add_panel(slug):
    if (denied := _require_manager()) is not None:
        return denied
    dashboard = _dashboard_or_404(slug)
    form = AddPanelForm()
    form.kind.choices = _kind_choices()
    if save_form(form, lambda: services.add_panel(current_user, dashboard, form.kind.data)):
        flash(_("Panel added."), "success")
        return redirect(url_for(".compose", slug=slug, _anchor="panels"))
    flash(_("Choose a panel kind from the catalogue."), "danger")
    return redirect(url_for(".compose", slug=slug))


def _panel_or_404(dashboard, panel_id):
    panel = db.session.get(DashboardPanel, panel_id)
    if panel is None or panel.dashboard_id != dashboard.id:
        abort(404)
    return panel


@bp.post("/dashboards/<slug>/panels/<int:panel_id>")
def configure_panel(slug, panel_id):
    if (denied := _require_manager()) is not None:
        return denied
    dashboard = _dashboard_or_404(slug)
    panel = _panel_or_404(dashboard, panel_id)
    form = _panel_form(panel, _locale(), formdata=request.form)

    def save():
        filters = {k: getattr(form, k).data for k in ("province", "group", "domain")}
        filters.update({k: getattr(form, k).data.isoformat() if getattr(form, k).data else "" for k in ("date_from", "date_to")})
        return services.configure_panel(current_user, panel, filters=filters, version=form.version.data,
                                        **form.values())
    if save_form(form, save):
        flash(_("Panel saved."), "success")
        return redirect(url_for(".compose", slug=slug, _anchor=f"panel-{panel.id}"))
    db.session.rollback()
    return _compose_page(_dashboard_or_404(slug), panel_forms={panel_id: form}, status=400)


@bp.post("/dashboards/<slug>/panels/<int:panel_id>/move")
def move_panel(slug, panel_id):
    if (denied := _require_manager()) is not None:
        return denied
    dashboard = _dashboard_or_404(slug)
    panel = _panel_or_404(dashboard, panel_id)
    services.move_panel(current_user, panel, -1 if request.form.get("step") == "up" else 1)
    db.session.commit()
    return redirect(url_for(".compose", slug=slug, _anchor=f"panel-{panel.id}"))


@bp.post("/dashboards/<slug>/panels/<int:panel_id>/remove")
def remove_panel(slug, panel_id):
    if (denied := _require_manager()) is not None:
        return denied
    dashboard = _dashboard_or_404(slug)
    services.remove_panel(current_user, _panel_or_404(dashboard, panel_id))
    db.session.commit()
    flash(_("Panel removed."), "success")
    return redirect(url_for(".compose", slug=slug, _anchor="panels"))


@bp.post("/dashboards/<slug>/feature")
def feature(slug):
    """The secretariat's choice of the dashboard the home page features (``remove``: feature none)."""
    if (denied := _require_manager()) is not None:
        return denied
    dashboard = _dashboard_or_404(slug)
    if not PublishForm().validate_on_submit():  # for its CSRF check
        abort(400)
    remove = request.form.get("remove") == "1"
    try:
        services.feature(current_user, None if remove else dashboard)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for(".compose", slug=slug))
    flash(_("The home page features no dashboard.") if remove else
          _("The home page now features %(title)s.", title=dashboard.display_title(_locale())), "success")
    return redirect(url_for(".compose", slug=slug))


@bp.get("/dashboards/<slug>/preview")
def preview(slug):
    if (denied := _require_manager()) is not None:
        return denied
    dashboard = _dashboard_or_404(slug)
    include = request.args.get("negotiations") == "1"
    frozen, key_figures = services.collect_panels(dashboard, include_sensitive=include)
    locale = _locale()
    return render_template("dashboards/version.html", preview=True, dashboard=dashboard, publication=None,
                           title=dashboard.display_title(locale),
                           intro=(dashboard.intro_en if locale == "en" and dashboard.intro_en else dashboard.intro),
                           audience=dashboard.audience, items=render.panel_views(frozen, locale),
                           config=_map_config(), versions=[])


@bp.get("/dashboards/<slug>/publish")
def review_publication(slug):
    """Before publishing: exactly what the new version will show, to whom, and what the home page
    features afterwards (publishing never changes it); the publish button is on this page."""
    if (denied := _require_manager()) is not None:
        return denied
    dashboard = _dashboard_or_404(slug)
    include = request.args.get("include_negotiations") in ("1", "y", "on")
    frozen, _key = services.collect_panels(dashboard, include_sensitive=include)
    locale = _locale()
    number = max((p.version for p in dashboard.publications), default=0) + 1
    form = PublishForm(formdata=None, include_negotiations=include)
    return render_template("dashboards/version.html", preview=True, dashboard=dashboard, publication=None,
                           title=dashboard.display_title(locale),
                           intro=(dashboard.intro_en if locale == "en" and dashboard.intro_en else dashboard.intro),
                           audience=dashboard.audience, items=render.panel_views(frozen, locale),
                           config=_map_config(), versions=[], review={
                               "form": form, "number": number, "panels": len(frozen), "include": include,
                               "featured": services.featured_dashboard()})


@bp.post("/dashboards/<slug>/publish")
def publish(slug):
    if (denied := _require_manager()) is not None:
        return denied
    dashboard = _dashboard_or_404(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    if request.form.get("confirmed") != "1":  # one click never publishes: review what becomes visible first
        flash(_("Review what the new version shows, and to whom, before publishing it."), "warning")
        return redirect(url_for(".review_publication", slug=slug,
                                include_negotiations="1" if form.include_negotiations.data else None))
    try:
        publication = services.publish(current_user, dashboard, include_negotiations=form.include_negotiations.data)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for(".compose", slug=slug))
    flash(_("Version %(n)d published.", n=publication.version), "success")
    return redirect(url_for(".version", slug=slug, version=publication.version))


def _set_hidden(slug, version, hidden: bool):
    if (denied := _require_manager()) is not None:
        return denied
    publication = _version_or_404(slug, version)
    (services.unpublish if hidden else services.restore)(current_user, publication)
    db.session.commit()
    flash(_("Version %(n)d unpublished: kept, and hidden from its readers.", n=version) if hidden
          else _("Version %(n)d published again.", n=version), "success")
    return redirect(url_for(".compose", slug=slug, _anchor="versions"))


@bp.post("/dashboards/<slug>/v/<int:version>/unpublish")
def unpublish(slug, version):
    return _set_hidden(slug, version, True)


@bp.post("/dashboards/<slug>/v/<int:version>/restore")
def restore(slug, version):
    return _set_hidden(slug, version, False)


# ---------------------------------------------------------------- published pages

def _version_or_404(slug, version):
    try:
        return services.get_version(current_user, slug, version)
    except NotFound:
        abort(404)


def _version_page(state, siblings, template="dashboards/version.html"):
    def context():
        publication = db.session.get(Publication, state.id)
        locale = _locale()
        versions = [(p.version, p.published_at) for p in siblings if permissions.can_view_publication(current_user, p)]
        return dict(preview=False, dashboard=publication.dashboard, publication=publication,
                    title=publication.display_title(locale), intro=publication.display_intro(locale),
                    audience=publication.audience, items=render.panel_views(publication.panels, locale),
                    config=_map_config(), versions=versions, can_manage=permissions.can_manage(current_user))
    return _render_published(state, siblings, template, context)


def _one_of(slug, version):
    """(the version the reader asked for, all versions of its dashboard), or a 404."""
    siblings = services.version_states(slug)
    publication = next((p for p in siblings if p.version == version), None)
    if publication is None or not permissions.can_view_publication(current_user, publication):
        abort(404)
    return publication, siblings


@bp.get("/d/<slug>")
def latest(slug):
    siblings = services.version_states(slug)
    publication = services.latest_of(current_user, siblings)
    if publication is None:
        abort(404)
    return _version_page(publication, siblings)


@bp.get("/d/<slug>/v/<int:version>")
def version(slug, version):
    return _version_page(*_one_of(slug, version))


@bp.get("/d/<slug>/v/<int:version>/print")
def print_version(slug, version):
    return _version_page(*_one_of(slug, version), "dashboards/print.html")


@bp.get("/d/<slug>/v/<int:version>/panels/<int(min=0):index>.<fmt>")  # panels count from 0
def download(slug, version, index, fmt):
    publication = _version_or_404(slug, version)
    if fmt not in ("csv", "xlsx") or not 0 <= index < len(publication.panels):
        abort(404)
    frozen = publication.panels[index]
    table = render.panel_table(frozen, _locale())
    if table is None:
        abort(404)
    headers, rows = table
    name = f"{slug}-v{version}-{index + 1}-{frozen['kind']}.{fmt}"
    if fmt == "csv":
        return Response(to_csv(headers, rows), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={name}"})
    kind = panels.get(frozen["kind"])
    return Response(to_xlsx(headers, rows, str(kind.label) if kind else frozen["kind"]),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.get("/d/<slug>/compare")
def compare(slug):
    dashboard = _dashboard_or_404(slug)
    readable = services.readable_versions(current_user, dashboard)
    if not readable:
        abort(404)
    numbers = [p.version for p in readable]

    def pick(name, default):
        try:
            n = int(request.args.get(name, default))
        except (TypeError, ValueError):
            abort(404)
        return _version_or_404(slug, n)
    newer = pick("b", numbers[0])
    older = pick("a", numbers[1] if len(numbers) > 1 else numbers[0])
    rows = [dict(r, label=str(LABELS[r["key"]])) for r in services.compare(older, newer)]
    locale = _locale()
    return render_template("dashboards/compare.html", dashboard=dashboard, older=older, newer=newer, rows=rows,
                           numbers=numbers, title=newer.display_title(locale))
