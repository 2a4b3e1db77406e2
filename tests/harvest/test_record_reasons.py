"""Each failed record's reasons in a run's report are kept as codes and their values (a message of
the catalogue's or the import's rules in each of the site's languages), never as sentences in the
language of whoever started the run: the run's page, the source's preview, the API and the command
line read them in their reader's language; a report stored before the codes keeps its sentences."""
import json
import re

from consortium.auth.services import create_api_token
from consortium.extensions import db
from consortium.harvest.models import HarvestRun
from consortium.harvest.reasons import RECORD_REASONS, render_record

from tests.conftest import Browser

from .conftest import auth

CJK = re.compile(r"[\u4e00-\u9fff]")


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def package(pid, title, domain="jiaotong", email="jt@xm.example.cn"):
    return {"id": pid, "title": title, "maintainer_email": email, "groups": [{"name": domain}],
            "extras": [{"key": "frequency", "value": "每日"}, {"key": "开放属性", "value": "无条件开放"}]}


CKAN = {"success": True, "result": {"count": 5, "results": [
    package("xm-bus", "公交线路"),
    package("xm-mail", "医保目录", email="不是邮箱"),     # the catalogue's rule refuses the e-mail
    package("xm-mars", "火星基地", domain="huoxing"),     # a value the source's map does not name
    package("xm-dup", "景区客流"), package("xm-dup", "景区客流（重复）")]}}   # one identifier twice

# what each record's reasons say, in each language (the catalogue's field label and message included)
SAID = {
    "zh": {"xm-mail": "联系邮箱：请输入一个有效的电子邮箱地址", "xm-mars": "领域的取值“huoxing”未映射",
           "xm-dup": "该标识在来源中出现 2 次"},
    "en": {"xm-mail": "Contact e-mail: Enter one valid e-mail address", "xm-mars": "Unmapped value “huoxing” for Domain",
           "xm-dup": "The identifier appears 2 times in the source"},
}


def _setup(site, make_source, people, make_user, client):
    url = site.serve("/api/3/action/package_search", json.dumps(CKAN, ensure_ascii=False).encode(),
                     content_type="application/json")
    source = make_source("ckan", url, maps={"domain": {"jiaotong": "transport"}})
    english = make_user("en@xiamen.example", member=people["xm"])
    english.locale = "en"
    db.session.commit()
    zh, en = Browser(client), Browser(client.application.test_client())
    zh.login("xm@cdou.example")
    en.login("en@xiamen.example")
    tokens = {"zh": people["tokens"]["xm"], "en": create_api_token(None, english, "test")[1]}
    db.session.commit()
    return source, {"zh": zh, "en": en}, tokens


def _check_readers(client, source, run, readers, tokens):
    for lang, other in (("zh", "en"), ("en", "zh")):
        page = text(readers[lang].get(f"/harvest/{source.id}/runs/{run.id}").get_data(as_text=True))
        for rid, said in SAID[lang].items():
            assert said in page, (lang, rid, said)
        for said in SAID[other].values():
            assert said not in page, (lang, said)
        [item] = [i for i in client.get(f"/api/v1/harvest-sources/{source.id}/runs",
                                        headers=auth(tokens[lang])).json["items"] if i["id"] == run.id]
        reasons = {r["remote_id"]: " ".join(r["reasons"]) for r in item["records"]}
        for rid, said in SAID[lang].items():
            assert said in reasons[rid], (lang, reasons[rid])
        if lang == "en":  # English is wholly English (outside what the source wrote: 火星基地 is a title)
            assert not any(CJK.search(reasons[rid]) for rid in ("xm-mail", "xm-dup")), reasons
        codes = {r["remote_id"]: [c["code"] for c in r["reason_codes"]] for r in item["records"]
                 if r["outcome"] == "failed"}
        assert codes == {"xm-mail": ["entry_rule"], "xm-mars": ["unmapped"], "xm-dup": ["duplicate_identifier"]}


def test_record_reasons_of_a_run_started_in_chinese_read_in_each_readers_language(site, make_source, people,
                                                                                   make_user, client):
    source, readers, tokens = _setup(site, make_source, people, make_user, client)
    readers["zh"].post_form(f"/harvest/{source.id}/run", {}, form_url=f"/harvest/{source.id}")
    run = db.session.query(HarvestRun).filter_by(source_id=source.id, dry_run=False).one()
    assert (run.state, run.created, run.failed) == ("done", 1, 4)
    mail = next(d for d in run.details if d["remote_id"] == "xm-mail")
    [stored] = mail["reasons"]  # stored as a code: the field's name and the rule's message in each language
    assert stored["code"] == "entry_rule" and stored["params"]["field"] == "contact_email"
    assert set(stored["params"]["message"]) == {"zh_CN", "en"}
    assert CJK.search(stored["params"]["message"]["zh_CN"]) and not CJK.search(stored["params"]["message"]["en"])
    mars = next(d for d in run.details if d["remote_id"] == "xm-mars")
    assert mars["reasons"] == [{"code": "unmapped", "params": {"value": "huoxing", "field": "domain"}}]
    _check_readers(client, source, run, readers, tokens)


