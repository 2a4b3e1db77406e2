"""The resource map's "可信数据空间" facet: ``?space=<id>`` filters the list, the API and the
exports like the search's own facets, with the search's visibility, and stays fresh when
entries are linked or unlinked."""
import csv
import io
import re
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from consortium.catalog.models import DataResource
from consortium.extensions import db
from consortium.registers import services
from consortium.registers.models import DataSpaceResource
from tests.factories import create_resource


@pytest.fixture
def ocean(world):
    """Two spaces; in 海洋可信数据空间 three public entries (two of 气象环境, one of 农业) and
    one members-only entry; outside it a public 海洋 entry and 港口's own."""
    q = world.members.qingdao
    marine = services.create_space(None, name="海洋可信数据空间", name_en="Marine trusted data space", kind="industry",
                                   status="running", launched_on=date(2025, 6, 8), operator=q,
                                   domains=["environment"], circulation_modes=["in_domain"])
    port = services.create_space(None, name="港口可信数据空间", kind="industry", status="building", operator=q,
                                 domains=["transport"], circulation_modes=["in_domain"])
    e = SimpleNamespace(
        observe=create_resource(q, "海洋观测数据", domain="environment", is_public=True, description="浮标与岸基站"),
        buoy=create_resource(q, "近海浮标水温", domain="environment", is_public=True, description="每小时水温"),
        fishery=create_resource(q, "海洋渔业统计", domain="agriculture", is_public=True),
        hidden=create_resource(q, "海洋观测内部台账", domain="environment", is_public=False),
        outside=create_resource(q, "海洋观测历史档案", domain="environment", is_public=True),
        cargo=create_resource(q, "港口吞吐量数据", domain="transport", is_public=True))
    for r in (e.observe, e.buoy, e.fishery, e.hidden):
        services.link_resource(None, marine, r)
    services.link_resource(None, port, e.cargo)
    db.session.commit()
    return SimpleNamespace(marine=marine, port=port, e=e, world=world)


def _titles(html):
    return re.findall(r'class="fw-semibold resource-title"[^>]*>(.*?)</a>', html)


def _total(html):
    return int(re.search(r'id="result-count">\D*(\d+)', html).group(1))


def _plain(html):
    return re.sub(r"<[^>]+>", "", html)


def _sql_count(space_id, public_only, domain=None, title_has=()):
    stmt = (select(func.count()).select_from(DataResource)
            .join(DataSpaceResource, DataSpaceResource.resource_id == DataResource.id)
            .where(DataSpaceResource.space_id == space_id, DataResource.status == "active"))
    if public_only:
        stmt = stmt.where(DataResource.is_public.is_(True))
    if domain:
        stmt = stmt.where(DataResource.domain == domain)
    for word in title_has:
        stmt = stmt.where(DataResource.title.contains(word) | DataResource.description.contains(word))
    return db.session.scalar(stmt)


def _panel(html, name):
    start = html.index(f'id="facet-{name}"')
    return html[start:html.index("</ul>", start)]


def test_list_filtered_by_a_space_with_query_and_domain(ocean, browser):
    marine = ocean.marine
    browser.login("qd@example.cn")  # a member of 青岛: sees the members-only entry too
    html = browser.get(f"/resources/?space={marine.id}").get_data(as_text=True)
    assert sorted(_titles(html)) == sorted(["海洋观测数据", "近海浮标水温", "海洋渔业统计", "海洋观测内部台账"])
    assert _total(html) == _sql_count(marine.id, public_only=False) == 4
    assert "清除全部筛选" in html
    # the chosen space is an active filter whose link removes it; the other space is offered with its count
    panel = _panel(html, "space")
    active = re.search(r'<li class="[^"]*active-facet[^"]*">\s*<a href="([^"]*)"[^>]*>✕ 海洋可信数据空间</a>', panel)
    assert active and "space=" not in active.group(1)
    assert f'data-value="{ocean.port.id}"' in panel and "港口可信数据空间" in panel
    # the search's own facets count the filtered list: 气象环境 3, 农业 1, no 交通 (港口's entry)
    domains = _panel(html, "domain")
    assert re.search(r'data-value="environment">[^<]*</a>\s*<span[^>]*>3<', domains)
    assert re.search(r'data-value="agriculture">[^<]*</a>\s*<span[^>]*>1<', domains)
    assert 'data-value="transport"' not in domains
    # a domain's link keeps the space; with it and a 2-character word the list narrows again
    link = re.search(r'href="([^"]*)" data-facet="domain" data-value="environment"', domains).group(1)
    assert f"space={marine.id}" in link.replace("&amp;", "&")
    html = browser.get(f"/resources/?space={marine.id}&domain=environment&q=观测").get_data(as_text=True)
    assert sorted(_plain(t) for t in _titles(html)) == ["海洋观测内部台账", "海洋观测数据"]
    assert _total(html) == _sql_count(marine.id, False, "environment", ["观测"]) == 2
    # the space facet counts with every filter but its own: 港口's entry is not 观测/气象环境
    panel = _panel(html, "space")
    assert "港口可信数据空间" not in panel and re.search(r"✕ 海洋可信数据空间</a>\s*<span[^>]*>2<", panel)
    # the search form keeps the space when the words change
    assert f'<input type="hidden" name="space" value="{marine.id}">' in html


