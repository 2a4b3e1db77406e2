"""/resources: the joint city data-resource map (search, facets, entry pages, forms)."""
import functools
from types import SimpleNamespace
from urllib.parse import quote_plus, urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from consortium.audit.services import history_of
from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.core.entity import more_fields
from consortium.core.exceptions import DomainError
from consortium.core.forms import save_form, show_error
from consortium.core.loaders import found_or_404
from consortium.core.pickers import make_picker
from consortium.extensions import db
from consortium.members.pickers import member_choices
from consortium.members.services import get_member_by_code

from . import extras, permissions, search, services
from .access import permissions as access_permissions
from .access import services as access_services
from .constants import CIRCULATION_MODES, DOMAINS, FIELD_TYPES, FREQUENCIES, LICENCES, OPENNESS, label
from .forms import BLANK_FIELD_ROWS, ResourceForm, RetireForm
from .hooks import needed_by
from .schemas import ResourceFields

bp = Blueprint("catalog", __name__, url_prefix="/resources")

def _params_from_request():
    """Shareable URLs keep working when a value no longer exists: the bad parameter is
    dropped with a warning instead of failing the page."""
    args = request.args.to_dict()
    for _attempt in range(len(args) + 1):
        try:
            return search.SearchParams.from_args(args)
        except DomainError as e:
            flash(e.message, "warning")
            if e.field not in args:
                break
            args.pop(e.field)
    return search.SearchParams.from_args({})


