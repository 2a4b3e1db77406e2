"""The resource map drawn: the map of China, the city × domain coverage matrix and "who has what
I need" (on the ``catalog_io`` blueprint of ``catalog.io_views``)."""
from flask import render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from consortium.core.exceptions import DomainError
from consortium.geo.maps import map_config
from consortium.geo.services import list_provinces
from consortium.members.services import active_members

from . import charts, coverage
from .constants import CIRCULATION_MODES, DOMAINS
from .io_views import bp
from .search import SearchParams


def _chart_config() -> dict:
    """No mode bar: it covered cells and the colour bar; the pages are for reading, not zooming."""
    return {"topojsonURL": url_for("static", filename="vendor/topojson/"), "displaylogo": False,
            "responsive": True, "displayModeBar": False}


def _facet_choices():
    members = active_members()
    return {"provinces": list_provinces(), "members": members}


@bp.get("/resources/map")
def resource_map():
    params = SearchParams.from_args(request.args)
    counts = coverage.city_counts(current_user, params)
    locale = str(get_locale())
    filters = params.to_args(page=None, sort=None, per_page=None)
    figure = charts.china_map(counts, locale, filters)
    return render_template("catalog/map.html", params=params, counts=counts, figure=figure,
                           config=map_config(), total=sum(c.count for c in counts), filters=filters,
                           **_facet_choices())


@bp.get("/resources/matrix")
def resource_matrix():
    params = SearchParams.from_args(request.args)
    matrix = coverage.coverage_matrix(current_user, params)
    locale = str(get_locale())
    filters = params.to_args(page=None, sort=None, per_page=None, domain=None)
    figure = charts.coverage_heatmap(matrix, locale, filters) if matrix.cities else None
    return render_template("catalog/matrix.html", params=params, matrix=matrix, figure=figure,
                           config=_chart_config(), filters=filters, **_facet_choices())


@bp.get("/resources/who-has")
def who_has():
    domains = [d for d in request.args.getlist("domain") if d]
    modes = [m for m in request.args.getlist("mode") if m]
    for name, values, vocabulary in (("domain", domains, DOMAINS), ("mode", modes, CIRCULATION_MODES)):
        unknown = [v for v in values if v not in vocabulary]
        if unknown:
            raise DomainError(_("Parameter %(name)s has an unknown value: %(value)s", name=name, value=unknown[0]),
                              field=name)
    ranking = coverage.who_has(current_user, domains, modes)
    locale = str(get_locale())
    figure = charts.who_has_bars(ranking, domains, locale, modes) if ranking else None
    return render_template("catalog/who_has.html", domains=domains, modes=modes, ranking=ranking,
                           figure=figure, config=_chart_config())