def test_visitor_never_sees_or_counts_a_members_only_entry(ocean, client):
    marine = ocean.marine
    html = client.get(f"/resources/?space={marine.id}").get_data(as_text=True)
    titles = sorted(_plain(t) for t in _titles(html))
    assert titles == sorted(["海洋观测数据", "近海浮标水温", "海洋渔业统计"]) and "内部台账" not in html
    assert _total(html) == _sql_count(marine.id, True) == 3
    assert re.search(r"✕ 海洋可信数据空间</a>\s*<span[^>]*>3<", _panel(html, "space"))
    # the same in the list without the filter: the space's count is the public entries only
    html = client.get("/resources/?q=内部台账").get_data(as_text=True)
    assert _total(html) == 0 and 'id="facet-space"' not in html
    # filtered by the space, the members-only entry's word finds nothing; the help names the
    # space with a link that drops it, and the panel still offers to remove it (count 0)
    html = client.get(f"/resources/?space={marine.id}&q=台账").get_data(as_text=True)
    assert _total(html) == 0 and "内部台账" not in html
    help_ = html[html.index('id="no-results"'):]
    drop = re.search(r"可信数据空间：海洋可信数据空间 · <a href=\"([^\"]*)\" class=\"drop-filter\"", help_)
    assert drop and "space=" not in drop.group(1) and "q=" in drop.group(1)
    assert re.search(r"✕ 海洋可信数据空间</a>\s*<span[^>]*>0<", _panel(html, "space"))
    api = client.get(f"/api/v1/resources?space={marine.id}&q=台账").get_json()
    assert api["total"] == 0 and api["items"] == []
    data = client.get(f"/resources/export.csv?space={marine.id}").get_data(as_text=True)
    assert "海洋观测数据" in data and "内部台账" not in data


def test_api_and_exports_filtered_the_same_way(ocean, browser):
    marine = ocean.marine
    browser.login("qd@example.cn")
    api = browser.get(f"/api/v1/resources?space={marine.id}&domain=environment").get_json()
    assert api["total"] == _sql_count(marine.id, False, "environment") == 3
    assert sorted(i["title"] for i in api["items"]) == sorted(["海洋观测数据", "近海浮标水温", "海洋观测内部台账"])
    domains = {f["value"]: f["count"] for f in api["facets"]["domain"]}
    assert domains == {"environment": 3, "agriculture": 1}
    data = browser.get(f"/resources/export.csv?space={marine.id}&q=海洋").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(data.lstrip("\ufeff"))))
    column = rows[0].index("资源名称")
    titles = sorted(row[column] for row in rows[1:])
    assert titles == sorted(["海洋观测数据", "海洋渔业统计", "海洋观测内部台账"])
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(browser.get(f"/resources/export.xlsx?space={ocean.port.id}").data))
    sheet = book.worksheets[0]
    cells = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert "港口吞吐量数据" in cells and "海洋观测数据" not in cells


