"""The pages as people use them, in Chinese and English: registering a source, the
secretariat's inbox and decision, the maps editor, preview and run, the report, and the entry
page's provenance."""
import re

from sqlalchemy import select

from consortium.catalog.models import DataResource
from consortium.extensions import db
from consortium.harvest.models import HarvestRun, HarvestSource

from .conftest import EXAMPLES


def test_member_registers_secretariat_decides_from_the_inbox(browser, site, people):
    url = site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    browser.login("xm@cdou.example")
    page = browser.post_form("/harvest/", {"kind": "dcat", "name": "厦门市公共数据开放平台", "url": url,
                                           "schedule": "weekly", "archive_after": "2"}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "厦门市公共数据开放平台" in html and "等待秘书处批准" in html
    source = db.session.scalar(select(HarvestSource))
    assert (source.kind, source.schedule, source.state) == ("dcat", "weekly", "proposed")
    bad = browser.post_form("/harvest/", {"kind": "dcat", "name": "内网", "url": "ftp://10.0.0.1/x"})
    assert bad.status_code == 400 and "http://" in bad.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(HarvestSource.id))) == 1
    workspace = browser.get("/me").get_data(as_text=True)
    assert "本单位的采集源" in workspace and "厦门市公共数据开放平台" in workspace
    browser.logout()

    browser.login("sec@cdou.example")
    inbox = browser.get("/me").get_data(as_text=True)
    assert "待批准的采集源" in inbox and "厦门大数据有限公司 提议采集源 厦门市公共数据开放平台" in inbox
    refused = browser.post_form(f"/harvest/{source.id}/decide", {"decision": "refuse", "comment": ""},
                                form_url=f"/harvest/{source.id}")
    assert refused.status_code == 400 and "说明拒绝的理由" in refused.get_data(as_text=True)
    browser.post_form(f"/harvest/{source.id}/decide", {"decision": "approve", "comment": "地址核实无误"},
                      form_url=f"/harvest/{source.id}")
    db.session.expire_all()
    assert source.state == "approved" and source.decision_comment == "地址核实无误"
    assert "厦门市公共数据开放平台" not in browser.get("/me").get_data(as_text=True)
    browser.logout()

    browser.login("xm@cdou.example")
    notes = browser.get("/notifications/").get_data(as_text=True)
    assert "秘书处已批准采集源 厦门市公共数据开放平台" in notes


def test_maps_editor_preview_run_and_provenance(browser, site, people, make_source):
    url = site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    source = make_source("dcat", url)
    browser.login("xm@cdou.example")
    eu = "http://publications.europa.eu/resource/authority/"
    bad = browser.post_form(f"/harvest/{source.id}/maps", {"map_domain": f"{eu}data-theme/ECON = 火星"},
                            form_url=f"/harvest/{source.id}")
    assert bad.status_code == 400 and "火星" in bad.get_data(as_text=True)
    browser.post_form(f"/harvest/{source.id}/maps", {
        "map_domain": f"{eu}data-theme/ECON = 金融", "map_frequency": f"{eu}frequency/HOURLY = 实时",
        "map_openness": f"{eu}access-right/PUBLIC = 无条件开放\n{eu}access-right/RESTRICTED = authorised",
        "map_circulation_modes": "= 供方数据不出域, 基于隐私计算"}, form_url=f"/harvest/{source.id}")
    db.session.expire_all()
    assert source.vocabulary_maps["openness"][f"{eu}access-right/RESTRICTED"] == "authorised"
    assert source.vocabulary_maps["circulation_modes"][""] == ["in_domain", "privacy"]
    page = browser.get(f"/harvest/{source.id}").get_data(as_text=True)
    assert f"{eu}data-theme/ECON = 金融" in page  # the editor shows the maps in the reader's words

    browser.post_form(f"/harvest/{source.id}/preview", {"limit": "2"}, form_url=f"/harvest/{source.id}")
    assert db.session.scalar(select(DataResource.id)) is None
    page = browser.get(f"/harvest/{source.id}").get_data(as_text=True)
    assert "最近一次预览" in page and "XM-JT-0001" in page and "新增 2" in page

    browser.post_form(f"/harvest/{source.id}/run", {}, form_url=f"/harvest/{source.id}")
    harvest_run = db.session.scalar(select(HarvestRun).where(HarvestRun.dry_run.is_(False)))
    assert harvest_run.created == 3
    answer = browser.get(f"/harvest/{source.id}/runs/{harvest_run.id}")
    report = answer.get_data(as_text=True)
    assert answer.status_code == 200, report[report.find("<main"):][:1500]
    assert "采集报告" in report
    assert "新增 3" in report and "所有记录均已使用" in report

    bus = db.session.scalar(select(DataResource).where(DataResource.code == "XM-JT-0001"))
    assert bus.circulation_modes == ["in_domain", "privacy"]
    entry = browser.get(f"/resources/{bus.id}").get_data(as_text=True)
    assert "来自 dcat 源 的采集，最后采集于" in re.sub(r"<[^>]+>|\s+", lambda m: " " if m.group().isspace() else "",
                                                  entry)
    supplied = entry.split('id="provenance-supplied">')[1].split("<")[0]
    by_hand = entry.split('id="provenance-by-hand">')[1].split("<")[0]
    assert "资源名称" in supplied and "流通模式" in supplied and "资源名称" not in by_hand
    assert "样例数据" in by_hand and "数据资产登记证书编号" in by_hand

    browser.get("/lang/en")
    english = browser.get(f"/resources/{bus.id}").get_data(as_text=True)
    assert "From the harvest of dcat 源, last harvested on" in re.sub(r"<[^>]+>", "", english) and "来自" not in english
    source_page = browser.get(f"/harvest/{source.id}").get_data(as_text=True)
    assert "Vocabulary maps" in source_page and "Approved" in source_page and "词表" not in source_page


