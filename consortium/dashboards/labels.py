"""How the dashboards' audit rows read (the definitions' fields, plus what publishing sets)."""
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import ModelLabels, defined, name_of
from consortium.auth.models import User

from .models import Dashboard
from .schemas import DashboardFields, PanelFields


def models(sender, **kwargs):
    dashboard_fields, dashboard_values = defined(DashboardFields)
    yield ModelLabels("Dashboard", _l("Dashboard"), fields={"id": _l("ID"), "created_at": _l("Created at"),
                                                         **dashboard_fields, "version": _l("Version"),
                                                         "is_featured": _l("Featured on the home page")},
                   values=dashboard_values)
    fields, values = defined(PanelFields)
    yield ModelLabels("DashboardPanel", _l("Dashboard panel"), fields={
        "id": _l("ID"), "dashboard_id": _l("Dashboard"), "position": _l("Position"), "kind": _l("Panel kind"),
        "filters": _l("Filters"), "version": _l("Version"), **fields},
        values={**values, "dashboard_id": name_of(Dashboard, "title")})
    yield ModelLabels("Publication", _l("Published version"), fields={
        **{k: v for k, v in dashboard_fields.items() if k != "slug"}, "id": _l("ID"), "dashboard_id": _l("Dashboard"),
        "version": _l("Version"), "panels": _l("Panels"), "key_figures": _l("Key figures"),
        "includes_negotiations": _l("Includes negotiation counts"), "published_at": _l("Published at"),
        "published_by_id": _l("Published by"), "published_by_label": _l("Published by"),
        "is_hidden": _l("Withdrawn"), "hidden_at": _l("Withdrawn at")},
        values={**dashboard_values, "dashboard_id": name_of(Dashboard, "title"), "published_by_id": name_of(User, "person_label")})