@pytest.mark.parametrize("bad", ["abc", "999999", "-1", "1.5", "１"])
def test_bad_space_values(ocean, client, bad):
    r = client.get(f"/api/v1/resources?space={bad}")
    assert r.status_code == 400
    body = r.get_json()
    assert "space" in str(body)
    # the list drops the bad parameter with a warning and shows every entry (nothing hidden, no 500)
    r = client.get(f"/resources/?space={bad}&q=海洋")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "space" in _plain(html) and "海洋观测历史档案" in _plain(html)
    assert client.get(f"/resources/export.csv?space={bad}").status_code == 400


def test_a_new_link_is_seen_at_once(ocean, browser, app):
    marine, e = ocean.marine, ocean.e
    assert app.config["CATALOG_RESULT_CACHE"]
    url = f"/resources/?space={marine.id}&q=海洋"
    for _ in range(2):  # the second visit is served from the caches
        html = browser.get(url).get_data(as_text=True)
        assert "海洋观测历史档案" not in _plain(html)
    csv_before = browser.get(f"/resources/export.csv?space={marine.id}").get_data(as_text=True)
    api_before = browser.get(f"/api/v1/resources?space={marine.id}").get_json()["total"]
    assert "海洋观测历史档案" not in csv_before and api_before == 3
    services.link_resource(None, marine, e.outside)
    db.session.commit()
    html = browser.get(url).get_data(as_text=True)
    assert "海洋观测历史档案" in _plain(html)
    assert _total(html) == _sql_count(marine.id, True, None, ["海洋"])
    assert "海洋观测历史档案" in browser.get(f"/resources/export.csv?space={marine.id}").get_data(as_text=True)
    assert browser.get(f"/api/v1/resources?space={marine.id}").get_json()["total"] == 4
    services.unlink_resource(None, marine, e.outside)
    db.session.commit()
    assert "海洋观测历史档案" not in _plain(browser.get(url).get_data(as_text=True))
    assert browser.get(f"/api/v1/resources?space={marine.id}").get_json()["total"] == 3


def test_the_panel_in_english(ocean, client):
    client.get("/lang/en")
    html = client.get(f"/resources/?space={ocean.marine.id}").get_data(as_text=True)
    panel = _panel(html, "space")
    assert "Trusted data space" in panel and "✕ Marine trusted data space" in panel


def test_map_counts_the_space_and_its_form_keeps_it(ocean, client):
    html = client.get(f"/resources/map?space={ocean.marine.id}").get_data(as_text=True)
    summary = _plain(html[html.index('id="map-summary"'):html.index("</p>", html.index('id="map-summary"'))])
    assert re.findall(r"\d+", summary)[:2] == ["3", "1"] and _sql_count(ocean.marine.id, True) == 3  # 3 entries, 1 city
    form = html[html.index('id="map-filter"'):html.index("</form>", html.index('id="map-filter"'))]
    assert f'<input type="hidden" name="space" value="{ocean.marine.id}">' in form


def _space_counts(html):
    if 'id="facet-space"' not in html:
        return {}
    return {int(i): int(n) for i, n in re.findall(
        r'data-facet="space" data-value="(\d+)">[^<]*</a>\s*<span[^>]*>(\d+)<', _panel(html, "space"))}


def test_the_panel_counts_over_the_cached_search_and_follows_links_at_once(ocean, client, app):
    """The panel counts the space's links against the search's own (cached) result: a repeated
    visit reads data_resources once, for the page's rows, not a second run of the whole
    search in SQL; a link made since is counted on the next visit."""
    from sqlalchemy import event
    url = "/resources/?q=海洋"
    assert _space_counts(client.get(url).get_data(as_text=True)) == {ocean.marine.id: 2}  # 观测数据, 渔业统计
    statements = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        html = client.get(url).get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert _space_counts(html) == {ocean.marine.id: 2}
    assert len([s for s in statements if "FROM data_resources" in s]) == 1, statements
    services.link_resource(None, ocean.port, ocean.e.outside)  # 海洋观测历史档案, public
    db.session.commit()
    assert _space_counts(client.get(url).get_data(as_text=True)) == {ocean.marine.id: 2, ocean.port.id: 1}
    assert _space_counts(client.get("/resources/?q=海洋观测").get_data(as_text=True)) == {ocean.marine.id: 1,
                                                                                      ocean.port.id: 1}
