"""Runs end to end for each kind of source, served by the local server: what is written, what
is not, archive and restore, previews, and the unchanged re-run that writes nothing."""
from sqlalchemy import event, func, select

from consortium.audit.models import AuditLog
from consortium.catalog.models import DataResource
from consortium.extensions import db
from consortium.harvest import services
from consortium.harvest.models import HarvestedEntry, HarvestRun

from .conftest import EXAMPLES

EU = "http://publications.europa.eu/resource/authority/"
DCAT_MAPS = {"domain": {EU + "data-theme/ECON": "finance"}, "frequency": {EU + "frequency/HOURLY": "realtime"},
             "openness": {EU + "access-right/PUBLIC": "open", EU + "access-right/RESTRICTED": "authorised"}}
CKAN_MAPS = {"domain": {"jiaotong": "transport", "yiliao": "health", "wenlv": "tourism"},
             "licence": {"cc-by": "cc_by_4", "other-closed": "authorised_agreement"}}


def run(source, dry_run=False, limit=None):
    r = services.new_run(None, source, dry_run=dry_run, limit=limit)
    db.session.commit()
    return services.execute_run(r.id)


def entries(member):
    return {r.code: r for r in db.session.scalars(select(DataResource).where(DataResource.member_id == member.id))}


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_dcat_example_harvested_with_maps_and_provenance(site, make_source, people):
    url = site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    source = make_source("dcat", url, maps=DCAT_MAPS)
    result = run(source)
    assert (result.state, result.counts()) == ("done", {"created": 3, "changed": 0, "unchanged": 0, "archived": 0,
                                                        "restored": 0, "failed": 0})
    got = entries(people["xm"])
    bus = got["XM-JT-0001"]
    assert (bus.title, bus.domain, bus.frequency, bus.openness, bus.licence) == (
        "公交车辆实时定位", "transport", "realtime", "open", "cc_by_4")
    assert bus.department == "厦门市交通运输局" and bus.contact_email == "jt-data@xm.example.cn"
    assert set(bus.keyword_list) == {"公交", "GPS", "实时"} and bus.formats == "JSON"
    assert (got["XM-JR-0007"].domain, got["XM-JR-0007"].openness, got["XM-JR-0007"].frequency) == (
        "finance", "authorised", "quarterly")
    assert got["XM-HJ-0003"].download_url == "https://data.xiamen.example.cn/files/air_quality_hourly.csv"
    link = db.session.scalar(select(HarvestedEntry).where(HarvestedEntry.resource_id == bus.id))
    assert (link.source_id, link.remote_id, len(link.content_hash)) == (source.id, "XM-JT-0001", 64)
    assert not bus.is_public  # the source did not say its entries are public


def test_unmapped_values_are_reported_never_guessed(site, make_source, people):
    url = site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    source = make_source("dcat", url)  # no maps: ECON is three of the portal's domains, HOURLY none
    result = run(source)
    assert result.state == "done" and result.created == 0 and result.failed == 3
    reasons = {d["remote_id"]: " ".join(d["reasons"]) for d in result.records()}
    assert "access-right/PUBLIC" in reasons["XM-JT-0001"]
    assert "data-theme/ECON" in reasons["XM-JR-0007"] and "frequency/HOURLY" in reasons["XM-HJ-0003"]
    assert entries(people["xm"]) == {}


def test_unchanged_rerun_writes_nothing_and_change_is_written(site, make_source, people, app):
    body = (EXAMPLES / "dcat_catalog.ttl").read_text()
    url = site.serve("/catalog.ttl", body, content_type="text/turtle")
    source = make_source("dcat", url, maps=DCAT_MAPS)
    run(source)
    audit_rows = count(AuditLog)
    writes = []

    def note(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) and "harvest_runs" not in statement \
                and "harvest_sources" not in statement:
            writes.append(statement.split("(")[0][:60])
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        again = run(source)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert again.counts() == {"created": 0, "changed": 0, "unchanged": 3, "archived": 0, "restored": 0, "failed": 0}
    assert writes == [] and count(AuditLog) == audit_rows
    site.serve("/catalog.ttl", body.replace("公交车辆实时定位", "公交车辆实时位置"), content_type="text/turtle")
    third = run(source)
    assert (third.changed, third.unchanged) == (1, 2)
    assert entries(people["xm"])["XM-JT-0001"].title == "公交车辆实时位置"


def test_ckan_example_paged(site, make_source, people):
    import json
    answer = json.loads((EXAMPLES / "ckan_package_search.json").read_text())
    packages = answer["result"]["results"]

    def page(path):
        from urllib.parse import parse_qs, urlsplit

        from .conftest import Route
        q = parse_qs(urlsplit(path).query)
        start, rows = int(q["start"][0]), int(q["rows"][0])
        assert rows == 1000
        part = packages[start:start + 2]  # a server whose page size is smaller than asked for
        return Route(json.dumps({**answer, "result": {**answer["result"], "results": part}}),
                     content_type="application/json")
    site.routes["/api/3/action/package_search"] = __import__("tests.harvest.conftest", fromlist=["Route"]).Route(
        handler=page)
    source = make_source("ckan", site.url("/"), maps=CKAN_MAPS)
    result = run(source)
    assert result.state == "done" and result.created == 3, result.details
    assert len([h for h in site.hits if "package_search" in h]) == 2
    got = {r.title: r for r in entries(people["xm"]).values()}
    bus = got["公交线路与站点数据"]
    assert (bus.domain, bus.frequency, bus.openness, bus.licence, bus.department) == (
        "transport", "daily", "open", "cc_by_4", "青岛市交通运输局")
    assert bus.formats == "CSV,JSON" and bus.code == "3f2b6a1e-8c4d-4e7a-9b15-1a2c3d4e5f60"
    assert got["医保结算汇总数据"].openness == "conditional"