def test_record_reasons_of_a_preview_started_in_english_read_in_chinese(site, make_source, people, make_user,
                                                                        client):
    source, readers, tokens = _setup(site, make_source, people, make_user, client)
    readers["en"].post_form(f"/harvest/{source.id}/preview", {"limit": "10"}, form_url=f"/harvest/{source.id}")
    run = db.session.query(HarvestRun).filter_by(source_id=source.id, dry_run=True).one()
    assert (run.state, run.failed) == ("done", 4)
    _check_readers(client, source, run, readers, tokens)
    # the source's page shows the latest preview's records in the reader's language too
    zh_page = text(readers["zh"].get(f"/harvest/{source.id}").get_data(as_text=True))
    assert SAID["zh"]["xm-mars"] in zh_page and SAID["en"]["xm-mars"] not in zh_page


def test_spreadsheet_row_problems_kept_in_each_language(site, make_source, people, make_user, client):
    csv = ("资源编码,资源名称,领域,更新频率,开放属性\n"
           "XM-1,公交客流,交通,每日,无条件开放\nXM-2,医保,火星,每日,无条件开放\n,景区,交通,每日,无条件开放\n")
    url = site.serve("/c.csv", csv.encode("utf-8"), content_type="text/csv")
    source = make_source("spreadsheet", url)
    english = make_user("en@xiamen.example", member=people["xm"])
    english.locale = "en"
    db.session.commit()
    en = Browser(client)
    en.login("en@xiamen.example")
    en.post_form(f"/harvest/{source.id}/run", {}, form_url=f"/harvest/{source.id}")  # started in English
    run = db.session.query(HarvestRun).filter_by(source_id=source.id).one()
    assert (run.state, run.created, run.failed) == ("done", 1, 2)
    zh = Browser(client.application.test_client())
    zh.login("xm@cdou.example")
    zh_page = text(zh.get(f"/harvest/{source.id}/runs/{run.id}").get_data(as_text=True))
    en_page = text(en.get(f"/harvest/{source.id}/runs/{run.id}").get_data(as_text=True))
    # the import's own message about the unknown domain, and the record without identifier, in each language
    assert "领域: 未知取值“火星”" in zh_page and "该记录没有标识。" in zh_page
    assert "Domain: " not in zh_page and "no identifier" not in zh_page
    assert "Domain: " in en_page and "“火星”" in en_page and "The record has no identifier." in en_page
    assert "领域: " not in en_page and "未知取值" not in en_page and "该记录没有标识" not in en_page


def test_a_report_stored_before_the_codes_keeps_its_sentences(make_source, people, client, browser):
    source = make_source("dcat", "https://data.xiamen.example.cn/catalog.ttl")
    old = HarvestRun(source_id=source.id, state="done", failed=1, details=[
        {"remote_id": "XM-9", "title": "旧记录", "outcome": "failed", "reasons": ["未映射的值“X”（领域）。"],
         "resource_id": None}])
    db.session.add(old)
    db.session.commit()
    browser.login("xm@cdou.example")
    assert "未映射的值“X”（领域）。" in browser.get(f"/harvest/{source.id}/runs/{old.id}").get_data(as_text=True)
    [item] = client.get(f"/api/v1/harvest-sources/{source.id}/runs", headers=auth(people["tokens"]["xm"])).json["items"]
    assert item["records"][0]["reasons"] == ["未映射的值“X”（领域）。"] and item["records"][0]["reason_codes"] == []


def test_every_record_code_reads_in_both_languages(app):
    from flask_babel import force_locale
    params = {"n": 2, "code": "XM-1", "value": "火星", "column": "code", "field": "domain",
              "message": {"zh_CN": "必填项。", "en": "Required."}}
    with app.test_request_context():
        for code in RECORD_REASONS:
            with force_locale("en"):
                english = render_record({"code": code, "params": params})
            with force_locale("zh_CN"):
                chinese = render_record({"code": code, "params": params})
            assert english and chinese and english != chinese, code
            assert not CJK.search(english.replace("火星", "")), (code, english)
            assert CJK.search(chinese.replace("火星", "")), (code, chinese)


