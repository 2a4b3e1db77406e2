"""The map, the coverage matrix and "who has what I need": counts follow the
/resources filters and visibility; a non-public entry never changes what an
anonymous visitor sees."""
import json
import re

import pytest

from consortium.catalog import coverage, services
from consortium.catalog.search import SearchParams
from consortium.extensions import db

from tests.catalog.conftest import described as entry

QINGDAO, XIAMEN, NINGBO = "370200", "350200", "330200"


def _figure(html: str, chart_id: str) -> dict:
    match = re.search(rf'<script type="application/json" id="{chart_id}-figure">(.*?)</script>', html, re.S)
    assert match, f"no {chart_id} figure in the page"
    return json.loads(match.group(1))


def _markers(html: str) -> dict:
    return next(t for t in _figure(html, "resource-map")["data"] if t.get("mode") == "markers+text")


def _map_counts(html: str) -> dict:
    trace = _markers(html)
    return {re.search(r"city=(\d{6})", url).group(1): n
            for url, n in zip(trace["customdata"], trace["meta"]["values"])}


def test_map_fills_provinces_by_their_counts(client, io_catalog):
    province = _figure(client.get("/resources/map").get_data(as_text=True), "resource-map")["data"][0]
    assert province["type"] == "choropleth"
    steps = dict(zip(province["locations"], province["z"]))
    assert steps["37"] == 2 and steps["35"] == 1 and steps["33"] == 0  # 青岛 2, 厦门 1: one step per count
    assert province["colorbar"]["ticktext"] == ["0", "1", "2"]


def test_anonymous_map_counts_public_entries_only(client, io_catalog):
    html = client.get("/resources/map").get_data(as_text=True)
    assert _map_counts(html) == {QINGDAO: 2, XIAMEN: 1}
    assert "共 3 条资源，分布在 2 个城市" in html


def test_signed_in_map_counts_everything_visible(browser, io_catalog):
    browser.login("xm@cdou.example")
    html = browser.get("/resources/map").get_data(as_text=True)
    assert _map_counts(html) == {QINGDAO: 3, XIAMEN: 2, NINGBO: 1}


def test_map_uses_the_resources_filters_and_links_to_the_list(client, io_catalog):
    html = client.get("/resources/map?domain=transport&q=公交").get_data(as_text=True)
    assert _map_counts(html) == {QINGDAO: 1, XIAMEN: 1}
    trace = _markers(html)
    assert all(url.startswith("/resources/?") and "domain=transport" in url for url in trace["customdata"])
    assert 'href="/resources/?q=%E5%85%AC%E4%BA%A4&amp;domain=transport&amp;city=370200"' in html
    table = html.split('id="city-counts"')[1].split("</table>")[0]
    assert "青岛" in table and "厦门" in table and "宁波" not in table


def test_map_page_loads_only_local_assets(client, io_catalog):
    html = client.get("/resources/map").get_data(as_text=True)
    assert "cdn" not in html.lower()
    config = json.loads(re.search(r'id="resource-map-config">(.*?)</script>', html, re.S).group(1))
    assert config["topojsonURL"] == "/static/vendor/topojson/"
    assert client.get("/static/vendor/topojson/asia_50m.json").status_code == 200
    assert re.search(r'<div class="plotly-chart" id="resource-map"[^>]* data-geo="1"', html)  # the geographic bundle
    js = client.get("/static/vendor/plotly/plotly-geo.js")
    assert js.mimetype == "text/javascript" and b"plotly.js" in js.data[:400]  # a module script needs the type
    js.close()


def test_bad_filter_is_a_clear_error(client, io_catalog):
    response = client.get("/resources/map?mode=走私")
    assert response.status_code == 400 and "mode" in response.get_data(as_text=True)
    response = client.get("/resources/who-has?domain=火星")
    assert response.status_code == 400 and "domain" in response.get_data(as_text=True)


def test_matrix_shows_counts_and_gaps(client, browser, io_catalog):
    html = client.get("/resources/matrix").get_data(as_text=True)
    fig = _figure(html, "coverage-matrix")["data"][0]
    assert [y.split("（")[0] for y in fig["y"]] == ["厦门市", "青岛市"]  # adcode order, public entries only
    health, transport = fig["x"].index("医疗健康"), fig["x"].index("交通")
    qd = fig["y"].index(next(y for y in fig["y"] if y.startswith("青岛")))
    assert fig["text"][qd][health] == 1 and fig["text"][qd][transport] == 1  # the number in the cell
    assert fig["texttemplate"] == "%{text}" and sum(map(sum, fig["text"])) == 3
    assert fig["colorbar"]["ticktext"] == ["0", "1"]  # integer colour steps
    assert 'data-city="370200" data-domain="finance">0<' in html
    browser.login("qd@cdou.example")
    html = browser.get("/resources/matrix").get_data(as_text=True)
    assert sum(map(sum, _figure(html, "coverage-matrix")["data"][0]["text"])) == 6


