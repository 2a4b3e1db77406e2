"""Composing, previewing and publishing dashboards. Publishing freezes every
panel's data (collected for the dashboard's audience) into a numbered
Publication; pages, downloads and the API read only that frozen copy."""
import functools
import re
import time

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from consortium.audit.services import set_actor
from consortium.catalog.constants import DOMAINS
from consortium.core.clock import utcnow
from consortium.core.entity import clean_values
from consortium.core.exceptions import DomainError, NotFound, PermissionDenied
from consortium.core.locking import UNCHECKED, check_version
from consortium.extensions import db
from consortium.geo.services import list_provinces
from consortium.scenarios.queries import list_groups

from . import panels
from .constants import AUDIENCES
from .models import Dashboard, DashboardPanel, Publication
from .permissions import audience_actor, can_manage, can_read_audience, can_view_publication
from .schemas import DashboardFields, PanelFields

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")
KEY_FIGURES = ("members", "cities", "entries", "live", "promotable")


def _require_manager(actor):
    if actor is not None and not can_manage(actor):
        raise PermissionDenied(_("Only the secretariat can do this."))
    set_actor(actor)


def _label_of(actor) -> str:
    return "system" if actor is None else actor.person_label


# ---------------------------------------------------------------- compose

def _apply(dashboard, **fields):
    """Check the fields with the dashboard's definition (limits, audience), then its own rules:
    a slug that reads well in an address and is nobody else's, a Chinese title."""
    slug = str(fields.get("slug") or "").strip().lower()
    if not SLUG.match(slug):
        raise DomainError(_("The slug is 3 to 60 lower-case letters, digits or hyphens."), field="slug")
    clean = clean_values(DashboardFields, {"audience": "public", **fields, "slug": slug})
    if not clean.get("title"):
        raise DomainError(_("A Chinese title is required."), field="title")
    clash = db.session.scalar(select(Dashboard.id).where(Dashboard.slug == slug, Dashboard.id != (dashboard.id or 0)))
    if clash:
        raise DomainError(_("Another dashboard already uses this slug."), field="slug")
    for name, value in clean.items():
        setattr(dashboard, name, value)


def create_dashboard(actor, **fields) -> Dashboard:
    _require_manager(actor)
    dashboard = Dashboard()
    with db.session.no_autoflush:
        _apply(dashboard, **fields)
    db.session.add(dashboard)
    db.session.flush()
    return dashboard


def update_dashboard(actor, dashboard, *, version=UNCHECKED, **fields) -> Dashboard:
    """``version``: the one the editor's form was opened at; a save from an older one is refused
    (``core.locking``), so two editors saving the same dashboard never lose a change."""
    _require_manager(actor)
    check_version(dashboard, version)
    with db.session.no_autoflush:
        _apply(dashboard, **fields)
    db.session.flush()
    return dashboard


def validate_filters(kind: panels.PanelKind, filters: dict) -> dict:
    """The kind's filters, each checked against what exists; a wrong one is refused, and so is a
    filter the kind does not honour (it would be stored and shown, yet count nothing)."""
    given = {k: (v.strip() if isinstance(v, str) else v) for k, v in (filters or {}).items()}
    for key, value in given.items():
        if value not in (None, "") and key not in kind.filters:
            names = {"province": _("a province"), "group": _("a scenario group"), "domain": _("a domain"),
                     "date_from": _("a start date"), "date_to": _("an end date")}
            honoured = _(", ").join(str(names[k]) for k in kind.filters) or _("nothing")
            raise DomainError(_("The panel “%(kind)s” cannot be narrowed to %(filter)s; it can be narrowed to: "
                                "%(honoured)s.", kind=kind.label, filter=names.get(key, key), honoured=honoured),
                              field=key if key in panels.FILTERS else None)
    clean = panels.clean_filters(kind, given)
    if "province" in clean and clean["province"] not in {p.code for p in list_provinces()}:
        raise DomainError(_("Unknown province."), field="province")
    if "group" in clean and clean["group"] not in {g["code"] for g in list_groups()}:
        raise DomainError(_("Unknown scenario group."), field="group")
    if "domain" in clean and clean["domain"] not in DOMAINS:
        raise DomainError(_("Unknown domain."), field="domain")
    for key in ("date_from", "date_to"):
        if key in clean and panels.as_date(clean[key]) is None:
            raise DomainError(_("Dates are written YYYY-MM-DD."), field=key)
    if "date_from" in clean and "date_to" in clean and clean["date_from"] > clean["date_to"]:
        raise DomainError(_("The start date is after the end date."), field="date_from")
    return clean


