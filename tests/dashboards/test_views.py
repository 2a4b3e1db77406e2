"""The secretariat composes, previews and publishes through the pages; readers see
the frozen versions, by audience; downloads; compare; the home page feature."""
import io
import re

import openpyxl
from sqlalchemy import select

from consortium.dashboards.models import Dashboard, Publication
from consortium.extensions import db

from .conftest import CANARY


def _compose_page(browser, slug):
    return browser.get(f"/dashboards/{slug}/edit").get_data(as_text=True)


def test_secretariat_composes_previews_and_publishes(union, browser):
    browser.login("secretariat@cdou.example")
    r = browser.post_form("/dashboards/new", {"title": "山东省季度看板", "title_en": "Shandong quarterly",
                                              "slug": "shandong", "audience": "public", "intro": "山东成员的数据"},
                          follow_redirects=True)
    assert "山东省季度看板" in r.get_data(as_text=True)
    dashboard = db.session.scalar(select(Dashboard).where(Dashboard.slug == "shandong"))
    assert dashboard.intro == "山东成员的数据"
    for kind in ("key_figures", "resource_map", "openness"):
        browser.post_form("/dashboards/shandong/panels", {"kind": kind}, form_url="/dashboards/shandong/edit")
    db.session.refresh(dashboard)
    assert [p.kind for p in dashboard.panels] == ["key_figures", "resource_map", "openness"]
    panel = dashboard.panels[1]
    # a bad date: shown on the form, nothing saved
    bad = browser.post_form(f"/dashboards/shandong/panels/{panel.id}",
                            {f"p{panel.id}-province": "37", f"p{panel.id}-date_from": "2025-09-01",
                             f"p{panel.id}-date_to": "2025-01-01", f"p{panel.id}-caption": "山东",
                             f"p{panel.id}-version": str(panel.version)},
                            form_url="/dashboards/shandong/edit")
    assert bad.status_code == 400 and "起始日期晚于截止日期" in bad.get_data(as_text=True)
    db.session.refresh(panel)
    assert panel.filters == {} and panel.caption == ""
    ok = browser.post_form(f"/dashboards/shandong/panels/{panel.id}",
                           {f"p{panel.id}-province": "37", f"p{panel.id}-caption": "山东各市的公开资源",
                            f"p{panel.id}-caption_en": "Public entries of Shandong's cities",
                            f"p{panel.id}-version": str(panel.version)},
                           form_url="/dashboards/shandong/edit", follow_redirects=True)
    assert "面板已保存" in ok.get_data(as_text=True)
    db.session.refresh(panel)
    assert panel.filters == {"province": "37"} and panel.caption == "山东各市的公开资源"
    browser.post_form(f"/dashboards/shandong/panels/{dashboard.panels[2].id}/move", {"step": "up"},
                      form_url="/dashboards/shandong/edit")
    db.session.refresh(dashboard)
    assert [p.kind for p in dashboard.panels] == ["key_figures", "openness", "resource_map"]

    preview = browser.get("/dashboards/shandong/preview").get_data(as_text=True)
    assert "实时预览" in preview and "山东各市的公开资源" in preview and "青岛" in preview
    assert "成都" not in preview  # the province filter applies to the map
    assert db.session.scalar(select(Publication.id).where(Publication.dashboard_id == dashboard.id)) is None

    # one click never publishes: it leads to the review of what becomes public
    unconfirmed = browser.post_form("/dashboards/shandong/publish", {}, form_url="/dashboards/shandong/edit")
    assert unconfirmed.headers["Location"].endswith("/dashboards/shandong/publish")
    assert db.session.scalar(select(Publication.id).where(Publication.dashboard_id == dashboard.id)) is None
    review = browser.get("/dashboards/shandong/publish").get_data(as_text=True)
    assert 'id="publish-review"' in review and "第 1 版" in review and "所有人无需登录即可查看" in review
    assert "山东各市的公开资源" in review and "首页继续展示" in review      # the home page keeps its featured one
    published = browser.post_form("/dashboards/shandong/publish", {"confirmed": "1"},
                                  form_url="/dashboards/shandong/publish", follow_redirects=True)
    page = published.get_data(as_text=True)
    assert "第 1 版已发布" in page and "第 1 版，" in page and "秘书处 赵敏" in page
    browser.post_form(f"/dashboards/shandong/panels/{dashboard.panels[0].id}/remove", {},
                      form_url="/dashboards/shandong/edit")
    db.session.refresh(dashboard)
    assert len(dashboard.panels) == 2
    assert len(db.session.scalar(select(Publication).where(Publication.dashboard_id == dashboard.id)).panels) == 3


