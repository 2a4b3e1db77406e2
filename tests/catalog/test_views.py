import re

import pytest
from sqlalchemy import func, select

from consortium.catalog.models import DataResource
from consortium.extensions import db


def _titles(html):
    found = re.findall(r'<a class="fw-semibold resource-title" href="/resources/\d+">(.*?)</a>', html)
    return [re.sub(r"</?mark>", "", t) for t in found]  # matches are marked


def test_anonymous_search_page_shows_public_entries_and_facets(client, catalog):
    html = client.get("/resources/?q=医保").get_data(as_text=True)
    assert _titles(html) == ["参保人员医保结算数据"]
    assert "医保基金内部稽核明细" not in html
    assert 'data-facet="domain" data-value="health"' in html
    assert "资源图谱" in client.get("/").get_data(as_text=True)


def test_facet_links_are_shareable_urls(client, catalog, browser):
    browser.login("qd@cdou.example")
    html = client.get("/resources/?domain=health").get_data(as_text=True)
    assert set(_titles(html)) == {"参保人员医保结算数据", "医保基金内部稽核明细"}
    assert "公交车辆实时定位" not in html
    # the city facet link keeps the domain filter
    assert re.search(r'href="/resources/\?[^"]*city=370200[^"]*"', html)
    link = re.search(r'href="(/resources/\?[^"]*city=370200[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "domain=health" in link
    assert set(_titles(client.get(link).get_data(as_text=True))) == {"参保人员医保结算数据", "医保基金内部稽核明细"}


def test_bad_url_parameter_is_dropped_with_a_warning(client, catalog):
    html = client.get("/resources/?domain=太空&q=公交").get_data(as_text=True)
    assert _titles(html) == ["公交车辆实时定位"]
    assert "太空" in html  # the warning names the value


def test_pagination_and_sorting(client, catalog, browser):
    browser.login("qd@cdou.example")
    html = client.get("/resources/?sort=title&per_page=2").get_data(as_text=True)
    assert len(_titles(html)) == 2 and "page=2" in html
    page2 = client.get("/resources/?sort=title&per_page=2&page=2").get_data(as_text=True)
    assert set(_titles(html)).isdisjoint(_titles(page2)) and len(_titles(page2)) == 2


def test_detail_page_permissions_and_history(client, catalog, browser):
    secret, public = catalog["r"]["secret"], catalog["r"]["yb"]
    assert client.get(f"/resources/{secret.id}").status_code == 404
    html = client.get(f"/resources/{public.id}").get_data(as_text=True)
    assert "参保人员医保结算数据" in html and "resource-history" not in html and "edit-resource" not in html
    browser.login("xm@cdou.example")
    html = client.get(f"/resources/{secret.id}").get_data(as_text=True)
    assert "医保基金内部稽核明细" in html and "edit-resource" not in html
    assert client.get(f"/resources/{secret.id}/edit").status_code == 403


def test_owner_creates_edits_and_retires_through_forms(client, catalog, browser):
    browser.login("qd@cdou.example")
    response = browser.post_form("/resources/new", {
        "code": "QD-200", "title": "地铁客流统计", "description": "各站点进出站客流", "keywords": "地铁，客流",
        "domain": "transport", "frequency": "daily", "openness": "open", "circulation_modes": ["central", "privacy"],
        "record_count": "5000", "is_public": "y"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "地铁客流统计" in html and "resource-history" in html
    r = db.session.scalar(select(DataResource).where(DataResource.code == "QD-200"))
    assert r.member.code == "qingdao" and r.circulation_modes == ["privacy", "central"] and r.is_public
    browser.post_form(f"/resources/{r.id}/edit", {
        "code": "QD-200", "title": "地铁进出站客流统计", "domain": "transport", "frequency": "daily",
        "openness": "open", "circulation_modes": ["central"]}, follow_redirects=True)
    db.session.expire_all()
    assert db.session.get(DataResource, r.id).title == "地铁进出站客流统计"
    html = client.get(f"/resources/{r.id}").get_data(as_text=True)
    assert "地铁客流统计" in html  # the history shows the old title
    browser.post_form(f"/resources/{r.id}/retire", {}, form_url=f"/resources/{r.id}")
    db.session.expire_all()
    assert db.session.get(DataResource, r.id).status == "retired"
    assert "地铁进出站客流统计" not in client.get("/resources/?q=地铁").get_data(as_text=True).split("results")[1]


def test_form_errors_are_shown_next_to_the_field_and_nothing_is_written(client, catalog, browser):
    browser.login("qd@cdou.example")
    html = browser.post_form("/resources/new", {
        "code": "QD-001", "title": "重复编号", "domain": "health", "frequency": "daily",
        "openness": "open", "temporal_start": "2025-01-01", "temporal_end": "2024-01-01"}).get_data(as_text=True)
    assert "时间范围的结束日期早于开始日期。" in html and "时间范围止" in html  # the rule's message, next to the field
    assert db.session.scalar(select(func.count(DataResource.id))) == 4


def test_other_member_cannot_retire_and_anonymous_cannot_create(client, catalog, browser):
    bus = catalog["r"]["bus"]
    assert client.get("/resources/new").status_code == 302
    browser.login("qd@cdou.example")
    response = browser.post_form(f"/resources/{bus.id}/retire", {}, form_url=f"/resources/{bus.id}")
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(DataResource, bus.id).status == "active"


def test_secretariat_chooses_the_owner(client, catalog, browser):
    browser.login("sec@cdou.example")
    assert 'name="member"' in client.get("/resources/new").get_data(as_text=True)
    browser.post_form("/resources/new", {"member": "xiamen", "code": "XM-300", "title": "港口集装箱吞吐量",
                                         "domain": "transport", "frequency": "monthly", "openness": "open"})
    assert db.session.scalar(select(DataResource).where(DataResource.code == "XM-300")).member.code == "xiamen"


def _facet_block(html, facet):
    return re.search(rf'<div class="card mb-3 facet" id="facet-{facet}">(.*?)</ul>', html, re.S).group(1)


def _facet_values(block):
    return re.findall(r'data-value="([^"]+)"', block)


def _href(block, css_class):
    return re.search(rf'class="{css_class}" href="([^"]+)"', block).group(1).replace("&amp;", "&")


def test_facets_show_the_top_values_and_the_rest_on_demand(client, catalog, browser, monkeypatch):
    from consortium.catalog import views
    monkeypatch.setattr(views, "FACET_TOP", 1)
    browser.login("qd@cdou.example")
    html = client.get("/resources/?sort=title").get_data(as_text=True)
    domain = _facet_block(html, "domain")
    assert _facet_values(domain) == ["health"]  # the largest value (2 entries) only
    assert "另有 2 项" in domain
    more = _href(domain, "facet-more")
    assert "more=domain" in more and "sort=title" in more
    expanded = client.get(more).get_data(as_text=True)
    domain = _facet_block(expanded, "domain")
    assert sorted(_facet_values(domain)) == ["finance", "health", "transport"]
    assert "收起" in domain and "facet-more" not in domain
    # the other facets stay short; the list is the same search
    assert len(_facet_values(_facet_block(expanded, "frequency"))) == 1
    assert set(_titles(expanded)) == set(_titles(html))
    # every value's count, with nothing chosen, adds up to the list total
    counts = [int(c) for c in re.findall(r'facet-count">(\d+)<', domain)]
    assert sum(counts) == len(_titles(expanded)) == 4


def test_a_chosen_facet_value_stays_visible_beyond_the_top_values(client, catalog, browser, monkeypatch):
    from consortium.catalog import views
    monkeypatch.setattr(views, "FACET_TOP", 1)
    browser.login("qd@cdou.example")
    html = client.get("/resources/?domain=finance&q=企业").get_data(as_text=True)
    assert _titles(html) == ["企业信用评价"]
    domain = _facet_block(html, "domain")
    assert "active-facet" in domain and "✕ 金融" in domain
    remove = re.search(r'<a href="([^"]+)" class="fw-semibold"', domain).group(1).replace("&amp;", "&")
    assert "domain=" not in remove and "q=" in remove


def test_the_list_links_to_map_matrix_exports_and_forms_with_the_same_search(client, catalog, browser):
    html = client.get("/resources/?q=医保&domain=health&sort=title&page=1").get_data(as_text=True)
    links = dict(re.findall(r'id="(link-map|link-matrix|link-who-has|export-csv|export-xlsx)" href="([^"]+)"', html))
    links = {k: v.replace("&amp;", "&") for k, v in links.items()}
    q = "q=%E5%8C%BB%E4%BF%9D"
    assert links["link-map"].startswith("/resources/map?") and q in links["link-map"]
    assert links["link-matrix"].startswith("/resources/matrix?") and q in links["link-matrix"]
    for key in ("link-map", "link-matrix", "export-csv", "export-xlsx"):
        assert "domain=health" in links[key]
    assert "sort=title" in links["export-csv"] and "sort=title" in links["export-xlsx"]
    assert links["link-who-has"] == "/resources/who-has?domain=health"
    assert links["export-xlsx"].startswith("/resources/export.xlsx?")
    # the CSV link exports exactly the listed search
    csv = client.get(links["export-csv"]).get_data(as_text=True)
    assert "参保人员医保结算数据" in csv and "公交车辆实时定位" not in csv and "医保基金内部稽核明细" not in csv
    # anonymous visitors get no editing buttons; a member's user gets both
    assert 'id="new-resource"' not in html and 'id="import-resources"' not in html
    browser.login("qd@cdou.example")
    html = client.get("/resources/").get_data(as_text=True)
    assert re.search(r'id="import-resources" href="/resources/import">批量导入<', html)
    assert re.search(r'id="new-resource" href="/resources/new">新增资源<', html)


def test_cached_result_html_follows_writes_and_visibility(app, client, catalog, browser):
    from consortium.catalog import services

    from .conftest import entry
    browser.login("qd@cdou.example")
    assert set(_titles(client.get("/resources/?q=医保").get_data(as_text=True))) == {
        "参保人员医保结算数据", "医保基金内部稽核明细"}
    # the same search, anonymous, right after: the members-only entry must not come from the cache
    anonymous = app.test_client()
    assert _titles(anonymous.get("/resources/?q=医保").get_data(as_text=True)) == ["参保人员医保结算数据"]
    services.create_resource(None, catalog["xm"], **entry("XM-003", "医保药店结算", is_public=True))
    db.session.commit()
    assert set(_titles(anonymous.get("/resources/?q=医保").get_data(as_text=True))) == {
        "参保人员医保结算数据", "医保药店结算"}


ENTRY = {"title": "公交刷卡记录", "domain": "transport", "frequency": "daily", "openness": "open",
         "circulation_modes": ["central"]}


@pytest.mark.parametrize("records, size, expected", [
    ("1.2亿", "1.5万", (120_000_000, 15_000)), ("５０万", "５１２.５", (500_000, 512.5)), ("12,000", "", (12_000, None))])
def test_counts_in_the_entry_form_are_read_as_people_write_them(client, catalog, browser, records, size, expected):
    browser.login("qd@cdou.example")
    browser.post_form("/resources/new", {**ENTRY, "code": "QD-300", "record_count": records, "size_mb": size},
                      follow_redirects=True)
    r = db.session.scalar(select(DataResource).where(DataResource.code == "QD-300"))
    assert (r.record_count, r.size_mb) == expected


@pytest.mark.parametrize("records, message", [("12.5", "请输入整数（12.5 不是整数）"), ("很多", "不是数字：可写作"),
                                              ("-3万", "数值不能为负数")])  # the load's message, the API's and the import's
def test_a_count_that_is_not_a_whole_number_writes_nothing_and_says_why(client, catalog, browser, records, message):
    browser.login("qd@cdou.example")
    html = browser.post_form("/resources/new", {**ENTRY, "code": "QD-301", "record_count": records}).get_data(
        as_text=True)
    assert message in html and 'value="' + records + '"' in html  # the box keeps what was typed
    assert 'class="invalid-feedback' in html or "is-invalid" in html
    assert html.count('class="invalid-feedback') == 1  # one message, not a range error about nothing
    assert db.session.scalar(select(func.count(DataResource.id)).where(DataResource.code == "QD-301")) == 0