def add_panel(actor, dashboard, kind_code, *, filters=None, caption="", caption_en="") -> DashboardPanel:
    _require_manager(actor)
    kind = panels.get(kind_code)
    if kind is None:
        raise DomainError(_("Unknown panel kind."), field="kind")
    last = db.session.scalar(select(func.max(DashboardPanel.position)).where(DashboardPanel.dashboard_id == dashboard.id))
    words = clean_values(PanelFields, {"caption": caption, "caption_en": caption_en})
    panel = DashboardPanel(dashboard=dashboard, kind=kind.code, position=(last or 0) + 1,
                           filters=validate_filters(kind, filters), **words)
    db.session.add(panel)
    db.session.flush()
    return panel


def configure_panel(actor, panel, *, filters=None, caption="", caption_en="", version=UNCHECKED) -> DashboardPanel:
    """``version``: the panel's, when its form was opened (optimistic locking, as for the dashboard)."""
    _require_manager(actor)
    check_version(panel, version)
    kind = panels.get(panel.kind)
    if kind is None:
        raise DomainError(_("Unknown panel kind."), field="kind")
    words = clean_values(PanelFields, {"caption": caption, "caption_en": caption_en})
    panel.filters = validate_filters(kind, filters)
    panel.caption, panel.caption_en = words["caption"], words["caption_en"]
    db.session.flush()
    return panel


def move_panel(actor, panel, step: int) -> None:
    """Swap the panel with its neighbour above (step -1) or below (step +1)."""
    _require_manager(actor)
    ordered = list(panel.dashboard.panels)
    i = ordered.index(panel)
    j = i + (1 if step > 0 else -1)
    if 0 <= j < len(ordered):
        ordered[i], ordered[j] = ordered[j], ordered[i]
        for position, p in enumerate(ordered, 1):
            p.position = position
    db.session.flush()


def remove_panel(actor, panel) -> None:
    _require_manager(actor)
    dashboard = panel.dashboard
    dashboard.panels.remove(panel)
    db.session.delete(panel)
    for position, p in enumerate(dashboard.panels, 1):
        p.position = position
    db.session.flush()


# ---------------------------------------------------------------- collect, publish

def collect_panels(dashboard, *, include_sensitive=False) -> tuple[list[dict], dict]:
    """Every panel's data, live, for the dashboard's audience; and the key figures.
    A sensitive kind (negotiations) is left out unless ``include_sensitive``."""
    ctx = panels.Context(actor=audience_actor(dashboard.audience), audience=dashboard.audience,
                         include_sensitive=include_sensitive)
    out = []
    for panel in dashboard.panels:
        kind = panels.get(panel.kind)
        if kind is None or (kind.sensitive and not include_sensitive):
            continue
        filters = panels.clean_filters(kind, panel.filters)
        out.append({"kind": kind.code, "filters": filters, "caption": panel.caption, "caption_en": panel.caption_en,
                    "data": kind.collect(ctx, filters)})
    tiles = next((p for p in out if p["kind"] == "key_figures"), None)
    key = tiles["data"] if tiles else panels.get("key_figures").collect(ctx, {})
    return out, {k: key.get(k) for k in KEY_FIGURES}


def publish(actor, dashboard, *, include_negotiations=False) -> Publication:
    _require_manager(actor)
    if not dashboard.panels:
        raise DomainError(_("Add at least one panel before publishing."))
    frozen, key_figures = collect_panels(dashboard, include_sensitive=include_negotiations)
    version = (db.session.scalar(select(func.max(Publication.version))
                                 .where(Publication.dashboard_id == dashboard.id)) or 0) + 1
    publication = Publication(
        dashboard=dashboard, version=version, audience=dashboard.audience, title=dashboard.title,
        title_en=dashboard.title_en, intro=dashboard.intro, intro_en=dashboard.intro_en, panels=frozen,
        key_figures=key_figures, includes_negotiations=bool(include_negotiations) and any(
            panels.get(p["kind"]).sensitive for p in frozen),
        published_at=utcnow(), published_by_id=getattr(actor, "id", None), published_by_label=_label_of(actor))
    db.session.add(publication)
    db.session.flush()
    forget_version_states()
    return publication


def unpublish(actor, publication) -> None:
    """Hide a version from its readers; it is kept, and can be published again."""
    _require_manager(actor)
    publication.is_hidden, publication.hidden_at = True, utcnow()
    db.session.flush()
    forget_version_states()


def restore(actor, publication) -> None:
    _require_manager(actor)
    publication.is_hidden, publication.hidden_at = False, None
    db.session.flush()
    forget_version_states()


# ---------------------------------------------------------------- read

def get_dashboard(slug: str) -> Dashboard | None:
    return db.session.scalar(select(Dashboard).where(Dashboard.slug == slug))