def _pages(result):
    pages = max(1, -(-result["total"] // result["per_page"]))
    page = result["page"]
    return SimpleNamespace(page=page, pages=pages, has_prev=page > 1, prev_num=page - 1,
                           has_next=page < pages, next_num=page + 1)


def _facet_titles():
    return {"province": _("Province"), "city": _("City"), "member": _("Member"), "domain": _("Domain"),
            "mode": _("Circulation mode"), "openness": _("Openness"), "frequency": _("Update frequency")}


FACET_TOP = 12
EXTRA_FACETS_SLOT = "<!--extra-facets-->"  # in _results.html, where catalog.extras panels go  # values shown per facet before "more"


def _facet_panels(params, facets, expanded):
    """What the facet column shows: per facet its top values (all of them for the facet
    named by ``?more=``), the chosen value always included, each with a ready-made link.
    Links are built from one encoded query string per facet (not one url_for per value):
    a page can hold hundreds of them."""
    base = url_for("catalog.index")
    titles = _facet_titles()
    current = params.to_args()
    panels = []
    for facet, entries in facets.items():
        selected = getattr(params, facet)
        others = urlencode(params.to_args(**{facet: None, "page": None}))
        prefix = f"{base}?{others}&{facet}=" if others else f"{base}?{facet}="
        remove = f"{base}?{others}" if others else base
        is_expanded = facet == expanded and len(entries) > FACET_TOP
        shown = entries if is_expanded else entries[:FACET_TOP]
        if selected and all(e["value"] != selected for e in shown):
            shown = shown + [e for e in entries if e["value"] == selected]
        links = [SimpleNamespace(value=e["value"], label=e["label"], count=e["count"],
                                 selected=e["value"] == selected,
                                 href=remove if e["value"] == selected else prefix + quote_plus(e["value"]))
                 for e in shown]
        hidden = len(entries) - len(shown)
        panels.append(SimpleNamespace(
            name=facet, title=titles[facet], links=links, hidden=hidden,
            more_href=f"{base}?{urlencode({**current, 'more': facet})}#facet-{facet}" if hidden > 0 else None,
            fewer_href=(f"{base}?{urlencode(current)}#facet-{facet}" if current else f"{base}#facet-{facet}")
            if is_expanded else None))
    return panels


def _extra_filter_panels(actor, params):
    """The panels of the filters other domains add (catalog.signals.extra_filters), drawn like
    the search's own facets: top values linking to the list filtered by them, the chosen
    value first-class (its link removes the filter), even when nothing matches any more.
    Drawn per request: the counts rest on data the search's change mark does not follow."""
    base = url_for("catalog.index")
    panels = []
    for name, extra in extras.filters().items():
        if extra.facet is None:
            continue
        selected = params.extra_value(name)
        entries = extra.facet(actor, params)
        others = urlencode(params.to_args(**{name: None, "page": None}))
        prefix = f"{base}?{others}&{name}=" if others else f"{base}?{name}="
        remove = f"{base}?{others}" if others else base
        shown = entries[:FACET_TOP]
        if selected and all(e["value"] != selected for e in shown):
            shown = shown + ([e for e in entries if e["value"] == selected]
                             or [{"value": selected, "label": extra.label(selected), "count": 0}])
        links = [extras.FacetLink(label=e["label"], count=e["count"], value=e["value"],
                                  selected=e["value"] == selected,
                                  href=remove if e["value"] == selected else prefix + quote_plus(e["value"]))
                 for e in shown]
        if not links:  # like the search's own facets: no panel without values
            continue
        hidden = len(entries) - len([e for e in shown if e in entries])
        panels.append(extras.FacetPanel(name=name, title=extra.title(), links=links,
                                        note=_("%(n)d more", n=hidden) if hidden > 0 else ""))
    return panels


def _empty_help(params, panels):
    """What an empty result explains: the words searched, each filter with a link that drops
    it, and the domain whose name the query is (交通 → the 交通 domain)."""
    base = url_for("catalog.index")
    chosen = {p.name: next((e.label for e in p.links if e.selected), None) for p in panels}
    titles = _facet_titles()
    filters = []
    for facet, value in params.filters.items():
        rest = urlencode(params.to_args(**{facet: None, "page": None}))
        filters.append(SimpleNamespace(title=titles[facet], label=chosen.get(facet) or value,
                                       href=f"{base}?{rest}" if rest else base))
    for name, value in params.extra:
        extra = extras.get_filter(name)
        rest = urlencode(params.to_args(**{name: None, "page": None}))
        filters.append(SimpleNamespace(title=extra.title(), label=extra.label(value),
                                       href=f"{base}?{rest}" if rest else base))
    domain = None
    q = (params.q or "").strip().casefold()
    if q and params.domain is None:
        for code, term in DOMAINS.items():
            if q in (term.zh.casefold(), str(term.en).casefold(), code) or (len(q) >= 2 and q in term.zh):
                rest = params.to_args(q=None, page=None, domain=code)
                domain = SimpleNamespace(label=label(DOMAINS, code, str(get_locale())),
                                         href=f"{base}?{urlencode(rest)}")
                break
    return SimpleNamespace(filters=filters, domain=domain)


@bp.get("/")
def index():
    params = _params_from_request()
    expanded = request.args.get("more")
    expanded = expanded if expanded in search.FACETS else None
    if params.page > 1:  # beyond the last page: go to the last page, keeping the search
        last = max(1, -(-search.result_size(current_user, params) // params.per_page))
        if params.page > last:
            args = params.to_args(page=last)
            return redirect(f"{url_for('catalog.index')}?{urlencode(args)}" if args else url_for("catalog.index"))

    def results_html():
        result = search.search_rows(current_user, params)
        panels = _facet_panels(params, result["facets"], expanded)
        return render_template("catalog/_results.html", params=params, result=result, pages=_pages(result),
                               facet_panels=panels, empty=_empty_help(params, panels) if not result["total"] else None,
                               visitor=not permissions.can_see_non_public(current_user),
                               detail_prefix=url_for("catalog.index"), labels=_labels())

    can_edit = bool(services.editable_members(current_user))
    # panels other domains add (catalog.extras): drawn per request into the cached fragment's slot
    extra = render_template("catalog/_extra_facets.html", panels=_extra_filter_panels(current_user, params)
                            + extras.facet_panels(current_user, params))
    fragment = search.cached_fragment(current_user, params, expanded, results_html)
    # the other views of the same search: map and matrix take the filters, the exports
    # also the order, "who has" its domain and mode
    return render_template("catalog/index.html", params=params, sorts=_sort_labels(),
                           results_html=Markup(fragment.replace(EXTRA_FACETS_SLOT, extra, 1)),
                           filters=params.to_args(page=None, sort=None, per_page=None),
                           export_args=params.to_args(page=None, per_page=None),
                           who_has_args={k: v for k, v in (("domain", params.domain), ("mode", params.mode)) if v},
                           can_create=can_edit, can_import=can_edit)


def _sort_labels():
    return {"updated": _("Recently updated data"), "newest": _("Newest entries"), "title": _("Resource name"),
            "records": _("Most records")}


@functools.cache
def _labels_for(locale):
    return SimpleNamespace(**{name: {code: label(vocabulary, code, locale) for code in vocabulary}
                              for name, vocabulary in (("domain", DOMAINS), ("openness", OPENNESS),
                                                       ("frequency", FREQUENCIES), ("mode", CIRCULATION_MODES))})


def _labels():
    """Vocabulary labels of the current locale as plain dicts (the list shows several per row)."""
    return _labels_for(str(get_locale()))


def _vocab():
    locale = str(get_locale())
    return {"vocab_label": lambda vocabulary, code: label(vocabulary, code, locale),
            "DOMAINS": DOMAINS, "FREQUENCIES": FREQUENCIES, "OPENNESS": OPENNESS, "MODES": CIRCULATION_MODES}


def _resource_or_404(resource_id):
    return found_or_404(services.get_resource, current_user, resource_id)


@bp.get("/<int:resource_id>")
def detail(resource_id):
    resource = _resource_or_404(resource_id)
    history = history_of(resource) if is_signed_in(current_user) else []
    can_edit = permissions.can_edit(current_user, resource)
    requests = []
    if is_signed_in(current_user):
        requests = [r for r in access_services.list_requests(current_user, resource_id=resource.id)
                    if can_edit or r.requester_member_id == current_user.member_id or is_secretariat(current_user)]
    return render_template("catalog/detail.html", r=resource, history=history, can_edit=can_edit,
                           related=services.related_resources(current_user, resource),
                           scenarios=needed_by(current_user, resource),
                           sample=services.sample_rows(resource), access_requests=requests,
                           can_request=access_permissions.can_request(current_user, resource),
                           extra_sections=extras.entry_sections(current_user, resource),
                           value_links=extras.value_links(current_user, resource),
                           more_fields=_more_fields(resource),
                           LICENCES=LICENCES, FIELD_TYPES=FIELD_TYPES, **_vocab())


# The fields catalog/detail.html lays out itself; any other field of the definition is listed
# under them, so a field added to the definition shows on the page without editing it.
LAID_OUT = {"code", "title", "description", "keywords", "domain", "department", "contact_name", "contact_email",
            "contact_phone", "frequency", "record_count", "size_mb", "temporal_start", "temporal_end",
            "spatial_coverage", "openness", "circulation_modes", "registration_no", "formats", "has_api",
            "data_updated_on", "is_public", "licence", "usage_conditions", "schema_fields", "sample_csv", "download_url"}


def _more_fields(resource) -> list[tuple[str, object]]:
    return more_fields(ResourceFields, resource, LAID_OUT, str(get_locale()))


def _prepare(form, members):
    locale = str(get_locale())
    if "member" in form:
        make_picker(form.member, member_choices(members, locale, value=lambda m: m.code))
    if request.method == "GET":
        for _blank in range(BLANK_FIELD_ROWS):
            form.schema_fields.append_entry({"name": "", "type": "string", "description": ""})
    for row in form.schema_fields:
        row.form.type.choices = [SelectChoice(c, str(text)) for c, text in FIELD_TYPES.items()]


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    members = services.editable_members(current_user)
    if not members:
        abort(403)
    form = ResourceForm()
    choose_member = is_secretariat(current_user)
    if not choose_member:
        del form.member
    _prepare(form, members)
    if request.method == "GET":
        if choose_member:
            form.member.data = request.args.get("member") or members[0].code
        form.frequency.data, form.openness.data = "monthly", "conditional"
    if form.validate_on_submit():
        member = get_member_by_code(form.member.data or "") if choose_member else members[0]
        if member is None or member not in members:
            abort(403)
        try:
            resource = services.create_resource(current_user, member, **form.values())
            db.session.commit()
            flash(_("Resource %(title)s added to the map.", title=resource.title), "success")
            return redirect(url_for("catalog.detail", resource_id=resource.id))
        except DomainError as e:
            db.session.rollback()
            show_error(form, e)
    return render_template("catalog/form.html", form=form, resource=None)


@bp.route("/<int:resource_id>/edit", methods=["GET", "POST"])
@login_required
def edit(resource_id):
    resource = _resource_or_404(resource_id)
    if not permissions.can_edit(current_user, resource):
        abort(403)
    form = ResourceForm(obj=resource)
    del form.member
    _prepare(form, [resource.member])
    if request.method == "GET":
        form.circulation_modes.data = resource.circulation_modes
    saved = save_form(form, lambda: services.update_resource(current_user, resource, expected_version=form.version.data,
                                                                     **form.values()))
    if saved:
        flash(_("Changes saved."), "success")
        return redirect(url_for("catalog.detail", resource_id=resource.id))
    return render_template("catalog/form.html", form=form, resource=resource)


@bp.route("/<int:resource_id>/retire", methods=["GET", "POST"])
@login_required
def retire(resource_id):
    """Retiring an entry: a confirmation page first (GET), the retirement on POST."""
    resource = _resource_or_404(resource_id)
    if not permissions.can_edit(current_user, resource):
        abort(403)
    form = RetireForm()
    if save_form(form, lambda: services.retire_resource(current_user, resource)):
        flash(_("%(title)s was retired: it no longer appears on the map.", title=resource.title), "warning")
        return redirect(url_for("catalog.detail", resource_id=resource.id))
    return render_template("core/confirm.html", form=form, danger=True,
                           title=_("Retire %(title)s?", title=resource.title),
                           explanation=_("The entry leaves the map, searches and exports; its history is kept and "
                                         "it can be put back."),
                           cancel_url=url_for("catalog.detail", resource_id=resource.id))


@bp.post("/<int:resource_id>/reinstate")
@login_required
def reinstate(resource_id):
    resource = _resource_or_404(resource_id)
    if not permissions.can_edit(current_user, resource):
        abort(403)
    services.reinstate_resource(current_user, resource)
    db.session.commit()
    flash(_("%(title)s is back on the map.", title=resource.title), "success")
    return redirect(url_for("catalog.detail", resource_id=resource.id))
