"""Every fault of the issue: the run fails (or skips the record) with the reason in its report,
and no entry already on the map changes."""
import json

import pytest
from sqlalchemy import select

from consortium.catalog.models import DataResource
from consortium.extensions import db
from consortium.harvest import services

from .conftest import EXAMPLES, Route
from .test_runs import DCAT_MAPS, entries, run


@pytest.fixture
def harvested(site, make_source, people):
    """A DCAT source already harvested once (three entries), whose address the test then breaks."""
    body = (EXAMPLES / "dcat_catalog.ttl").read_text()
    url = site.serve("/catalog.ttl", body, content_type="text/turtle")
    source = make_source("dcat", url, maps=DCAT_MAPS, archive_after=1)
    assert run(source).created == 3
    return source


def snapshot(member):
    return {code: (r.title, r.status, r.version) for code, r in entries(member).items()}


def fails_and_keeps(source, people, site, path, reason, **route):
    before = snapshot(people["xm"])
    site.routes["/catalog.ttl"] = Route(**{"content_type": "text/turtle", **route}) if path is None else \
        site.routes["/catalog.ttl"]
    result = run(source)
    assert result.state == "failed", result.details
    assert reason in result.reason
    assert result.counts() == {k: 0 for k in result.counts()}
    assert snapshot(people["xm"]) == before  # archive_after=1: a run that read nothing archives nothing
    return result


def test_timeout(harvested, people, site):
    fails_and_keeps(harvested, people, site, None, "未在规定时间内响应", body="", delay=3)


def test_server_error(harvested, people, site):
    fails_and_keeps(harvested, people, site, None, "HTTP 500", body="oops", status=500)


def test_malformed_rdf(harvested, people, site):
    fails_and_keeps(harvested, people, site, None, "无法作为 RDF", body="<this is> not turtle {{{")


def test_oversize_body(harvested, people, site):
    fails_and_keeps(harvested, people, site, None, "超过 2 MB", body="", stream=200 * 1024 * 1024)


def test_redirect_loop(harvested, people, site):
    site.serve("/elsewhere", status=302, headers={"Location": "/catalog.ttl"})
    fails_and_keeps(harvested, people, site, None, "循环重定向", status=301,
                    headers={"Location": "/elsewhere"})


def test_hydra_paging_loop(harvested, people, site):
    body = (EXAMPLES / "dcat_catalog.ttl").read_text() + (
        f"\n<{site.url('/catalog.ttl')}> <http://www.w3.org/ns/hydra/core#next> <{site.url('/page2.ttl')}> .\n")
    site.serve("/page2.ttl", f"<{site.url('/page2.ttl')}> <http://www.w3.org/ns/hydra/core#next> "
                             f"<{site.url('/catalog.ttl')}> .", content_type="text/turtle")
    fails_and_keeps(harvested, people, site, None, "分页循环", body=body)


def test_hydra_paging_followed(site, make_source, people):
    body = (EXAMPLES / "dcat_catalog.ttl").read_text()
    first, rest = body.split("<https://data.xiamen.example.cn/dataset/xm-air-quality> a dcat:Dataset", 1)
    prefixes = body.split("<https://data.xiamen.example.cn/catalog> a dcat:Catalog")[0]
    page2 = site.serve("/p2.ttl", prefixes + "<https://data.xiamen.example.cn/dataset/xm-air-quality> a dcat:Dataset"
                       + rest, content_type="text/turtle")
    url = site.serve("/p1.ttl", first.replace("hydra:itemsPerPage 1000 .",
                                              f"hydra:itemsPerPage 2 ; hydra:next <{page2}> .")
                     + "\n" + "<https://x.example/dummy> a <https://x.example/T> .", content_type="text/turtle")
    result = run(make_source("dcat", url, maps=DCAT_MAPS))
    assert result.created == 3 and result.records_seen == 3