def list_dashboards(actor) -> list[Dashboard]:
    """The secretariat: every dashboard, drafts included. Others: dashboards with a
    version they may read."""
    if can_manage(actor):
        return db.session.scalars(select(Dashboard).order_by(Dashboard.created_at.desc(), Dashboard.id.desc())).all()
    audiences = [a for a in AUDIENCES if can_read_audience(actor, a)]
    readable = select(Publication.dashboard_id).where(Publication.is_hidden.is_(False),
                                                      Publication.audience.in_(audiences))
    return db.session.scalars(select(Dashboard).where(Dashboard.id.in_(readable))
                              .order_by(Dashboard.created_at.desc(), Dashboard.id.desc())).all()


def latest_version(actor, dashboard) -> Publication | None:
    """The newest version this actor may read (hidden ones skipped for everyone)."""
    return latest_of(actor, sorted(dashboard.publications, key=lambda p: -p.version))


def readable_versions(actor, dashboard) -> list[Publication]:
    return [p for p in sorted(dashboard.publications, key=lambda p: -p.version) if can_view_publication(actor, p)]


@functools.cache
def _version_states_query():
    return (select(Publication.id, Publication.version, Publication.audience, Publication.is_hidden,
                   Publication.published_at).join(Dashboard, Dashboard.id == Publication.dashboard_id)
            .where(Dashboard.slug == bindparam("slug")).order_by(Publication.version.desc()))


# slug -> (monotonic expiry, rows). Each worker re-reads a dashboard's version states at
# most once a second; publishing, unpublishing and restoring clear it at once in the
# worker that did it. Unknown slugs are never kept (a visitor cannot grow it).
STATE_SECONDS = 1.0
_states: dict[str, tuple[float, list]] = {}


def version_states(slug: str) -> list:
    """Every version of a dashboard, newest first, as plain rows (id, version, audience,
    is_hidden, published_at): all a published page needs to decide what to show before
    it draws anything (a light query built once, its answer kept for a second)."""
    now = time.monotonic()
    kept = _states.get(slug)
    if kept is not None and kept[0] > now:
        return kept[1]
    rows = db.session.connection().execute(_version_states_query(), {"slug": slug}).all()
    if rows:
        _states[slug] = (now + STATE_SECONDS, rows)
    return rows


def forget_version_states() -> None:
    _states.clear()


def latest_of(actor, publications) -> Publication | None:
    return next((p for p in publications if not p.is_hidden and can_view_publication(actor, p)), None)


def get_version(actor, slug: str, version: int) -> Publication:
    """One version, or NotFound when it does not exist or the actor may not read it."""
    publication = db.session.scalar(select(Publication).join(Publication.dashboard)
                                    .where(Dashboard.slug == slug, Publication.version == version))
    if publication is None or not can_view_publication(actor, publication):
        raise NotFound(_("No such dashboard version."))
    return publication


def featured_dashboard() -> Dashboard | None:
    return db.session.scalar(select(Dashboard).where(Dashboard.is_featured.is_(True)).limit(1))


def latest_public() -> Publication | None:
    """What the home page features: the latest visible public version of the dashboard the
    secretariat chose to feature (``feature``); None when none is chosen or it has no public
    version. Publishing another dashboard never changes it."""
    dashboard = featured_dashboard()
    if dashboard is None:
        return None
    return db.session.scalar(select(Publication).where(
        Publication.dashboard_id == dashboard.id, Publication.audience == "public",
        Publication.is_hidden.is_(False)).order_by(Publication.version.desc()).limit(1))


def feature(actor, dashboard: Dashboard | None) -> None:
    """Feature ``dashboard`` on the home page (None: feature nothing). It needs a visible public
    version: the home page is read by visitors."""
    _require_manager(actor)
    if dashboard is not None and not db.session.scalar(select(Publication.id).where(
            Publication.dashboard_id == dashboard.id, Publication.audience == "public",
            Publication.is_hidden.is_(False)).limit(1)):
        raise DomainError(_("Only a dashboard with a published public version can be featured on the home page."))
    for other in db.session.scalars(select(Dashboard).where(Dashboard.is_featured.is_(True))):
        if other is not dashboard:
            other.is_featured = False
    if dashboard is not None:
        dashboard.is_featured = True
    db.session.flush()


def compare(older: Publication, newer: Publication) -> list[dict]:
    """Key figures side by side with the change."""
    out = []
    for key in KEY_FIGURES:
        a, b = older.key_figures.get(key), newer.key_figures.get(key)
        out.append({"key": key, "a": a, "b": b, "change": (b - a) if isinstance(a, int) and isinstance(b, int) else None})
    return out