def test_who_has_ranks_cities_by_domains_covered_then_entries(ctx_app, io_catalog):
    ranking = coverage.who_has(None, ["health", "transport"])
    assert [(r.city.adcode, r.covered, r.total) for r in ranking] == [
        (QINGDAO, ["health", "transport"], 2), (XIAMEN, ["transport"], 1)]
    ranking = coverage.who_has(None, ["health", "transport"], ["privacy"])
    assert [(r.city.adcode, r.covered) for r in ranking] == [(QINGDAO, ["health"])]
    member_user = io_catalog["users"]["xm"]
    ranking = coverage.who_has(member_user, ["health", "finance"], ["privacy"])
    # members see non-public entries too; ties (one domain, one entry each) go by adcode
    assert [(r.city.adcode, r.covered) for r in ranking] == [(NINGBO, ["health"]), (XIAMEN, ["finance"]),
                                                             (QINGDAO, ["health"])]


def test_who_has_page_lists_what_each_city_has_and_lacks(client, io_catalog):
    html = client.get("/resources/who-has?domain=health&domain=transport").get_data(as_text=True)
    table = html.split('id="who-has-table"')[1]
    rows = re.findall(r'<tr data-city="(\d+)">(.*?)</tr>', table, re.S)
    assert [r[0] for r in rows] == [QINGDAO, XIAMEN]
    assert "2 / 2" in rows[0][1] and "1 / 2" in rows[1][1]
    assert "医疗健康" in rows[1][1]  # 厦门 lacks health
    assert _figure(html, "who-has-chart")["data"][0]["name"] == "医疗健康"


def test_non_public_entry_never_changes_anonymous_counts(client, io_catalog):
    pages = ["/resources/map", "/resources/matrix", "/resources/who-has?domain=health&domain=finance",
             "/resources/map?domain=health", "/resources/who-has?domain=education"]
    before = {url: client.get(url).get_data(as_text=True) for url in pages}
    services.create_resource(None, io_catalog["nb"], **entry("NB-9", "宁波教育机构名录", domain="education",
                                                             circulation_modes=["central"]))
    services.create_resource(None, io_catalog["qd"], **entry("QD-9", "医保欺诈线索", domain="health"))
    db.session.commit()
    strip = re.compile(r'nonce="[^"]+"|name="csrf_token" value="[^"]+"')
    for url in pages:
        assert strip.sub("", client.get(url).get_data(as_text=True)) == strip.sub("", before[url]), url


@pytest.fixture
def ctx_app(app):
    with app.test_request_context():
        yield app


def test_city_counts_follow_the_search_and_the_viewer(ctx_app, io_catalog):
    """Counted by hand from io_catalog: a visitor sees the three public entries (two of 青岛, one of
    厦门); a member's user sees all six. Largest first, then by administrative code."""
    qd_user = io_catalog["users"]["qd"]
    expected = [
        ({}, None, [("青岛市", 2), ("厦门市", 1)]),
        ({}, qd_user, [("青岛市", 3), ("厦门市", 2), ("宁波市", 1)]),
        ({"domain": "health"}, None, [("青岛市", 1)]),
        ({"domain": "health"}, qd_user, [("青岛市", 2), ("宁波市", 1)]),
        ({"q": "医保"}, None, [("青岛市", 1)]),
        ({"q": "医保"}, qd_user, [("青岛市", 2)]),  # and the non-public 医保基金内部稽核明细
        ({"mode": "privacy"}, None, [("青岛市", 1)]),
        ({"mode": "privacy"}, qd_user, [("宁波市", 1), ("厦门市", 1), ("青岛市", 1)]),
    ]
    for args, actor, counts in expected:
        found = [(c.city.name, c.count) for c in coverage.city_counts(actor, SearchParams.from_args(args))]
        assert found == counts, (args, actor)


def test_download_and_import_links_follow_the_filters_and_the_user(client, browser, io_catalog):
    html = client.get("/resources/map?domain=health").get_data(as_text=True)
    assert 'href="/resources/export.xlsx?domain=health"' in html and 'id="import-link"' not in html
    browser.login("qd@cdou.example")
    assert 'id="import-link"' in browser.get("/resources/map").get_data(as_text=True)