def test_malformed_json_from_ckan(site, make_source, people):
    site.serve("/api/3/action/package_search", '{"success": true, "result": {"count": 1, "results": [',
               content_type="application/json")
    result = run(make_source("ckan", site.url("/")))
    assert result.state == "failed" and "不是有效的 JSON" in result.reason
    site.serve("/api/3/action/package_search", json.dumps({"success": False, "error": {"message": "x"}}),
               content_type="application/json")
    result = run(db.session.merge(result.source))
    assert result.state == "failed" and "不是 CKAN package_search 结果" in result.reason


def test_spreadsheet_in_the_wrong_encoding(site, make_source, people):
    csv = "资源编码,资源名称,领域,更新频率,开放属性\nXM-1,公交客流,交通,每日,无条件开放\n"
    url = site.serve("/c.csv", csv.encode("utf-16-le"), content_type="text/csv")  # UTF-16 without its BOM
    result = run(make_source("spreadsheet", url))
    assert result.state == "failed" and "无法读取表格" in result.reason and "UTF-8" in result.reason
    assert db.session.scalar(select(DataResource.id)) is None


def test_bad_records_fail_alone(site, make_source, people):
    csv = ("资源编码,资源名称,领域,更新频率,开放属性\n"
           "XM-1,公交客流,交通,每日,无条件开放\nXM-2,,交通,每日,无条件开放\nXM-3,景区,火星,每日,无条件开放\n")
    url = site.serve("/c.csv", csv.encode("utf-8"), content_type="text/csv")
    result = run(make_source("spreadsheet", url))
    assert (result.state, result.created, result.failed) == ("done", 1, 2)
    reasons = {d["remote_id"]: " ".join(d["reasons"]) for d in result.records()}
    assert "火星" in reasons["XM-3"]
    assert any(word in reasons["XM-2"] for word in ("资源名称", "Title"))
    assert set(entries(people["xm"])) == {"XM-1"}


def test_private_address_refused_without_allowed_hosts(site, make_source, people, app):
    url = site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    source = make_source("dcat", url, maps=DCAT_MAPS)
    app.config["HARVEST_ALLOWED_HOSTS"] = ""
    result = run(source)
    assert result.state == "failed" and "不是公网地址" in result.reason
    assert site.hits == []  # refused before connecting
    app.config["HARVEST_ALLOWED_HOSTS"] = "127.0.0.1"


def test_redirect_to_private_address_refused(site, make_source, people, app):
    """An allowed host redirecting to a host that is not allowed: the hop is checked again."""
    target = site.url("/catalog.ttl").replace("127.0.0.1", "localhost")
    site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    url = site.serve("/go", status=302, headers={"Location": target})
    result = run(make_source("dcat", url, maps=DCAT_MAPS))
    assert result.state == "failed" and "地址 localhost 不是公网地址" in result.reason
    assert site.hits == ["/go"]


def test_markup_and_formula_text_stored_as_text(site, make_source, people, browser):
    body = (EXAMPLES / "dcat_catalog.ttl").read_text().replace(
        '"公交车辆实时定位"@zh', '"=cmd|\' /C calc\'!A0 <img src=x onerror=alert(1)>"@zh')
    url = site.serve("/catalog.ttl", body, content_type="text/turtle")
    run(make_source("dcat", url, maps=DCAT_MAPS))
    bus = entries(people["xm"])["XM-JT-0001"]
    assert bus.title == "=cmd|' /C calc'!A0 <img src=x onerror=alert(1)>"
    browser.login("xm@cdou.example")
    html = browser.get(f"/resources/{bus.id}").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_source_level_failure_changes_no_entry_even_when_records_went_missing(harvested, people, site):
    services.update_source(None, harvested, archive_after=1)
    db.session.commit()
    site.serve("/catalog.ttl", "", status=503, content_type="text/turtle")
    assert run(harvested).state == "failed"
    assert {r.status for r in entries(people["xm"]).values()} == {"active"}