def test_spreadsheet_source_uses_the_import_template(site, make_source, people):
    csv = ("资源编码,资源名称,领域,更新频率,开放属性,流通模式,资源描述\n"
           "XM-S-1,公交客流统计,交通,每日,无条件开放,,按线路统计\n"
           "XM-S-2,医保目录,医保,每月,有条件开放,隐私计算,医保药品目录\n"
           "XM-S-3,=HYPERLINK(\"http://evil\"),交通,每日,无条件开放,,<script>alert(1)</script>\n")
    url = site.serve("/catalog.csv", csv.encode("utf-8"), content_type="text/csv")
    source = make_source("spreadsheet", url, maps={"domain": {"医保": "health"},
                                                   "circulation_modes": {"隐私计算": ["privacy"]}})
    result = run(source)
    assert result.state == "done" and (result.created, result.failed) == (3, 0), result.details
    got = entries(people["xm"])
    assert got["XM-S-2"].domain == "health" and got["XM-S-2"].circulation_modes == ["privacy"]
    assert got["XM-S-3"].title == '=HYPERLINK("http://evil")'  # stored as text, as the import does
    assert got["XM-S-3"].description == "<script>alert(1)</script>"


def test_archive_after_n_runs_and_restore(site, make_source, people):
    body = (EXAMPLES / "dcat_catalog.ttl").read_text()
    url = site.serve("/catalog.ttl", body, content_type="text/turtle")
    source = make_source("dcat", url, maps=DCAT_MAPS, archive_after=2)
    run(source)
    without = body.replace("<https://data.xiamen.example.cn/dataset/xm-air-quality> a dcat:Dataset",
                           "<https://data.xiamen.example.cn/dataset/xm-air-quality> a dcat:Distribution")
    site.serve("/catalog.ttl", without, content_type="text/turtle")
    first = run(source)
    assert first.archived == 0 and entries(people["xm"])["XM-HJ-0003"].status == "active"
    second = run(source)
    assert second.archived == 1 and entries(people["xm"])["XM-HJ-0003"].status == "archived"
    assert count(DataResource) == 3  # nothing deleted
    site.serve("/catalog.ttl", body, content_type="text/turtle")
    back = run(source)
    assert back.restored == 1 and entries(people["xm"])["XM-HJ-0003"].status == "active"


def test_preview_writes_nothing_and_reports_each_record(site, make_source, people):
    url = site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    source = make_source("dcat", url, approve=False, maps={"domain": DCAT_MAPS["domain"],
                                                           "openness": DCAT_MAPS["openness"]})
    preview = run(source, dry_run=True, limit=2)
    assert preview.state == "done" and preview.dry_run and preview.record_limit == 2
    assert {d["remote_id"]: d["outcome"] for d in preview.details} == {"XM-JT-0001": "created",
                                                                       "XM-HJ-0003": "failed"}
    assert (preview.created, preview.failed, preview.records_seen) == (1, 1, 2)
    assert count(DataResource) == 0 and count(HarvestedEntry) == 0
    assert db.session.scalar(select(func.count()).select_from(HarvestRun)) == 1


def test_duplicate_remote_ids_fail_individually(site, make_source, people):
    body = (EXAMPLES / "dcat_catalog.ttl").read_text().replace('dct:identifier "XM-HJ-0003"',
                                                                 'dct:identifier "XM-JR-0007"')
    url = site.serve("/catalog.ttl", body, content_type="text/turtle")
    result = run(make_source("dcat", url, maps=DCAT_MAPS))
    assert (result.created, result.failed) == (1, 2)
    assert all("2" in " ".join(d["reasons"]) for d in result.records() if d["outcome"] == "failed")
    assert set(entries(people["xm"])) == {"XM-JT-0001"}


def test_attached_hand_made_entry_is_updated_not_duplicated(site, make_source, people):
    from consortium.catalog.services import create_resource
    from consortium.core.exceptions import DomainError
    hand = create_resource(None, people["xm"], code="XM-OLD-1", title="公交实时位置（手工）", domain="transport",
                           frequency="daily", openness="open")
    db.session.commit()
    url = site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    source = make_source("dcat", url, maps=DCAT_MAPS)
    try:
        services.attach_entries(None, source, "XM-NONE;XM-JT-0001")
        raise AssertionError("an unknown local code must be refused")
    except DomainError as e:
        assert "XM-NONE" in e.message
    db.session.rollback()
    assert services.attach_entries(None, source, "XM-OLD-1;XM-JT-0001\n") == 1
    db.session.commit()
    result = run(source)
    assert (result.created, result.changed) == (2, 1)
    db.session.refresh(hand)
    assert hand.title == "公交车辆实时定位" and hand.code == "XM-OLD-1"
    assert "XM-JT-0001" not in entries(people["xm"])


def test_record_whose_code_a_hand_made_entry_has_fails_until_attached(site, make_source, people):
    from consortium.catalog.services import create_resource
    create_resource(None, people["xm"], code="XM-JT-0001", title="公交实时位置（手工）", domain="transport",
                    frequency="daily", openness="open")
    db.session.commit()
    url = site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    result = run(make_source("dcat", url, maps=DCAT_MAPS))
    assert (result.created, result.failed) == (2, 1)
    assert result.records()[0]["remote_id"] == "XM-JT-0001" and "未由采集源更新" in result.records()[0]["reasons"][0]
    assert entries(people["xm"])["XM-JT-0001"].title == "公交实时位置（手工）"
    assert count(HarvestedEntry) == 2
