"""Every map of China the portal draws is the standard one (consortium.geo.maps.china_map):
the provinces with 台湾, 香港 and 澳门 from static/geo/china-provinces.geojson, the maritime
boundary line, the 南海诸岛 inset, nothing clipped and no neighbouring country drawn. Found two
ways: every dashboard panel kind's figure, and every figure on every page a visitor, a member
and the secretariat can open on the demo data."""
import json
import re

import pytest

from consortium.dashboards import panels, render
from consortium.dashboards.panels import Context
from consortium.geo import maps
from tests.route_walk import every_get_url, first_ids

GEO_TYPES = {"scattergeo", "choropleth", "scattermapbox", "choroplethmapbox", "densitymapbox", "scattermap",
             "choroplethmap", "densitymap"}
CHINA_LON, CHINA_LAT = (73.5, 135.1), (17.5, 53.6)  # the mainland, 台湾 and 海南 (the islands: the inset)
ALL_PROVINCES = 34


def geo_traces(figure: dict) -> list[dict]:
    return [t for t in figure.get("data", []) if t.get("type") in GEO_TYPES]


def standard_map_problems(figure: dict) -> list[str]:
    """What keeps a figure that draws geography from being the standard map of China."""
    problems = []
    layout = figure.get("layout", {})
    traces = geo_traces(figure)
    if any(t["type"] not in ("scattergeo", "choropleth") for t in traces):
        problems.append("a tile map (mapbox/maplibre) instead of the standard geometry")
    if not {t.get("geo", "geo") for t in traces} <= {"geo", "geo2"}:
        problems.append("a trace on a geo subplot other than the map and its inset")
    for name in ("geo", "geo2"):
        geo = layout.get(name)
        if not geo:
            problems.append(f"no layout.{name}")
            continue
        for flag in ("showland", "showcountries", "showcoastlines", "showocean", "showlakes", "showsubunits"):
            if geo.get(flag):
                problems.append(f"{name}.{flag}: the generic base map (neighbouring countries) is drawn")
        shapes = [t for t in traces if t["type"] == "choropleth" and t.get("geo", "geo") == name]
        if not shapes or not shapes[0].get("geojson", "").startswith("/static/geo/china-provinces.geojson"):
            problems.append(f"{name}: the provinces are not the standard geometry")
        elif len(set(shapes[0]["locations"]) & {"71", "81", "82"}) != 3 or len(shapes[0]["locations"]) != ALL_PROVINCES:
            problems.append(f"{name}: not every province (台湾, 香港, 澳门 included)")
        if not any(t.get("mode") == "lines" and t.get("geo") == name and t.get("hoverinfo") == "skip"
                   and len(t["lon"]) > 50 for t in traces):
            problems.append(f"{name}: no maritime boundary line")
    main = layout.get("geo", {})
    lon = main.get("lonaxis", {}).get("range", [0, 0])
    lat = main.get("lataxis", {}).get("range", [0, 0])
    # plotly clips a little inside the range's edges: a degree of margin keeps 漠河 and 乌恰 whole
    if not (lon[0] <= CHINA_LON[0] - 0.4 and lon[1] >= CHINA_LON[1] + 0.3 and lat[0] <= CHINA_LAT[0]
            and lat[1] >= CHINA_LAT[1] + 1):
        problems.append(f"the main map clips China: lon {lon}, lat {lat}")
    inset = layout.get("geo2", {})
    if inset.get("lataxis", {}).get("range", [99])[0] > 4 or not inset.get("showframe"):
        problems.append("no framed 南海诸岛 inset down to 曾母暗沙 (4°N)")
    texts = [a.get("text", "") for a in layout.get("annotations", [])]
    if not any(t in ("南海诸岛", "South China Sea Islands") for t in texts):
        problems.append("the inset is not named")
    narrow = figure.get("narrow", {}).get("layout", {})
    if not narrow.get("geo") or narrow.get("height", 0) < 300:
        problems.append("no phone layout (the map would be a thin strip)")
    return problems


def figures_in(html: str) -> dict[str, dict]:
    """Every chart's figure in a page (templates/macros/charts.html puts each one in a JSON script)."""
    return {m.group(1): json.loads(m.group(2)) for m in
            re.finditer(r'<script type="application/json" id="([^"]+)-figure">(.*?)</script>', html, re.S)}


def test_the_checker_refuses_the_generic_asia_base_map(app):
    generic = {"data": [{"type": "scattergeo", "lon": [120.4], "lat": [36.1]}],
               "layout": {"geo": {"scope": "asia", "lonaxis": {"range": [73, 136]}, "lataxis": {"range": [17, 54]},
                                  "showland": True, "showcountries": True}}}
    problems = standard_map_problems(generic)
    assert "geo.showcountries: the generic base map (neighbouring countries) is drawn" in problems
    assert "no layout.geo2" in problems and any("clips China" in p for p in problems)
    with app.test_request_context():
        assert standard_map_problems(maps.china_map(locale="zh_CN")) == []
        assert standard_map_problems(maps.china_map(locale="en", province_values={"37": 3})) == []


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_every_dashboard_panel_kind_draws_the_standard_map(app, demo, locale):
    from consortium.auth.services import get_user_by_email
    secretariat = get_user_by_email("secretariat@cdou.example")
    maps_found = []
    with app.test_request_context():
        for kind in panels.kinds():
            if kind.figure is None:
                continue
            ctx = Context(actor=secretariat, audience="members", include_sensitive=True)
            data = json.loads(json.dumps(kind.collect(ctx, {})))  # as frozen at publishing
            figure = kind.figure(data, locale)
            if geo_traces(figure):
                assert standard_map_problems(figure) == [], kind.code
                maps_found.append(kind.code)
            # and as a published page lays it out
            for view in render.panel_views([{"kind": kind.code, "data": data, "filters": {}}], locale):
                if view["figure"] and geo_traces(view["figure"]):
                    assert standard_map_problems(view["figure"]) == [], kind.code
    assert "resource_map" in maps_found


ROLES = [None, "qingdao@cdou.example", "secretariat@cdou.example"]


@pytest.mark.slow
def test_every_page_that_draws_a_map_draws_the_standard_one(app, demo, browser):
    """Every GET page, as a visitor, a member and the secretariat, on the demo data."""
    from consortium.auth.services import get_user_by_email
    from consortium.catalog.models import DataResource
    from consortium.extensions import db
    args = first_ids() | {"slug": "quarterly", "adcode": "370200", "code": "qingdao",
                          "resource_id": db.session.scalar(db.select(DataResource.id).limit(1)),
                          "user_id": get_user_by_email("qingdao@cdou.example").id}
    skip = {"static", "bootstrap.static", "portal.set_language", "openapi.swagger_ui",
            "auth.logout"}
    pages_with_maps = set()
    for role in ROLES:
        if role:
            browser.login(role)
        for endpoint, url in every_get_url(app, args, skip=skip):
            if url.startswith("/api/") or endpoint.endswith(("export", "download", "feed")):
                continue
            response = browser.get(url)
            if response.status_code != 200 or not response.content_type.startswith("text/html"):
                continue
            for chart_id, figure in figures_in(response.get_data(as_text=True)).items():
                if geo_traces(figure):
                    assert standard_map_problems(figure) == [], (role, url, chart_id)
                    pages_with_maps.add(endpoint)
        if role:
            browser.logout()
    assert {"catalog_io.resource_map", "registers.network", "dashboards.latest"} <= pages_with_maps
