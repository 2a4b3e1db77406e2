"""Resource-map coverage: the map of China, the city × domain matrix, entries by
openness and by circulation mode. Counted through ``catalog.queries`` for the
dashboard's audience: a public dashboard counts public entries only."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.catalog import queries
from consortium.catalog.constants import CIRCULATION_MODES, DOMAINS, OPENNESS, label

from .. import charts
from ..narrow import NARROWING, group_members
from ..panels import PanelKind, as_date, register

MATRIX_CITIES = 30  # cities drawn in the matrix figure; the download has them all


def _coverage(ctx, filters, with_domain=True) -> dict:
    """One grouped read per filter set, shared by the map, matrix, openness and mode panels."""
    group = group_members(ctx, filters)
    args = {"province": filters.get("province"), "domain": filters.get("domain") if with_domain else None,
            "created_from": as_date(filters.get("date_from")), "created_to": as_date(filters.get("date_to")),
            "member_ids": tuple(group) if group is not None else None}
    return ctx.once(("coverage", tuple(sorted(args.items(), key=lambda kv: kv[0]))),
                    lambda: queries.coverage_counts(ctx.actor, **args))


def _city_domain(ctx, filters, with_domain=True):
    return _coverage(ctx, filters, with_domain)["cities"]


def collect_map(ctx, filters):
    cities = {}
    for r in _city_domain(ctx, filters):
        c = cities.setdefault(r["adcode"], {k: r[k] for k in ("adcode", "city", "city_en", "province",
                                                              "province_en", "lon", "lat")} | {"count": 0})
        c["count"] += r["count"]
    return {"cities": sorted(cities.values(), key=lambda c: (-c["count"], c["adcode"]))}


def table_map(data, locale):
    return ([_("Area code"), _("City"), _("Province"), _("Entries")],
            [[c["adcode"], charts.pick(c, "city", locale), charts.pick(c, "province", locale), c["count"]]
             for c in data["cities"]])


def collect_matrix(ctx, filters):
    """Narrowed to a domain: that domain's column alone (its cities, their count)."""
    rows = _city_domain(ctx, filters)
    cities, counts = {}, {}
    for r in rows:
        cities.setdefault(r["adcode"], {k: r[k] for k in ("adcode", "city", "city_en", "province", "province_en")})
        counts.setdefault(r["adcode"], {})[r["domain"]] = r["count"]
    ordered = sorted(cities.values(), key=lambda c: (-sum(counts[c["adcode"]].values()), c["adcode"]))
    domains = [filters["domain"]] if filters.get("domain") else list(DOMAINS)
    return {"domains": domains, "cities": [c | {"counts": counts[c["adcode"]]} for c in ordered]}


def figure_matrix(data, locale):
    shown = data["cities"][:MATRIX_CITIES]
    x = [label(DOMAINS, d, locale) for d in data["domains"]]
    y = [charts.pick(c, "city", locale) for c in shown]
    z = [[c["counts"].get(d, 0) for d in data["domains"]] for c in shown]
    return charts.heatmap(x, y, z)


def table_matrix(data, locale):
    headers = [_("City"), _("Province")] + [label(DOMAINS, d, locale) for d in data["domains"]] + [_("Total")]
    return headers, [[charts.pick(c, "city", locale), charts.pick(c, "province", locale),
                      *[c["counts"].get(d, 0) for d in data["domains"]], sum(c["counts"].values())]
                     for c in data["cities"]]


def _modes(ctx, filters):
    return _coverage(ctx, filters)


def collect_openness(ctx, filters):
    counts = _modes(ctx, filters)["openness"]
    return {"openness": [{"code": c, "count": counts.get(c, 0)} for c in OPENNESS]}


def figure_openness(data, locale):
    rows = data["openness"]
    return charts.bars([label(OPENNESS, r["code"], locale) for r in rows], [r["count"] for r in rows],
                       colour="#0ea5e9", title=_("Entries"))


def table_openness(data, locale):
    return [_("Openness"), _("Entries")], [[label(OPENNESS, r["code"], locale), r["count"]] for r in data["openness"]]


def collect_modes(ctx, filters):
    counts = _modes(ctx, filters)["modes"]
    return {"modes": [{"code": c, "count": counts.get(c, 0)} for c in CIRCULATION_MODES]}


def figure_modes(data, locale):
    rows = data["modes"]
    return charts.bars([label(CIRCULATION_MODES, r["code"], locale) for r in rows], [r["count"] for r in rows],
                       colour="#6366f1", horizontal=True, title=_("Entries"))


def table_modes(data, locale):
    return ([_("Circulation mode"), _("Entries")],
            [[label(CIRCULATION_MODES, r["code"], locale), r["count"]] for r in data["modes"]])


CATALOG_FILTERS = NARROWING + ("date_from", "date_to")
register(PanelKind("resource_map", _l("Resource-map coverage: map of China"), collect_map, table_map,
                   lambda data, locale: charts.china_map(data["cities"], locale), filters=CATALOG_FILTERS, order=30))
register(PanelKind("coverage_matrix", _l("Resource-map coverage: city × domain matrix"), collect_matrix,
                   table_matrix, figure_matrix, filters=CATALOG_FILTERS, order=31,
                   description=_l("Entries per city and domain, the number in every cell; the figure shows the 30 cities with most entries, the download all of them.")))
register(PanelKind("openness", _l("Entries by openness"), collect_openness, table_openness, figure_openness,
                   filters=CATALOG_FILTERS, order=32))
register(PanelKind("circulation_modes", _l("Entries by circulation mode"), collect_modes, table_modes,
                   figure_modes, filters=CATALOG_FILTERS, order=33))