def test_an_unreadable_spreadsheet_reads_the_imports_message_in_each_language(site, make_source, people,
                                                                              make_user, client):
    csv = "资源编码,资源名称,领域,更新频率,开放属性\nXM-1,公交客流,交通,每日,无条件开放\n"
    url = site.serve("/c.csv", csv.encode("utf-16-le"), content_type="text/csv")  # UTF-16 without its BOM
    source = make_source("spreadsheet", url)
    english = make_user("en@xiamen.example", member=people["xm"])
    english.locale = "en"
    english_token = create_api_token(None, english, "test")[1]
    db.session.commit()
    zh = Browser(client)
    zh.login("xm@cdou.example")
    zh.post_form(f"/harvest/{source.id}/run", {}, form_url=f"/harvest/{source.id}")  # started in Chinese
    run = db.session.query(HarvestRun).filter_by(source_id=source.id).one()
    assert run.reason_code == "spreadsheet_unreadable" and set(run.reason_params["reason"]) == {"zh_CN", "en"}
    said = {}
    for lang, token in (("zh", people["tokens"]["xm"]), ("en", english_token)):
        [item] = client.get(f"/api/v1/harvest-sources/{source.id}/runs", headers=auth(token)).json["items"]
        said[lang] = item["message"]
    assert said["zh"].startswith("无法读取表格") and "UTF-8" in said["zh"]
    assert said["en"].startswith("The spreadsheet cannot be read: ") and "UTF-8" in said["en"]
    assert not CJK.search(said["en"]), said["en"]


def test_the_job_pages_summary_follows_its_readers_language(site, make_source, people, make_user, client):
    """A job is seen by its owner only: the owner who started the run in Chinese and reads its job in
    English reads the one-line summary in English (written from the run's counts or reason code)."""
    source, readers, tokens = _setup(site, make_source, people, make_user, client)
    readers["zh"].post_form(f"/harvest/{source.id}/run", {}, form_url=f"/harvest/{source.id}")
    run = db.session.query(HarvestRun).filter_by(source_id=source.id).one()
    down = make_source("dcat", site.serve("/down.ttl", "down", status=500), maps={"domain": {"x": "transport"}})
    readers["zh"].post_form(f"/harvest/{down.id}/run", {}, form_url=f"/harvest/{down.id}")
    failed = db.session.query(HarvestRun).filter_by(source_id=down.id).one()
    assert failed.state == "failed" and failed.reason_code == "http_status"
    counts = {"zh_CN": "新增 1，变更 0，未变 0，归档 0，恢复 0，失败 4。", "en": "1 new, 0 changed, 0 unchanged, 0 archived, 0 restored, 4 failed."}
    reason = {"zh_CN": "采集失败：采集源返回 HTTP 500", "en": "The run failed: The source answered HTTP 500"}
    owner = people["users"]["xm"]
    for lang, other in (("zh_CN", "en"), ("en", "zh_CN")):
        owner.locale = lang
        db.session.commit()
        for job_id, said in ((run.job_id, counts), (failed.job_id, reason)):
            page = text(readers["zh"].get(f"/jobs/{job_id}").get_data(as_text=True))
            assert said[lang] in page and said[other] not in page, (lang, page[-600:])
            answer = client.get(f"/api/v1/jobs/{job_id}", headers=auth(tokens["zh"])).json
            assert said[lang] in answer["message"], (lang, answer["message"])


TTL = """@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://data.xm.example.cn/ds/1> a dcat:Dataset ; dct:identifier "XM-T-1" ; dct:title "公交刷卡"@zh ;
  dct:temporal [ dcat:startDate "2024-06-01"^^xsd:date ; dcat:endDate "2023-01-01"^^xsd:date ] .
"""


def test_a_record_the_catalogue_refuses_on_creation_is_kept_in_each_language_and_writes_nothing(
        site, make_source, people, app):
    """The entry's whole check (the time coverage ends before it starts) refuses the record when it is
    created: asked again in the other language for its message, it is still not written."""
    from flask_babel import force_locale
    from consortium.catalog.models import DataResource
    from consortium.harvest import services
    url = site.serve("/t.ttl", TTL.encode(), content_type="text/turtle")
    source = make_source("dcat", url, maps={"domain": {"": "transport"}, "frequency": {"": "daily"},
                                             "openness": {"": "open"}})
    queued = services.new_run(None, source)
    db.session.commit()
    with app.test_request_context(), force_locale("en"):  # started in English this time
        run = services.execute_run(queued.id)
    assert (run.state, run.created, run.failed) == ("done", 0, 1)
    assert db.session.query(DataResource).count() == 0
    [reason] = run.details[0]["reasons"]
    assert reason["code"] == "entry_rule" and reason["params"]["field"] == "temporal_end"
    assert reason["params"]["message"]["en"] == "The time coverage ends before it starts."
    assert CJK.search(reason["params"]["message"]["zh_CN"])
    with app.test_request_context(), force_locale("zh_CN"):
        [line] = run.records()
        assert CJK.search(line["reasons"][0]) and "time coverage" not in line["reasons"][0]
