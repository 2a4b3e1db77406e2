import re

from sqlalchemy import func, select

from consortium.catalog.models import DataResource
from consortium.extensions import db


def _titles(html):
    return re.findall(r'<a class="fw-semibold" href="/resources/\d+">([^<]+)</a>', html)


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
    assert "The time coverage ends before it starts." in html or "时间覆盖" in html
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
