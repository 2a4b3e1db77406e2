"""/api/v1/cities/<adcode>/overview: what the city's page shows, as JSON (consortium.portal.cities)."""
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from consortium.core.api import Blueprint
from consortium.core.exceptions import NotFound
from consortium.geo import services as geo_services
from consortium.scenarios.constants import STAGES

from .cities import overview
from .schemas import CityOverviewOut

bp = Blueprint("portal_api", __name__, url_prefix="/api/v1/cities",
               description="What the union knows about a city (its page as data).")


def _named(obj, locale, code="code"):
    return None if obj is None else {"code": str(getattr(obj, code)), "name": obj.display_name(locale)}


@bp.route("/<adcode>/overview")
@bp.response(200, CityOverviewOut)
def city_overview(adcode):
    """What the union knows about a city: members, entries per domain (public ones for a visitor),
    seed scenarios, replications (signed-in users only), data spaces, the registration bodies whose
    certificates count there."""
    city = geo_services.get_city_by_adcode(adcode)
    if city is None:
        raise NotFound(_("No city has the division code or name “%(code)s”. Find the city in the "
                                   "list of cities.", code=adcode[:20]))
    locale = str(get_locale())
    seen = overview(current_user, city, locale)
    return {
        "city": city,
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
    }