def test_public_pages_downloads_and_api_never_show_a_non_public_entry(union, browser, make_dashboard):
    from consortium.dashboards import services
    from .test_services import ALL_KINDS
    public = make_dashboard(slug="canary-public", kinds=ALL_KINDS, actor=union.secretariat)
    inner = make_dashboard(slug="canary-inner", audience="members", kinds=ALL_KINDS, actor=union.secretariat)
    services.publish(union.secretariat, public)
    services.publish(union.secretariat, inner)
    db.session.commit()
    texts = []
    for url in ("/", "/dashboards/", "/d/canary-public", "/d/canary-public/v/1", "/d/canary-public/v/1/print",
                "/d/canary-public/compare", "/api/v1/dashboards", "/api/v1/dashboards/canary-public",
                "/api/v1/dashboards/canary-public/versions/1", "/lang/en?next=/d/canary-public", "/d/canary-public"):
        r = browser.get(url)
        assert r.status_code in (200, 302), url
        texts.append(r.get_data(as_text=True))
    for i in range(len(ALL_KINDS)):
        texts.append(browser.get(f"/d/canary-public/v/1/panels/{i}.csv").data.decode("utf-8-sig"))
        book = openpyxl.load_workbook(io.BytesIO(browser.get(f"/d/canary-public/v/1/panels/{i}.xlsx").data))
        texts.append(" ".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row))
    everything = "\n".join(texts)
    assert "青岛" in everything and "Qingdao" in everything  # the pages did show cities
    for hidden in (CANARY, "拉萨", "Lasa", "Lhasa", "540100"):
        assert hidden not in everything, hidden
    # the members-only dashboard: not for visitors, and it does count 拉萨
    for url in ("/d/canary-inner", "/d/canary-inner/v/1", "/d/canary-inner/v/1/panels/3.csv",
                "/api/v1/dashboards/canary-inner", "/api/v1/dashboards/canary-inner/versions/1"):
        assert browser.get(url).status_code == 404, url
    browser.login("qingdao@cdou.example")
    page = browser.get("/d/canary-inner").get_data(as_text=True)
    assert "Lhasa" in page and "540100" not in page  # official English names; no adcode on the page
    assert CANARY not in page  # counts only, never a title


def test_downloads_have_chinese_headers_and_neutralised_formulas(union, browser, make_dashboard):
    from consortium.dashboards import services
    from consortium.members.services import get_member_by_code
    from consortium.scenarios import services as scenario_services
    scenario_services.create_group(None, code="formula", name="=HYPERLINK(\"x\")小组", lead_member=get_member_by_code("qingdao"),
                                   target_count=2)
    dashboard = make_dashboard(slug="sheets", kinds=["promotable", "coverage_matrix"], actor=union.secretariat)
    services.publish(union.secretariat, dashboard)
    db.session.commit()
    csv_text = browser.get("/d/sheets/v/1/panels/0.csv").data
    assert csv_text.startswith("\ufeff".encode())
    lines = csv_text.decode("utf-8-sig").splitlines()
    assert lines[0] == "场景小组,种子场景,可推广方案,目标,目标日期,上线城市数要求"
    assert any(line.startswith("\"'=HYPERLINK") for line in lines)
    book = openpyxl.load_workbook(io.BytesIO(browser.get("/d/sheets/v/1/panels/0.xlsx").data))
    rows = list(book.active.iter_rows())
    assert rows[0][0].value == "场景小组"
    evil = next(r[0] for r in rows if r[0].value == "=HYPERLINK(\"x\")小组")  # a text cell: no guard needed
    assert evil.data_type == "s"
    matrix = browser.get("/d/sheets/v/1/panels/1.csv").data.decode("utf-8-sig").splitlines()
    assert matrix[0].startswith("城市,省份,交通,医疗健康") and matrix[0].endswith(",合计")
    assert browser.get("/d/sheets/v/1/panels/2.csv").status_code == 404
    assert browser.get("/d/sheets/v/1/panels/0.pdf").status_code == 404


def test_versions_compare_and_unpublish(union, browser):
    page = browser.get("/d/quarterly").get_data(as_text=True)
    assert "第 2 版" in page and "2025 年第三季度" in page
    v1 = browser.get("/d/quarterly/v/1").get_data(as_text=True)
    assert "2025 年第二季度" in v1
    compare = browser.get("/d/quarterly/compare?a=1&b=2").get_data(as_text=True)
    members_row = re.search(r'<tr data-key="members">(.*?)</tr>', compare, re.S).group(1)
    cells = re.findall(r'<td class="text-end[^"]*">\s*([^<]+?)\s*</td>', members_row)
    assert cells == ["10", "21", "+11"]  # the demo members of 2025-06-30 and of 2025-09-30
    browser.login("secretariat@cdou.example")
    browser.post_form("/dashboards/quarterly/v/2/unpublish", {}, form_url="/dashboards/quarterly/edit")
    assert "已撤回" in browser.get("/d/quarterly/v/2").get_data(as_text=True)  # the secretariat still reads it
    browser.logout()
    assert browser.get("/d/quarterly/v/2").status_code == 404
    assert "2025 年第二季度" in browser.get("/d/quarterly").get_data(as_text=True)  # latest visible is v1
    assert db.session.scalar(select(Publication.id).where(Publication.version == 2,
                                                          Publication.dashboard.has(slug="quarterly")))


def test_home_features_the_latest_public_dashboard(union, browser):
    home = browser.get("/").get_data(as_text=True)
    feature = re.search(r'<section class="card p-3 mb-4 featured-dashboard".*?</section>', home, re.S).group(0)
    assert "共同体季度看板 · 示例（2025 年第三季度）" in feature and "/d/quarterly" in feature
    assert "运营看板" not in home  # the members-only one is never featured


def test_members_only_dashboard_is_listed_for_members_only(union, browser):
    assert "运营看板" not in browser.get("/dashboards/").get_data(as_text=True)
    assert browser.get("/d/operations").status_code == 404
    browser.login("qingdao@cdou.example")
    listing = browser.get("/dashboards/").get_data(as_text=True)
    assert "运营看板" in listing and "季度看板" in listing
    page = browser.get("/d/operations").get_data(as_text=True)
    assert "仅成员可见" in page or "成员可见" in page
