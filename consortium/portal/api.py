"""/api/v1/cities/<adcode>/overview: what the city's page shows, as JSON (consortium.portal.cities)."""
from flask import Blueprint, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from consortium.core.openapi import api_doc
from consortium.errors import render_error
from consortium.geo import services as geo_services
from consortium.geo.api import city_json
from consortium.scenarios.constants import STAGES

from .cities import overview
from .schemas import CityOverviewOut

bp = Blueprint("portal_api", __name__, url_prefix="/api/v1/cities")


def _named(obj, locale, code="code"):
    return None if obj is None else {"code": str(getattr(obj, code)), "name": obj.display_name(locale)}


@bp.get("/<adcode>/overview")
@api_doc(summary="What the union knows about a city (its page as data).", response=CityOverviewOut,
         errors={404: "No city has this division code."})
def city_overview(adcode):
    city = geo_services.get_city_by_adcode(adcode)
    if city is None:
        return render_error(404, _("No city has the division code or name “%(code)s”. Find the city in the "
                                   "list of cities.", code=adcode[:20]))
    locale = str(get_locale())
    seen = overview(current_user, city, locale)
    return CityOverviewOut().dump({
        "city": city_json(city),
        "members": [_named(m, locale) for m in seen.members],
        "entries": [{"code": code, "name": name, "entries": n,
                     "search": url_for("catalog.index", city=city.adcode, domain=code)} for code, name, n in seen.domains],
        "seed_scenarios": [{"id": s.id, "title": s.display_name(locale), "group": s.group.display_name(locale)}
                           for s in seen.seeds],
        "replications_visible": seen.replications_visible,
        "replications": [{"id": r.id, "scenario": {"id": r.scenario.id, "title": r.scenario.display_name(locale),
                                                   "group": r.scenario.group.display_name(locale)},
                          "member": _named(r.member, locale), "stage": r.stage,
                          "stage_label": STAGES.label(r.stage, locale)} for r in seen.replications],
        "data_spaces": [{"id": s.id, "name": s.display_name(locale), "kind": s.kind, "status": s.status,
                         "operator": _named(s.operator, locale)} for s in seen.spaces],
        "registration_bodies": [{"body": _named(c.body, locale), "city": c.body.city.adcode, "local": c.local,
                                 "recognised_by": [_named(b, locale) for b in c.via]} for c in seen.bodies],
    })