def test_archived_entry_keeps_its_page_for_its_owner(browser, site, people, make_source):
    from .test_runs import DCAT_MAPS, run
    body = (EXAMPLES / "dcat_catalog.ttl").read_text()
    url = site.serve("/catalog.ttl", body, content_type="text/turtle")
    source = make_source("dcat", url, maps=DCAT_MAPS, archive_after=1)
    run(source)
    site.serve("/catalog.ttl", body.replace('dct:identifier "XM-HJ-0003"', 'dct:identifier "XM-HJ-0004"'),
               content_type="text/turtle")
    assert run(source).archived == 1
    old = db.session.scalar(select(DataResource).where(DataResource.code == "XM-HJ-0003"))
    browser.login("xm@cdou.example")
    page = browser.get(f"/resources/{old.id}").get_data(as_text=True)
    assert "已归档" in page and 'id="archived-note"' in page and "重新上架" not in page
    assert "空气质量小时数据" not in browser.get("/resources/?q=空气质量").get_data(as_text=True).split("<main")[1]
    browser.logout()
    browser.login("qd@cdou.example")
    assert browser.get(f"/resources/{old.id}").status_code == 404


def test_a_sources_schedule_is_its_harvest_schedule_not_the_pricing_tier_table(browser, site, people, make_source):
    """"Schedule" is also the pricing register's tier table (阶梯表): the harvest's has its own
    context (pgettext "harvest"), 采集周期 in Chinese."""
    from flask_babel import force_locale, gettext, pgettext

    from consortium.audit.labels import field_label
    source = make_source("dcat", site.serve("/catalog.ttl", b"", content_type="text/turtle"), schedule="weekly")
    browser.login("xm@cdou.example")
    for url in ("/harvest/", f"/harvest/{source.id}"):
        html = browser.get(url).get_data(as_text=True)
        assert "采集周期" in html and "阶梯表" not in html and "每周" in html, url
    assert 'for="schedule">采集周期</label>' in html
    browser.get("/lang/en")
    for url in ("/harvest/", f"/harvest/{source.id}"):
        html = browser.get(url).get_data(as_text=True)
        assert ">Schedule<" in html and "采集周期" not in html and "Weekly" in html, url
    with force_locale("zh"):
        assert field_label("HarvestSource", "schedule") == "采集周期"  # the audit log's label
        assert pgettext("harvest", "Schedule") == "采集周期" and gettext("Schedule") == "阶梯表"
