"""Exports as jobs: POST /api/v1/exports answers 202 with the job, the search page's buttons
start one for a large search and show its page, the file holds what its owner may see when it
runs (the canary), nobody else reaches the job or its file, and a job engine that is down
answers 503. The tests run jobs in immediate mode (after the commit that starts them) or
take them from a real broker in-process (``run_queued``); tests/jobs/test_worker.py runs a
real worker process."""
import csv
import io
import re

import openpyxl
import pytest
from sqlalchemy import func, select

from consortium.auth.services import create_api_token, get_user_by_email
from consortium.catalog import services
from consortium.extensions import db
from consortium.jobs.models import Job
from tests.jobs.helpers import run_queued


def _bearer(email):
    raw = create_api_token(None, get_user_by_email(email), "export")[1]
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def _csv_titles(data: bytes):
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))
    return rows[0], sorted(r[1] for r in rows[1:])


def test_the_api_starts_an_export_and_answers_202_with_the_job(client, io_catalog):
    headers = _bearer("xm@cdou.example")
    answer = client.post("/api/v1/exports", json={"format": "csv", "q": "医保"}, headers=headers)
    assert answer.status_code == 202
    job = answer.get_json()
    assert answer.headers["Location"] == f"/api/v1/jobs/{job['id']}"
    assert job["kind"] == "catalog.export" and "CSV" in job["title"]
    ready = client.get(job["api_url"], headers=headers).get_json()  # immediate mode: already done
    assert (ready["state"], ready["percent"], ready["rows"], ready["state_label"]) == ("done", 100, 2, "已就绪")
    assert ready["file"]["name"].endswith(".csv") and ready["expires_at"]
    header, titles = _csv_titles(client.get(ready["file"]["url"], headers=headers).data)
    assert header[:2] == ["资源编码", "资源名称"]
    assert titles == ["医保基金内部稽核明细", "参保人员医保结算数据"]  # a member sees the non-public entry


def test_an_xlsx_export_in_english_for_a_visitor_holds_public_entries_only(client, io_catalog):
    client.get("/lang/en")
    answer = client.post("/api/v1/exports", json={"format": "xlsx"})
    assert answer.status_code == 202
    job = client.get(answer.headers["Location"]).get_json()  # the visitor's key rides in its cookie
    assert job["state"] == "done" and job["state_label"] == "Ready"
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(job["file"]["url"]).data)).worksheets[0]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][1] == "Title" and sheet.title == "Resources"
    assert sorted(r[0] for r in rows[1:]) == ["QD-001", "QD-003", "XM-001"]
    other = client.application.test_client()  # another visitor, without the key
    assert other.get(answer.headers["Location"]).status_code == 404
    assert other.get(job["file"]["url"]).status_code == 404


def test_nobody_else_reaches_a_job_or_its_file(app, client, io_catalog):
    headers = _bearer("qd@cdou.example")
    job = client.post("/api/v1/exports", json={"format": "csv"}, headers=headers).get_json()
    for email in ("xm@cdou.example", "sec@cdou.example"):  # another member; the secretariat too
        other = _bearer(email)
        assert client.get(job["api_url"], headers=other).status_code == 404
        assert client.get(job["file"]["url"], headers=other).status_code == 404
        assert client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=other).status_code == 404
        assert client.get("/api/v1/jobs", headers=other).get_json()["items"] == []
    assert client.get(job["api_url"]).status_code == 404  # a visitor
    stored = db.session.get(Job, job["id"]).file_name
    assert len(stored) >= 32 and stored not in str(job)  # random, and never shown


def test_a_bad_export_request_starts_nothing(client, io_catalog):
    headers = _bearer("qd@cdou.example")
    for body, field in (({"format": "pdf"}, "format"), ({"format": "csv", "domain": "火星"}, "domain"),
                        ({"format": "csv", "colour": "red"}, "colour"), ({}, "format")):
        answer = client.post("/api/v1/exports", json=body, headers=headers)
        assert answer.status_code == 400 and answer.get_json()["error"]["field"] == field, body
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_the_search_page_starts_a_large_export_as_a_job_and_shows_its_page(app, browser, io_catalog, monkeypatch):
    monkeypatch.setitem(app.config, "SYNC_EXPORT_ROWS", 2)
    browser.login("qd@cdou.example")
    link = re.search(r'id="export-xlsx" href="([^"]+)"', browser.get("/resources/?domain=health").get_data(as_text=True))
    page = browser.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)  # too large to answer at once
    assert 'id="start-export"' in page and "这次搜索有 3 个条目" in page
    assert 'name="format" value="xlsx"' in page and 'name="domain" value="health"' in page
    answer = browser.post_form("/resources/exports", {"format": "xlsx", "domain": "health"},
                               form_url="/resources/export.xlsx?domain=health")
    assert answer.status_code == 303 and answer.headers["Location"].startswith("/jobs/")
    html = browser.get(answer.headers["Location"]).get_data(as_text=True)
    assert "资源图谱导出（XLSX）" in html and 'style="width: 100%"' in html and "已就绪" in html
    assert "保留至" in html and 'id="job-cancel"' not in html
    link = html.split('id="job-file" href="')[1].split('"')[0]
    book = openpyxl.load_workbook(io.BytesIO(browser.get(link).data))
    titles = sorted(r[1].value for r in book.worksheets[0].iter_rows(min_row=2))
    assert titles == ["医保基金内部稽核明细", "医检互认检验报告", "参保人员医保结算数据"]
    workspace = browser.get("/me").get_data(as_text=True)
    assert 'id="ws-jobs"' in workspace and "资源图谱导出（XLSX）" in workspace
    listing = browser.get("/jobs/").get_data(as_text=True)
    assert "资源图谱导出（XLSX）" in listing and "已就绪" in listing


def test_a_small_export_stays_immediate(app, browser, io_catalog):
    browser.login("qd@cdou.example")
    answer = browser.post_form("/resources/exports", {"format": "csv", "q": "公交"}, form_url="/resources/")
    assert answer.status_code == 303 and answer.headers["Location"].startswith("/resources/export.csv?")
    _header, titles = _csv_titles(browser.get(answer.headers["Location"]).data)
    assert titles == ['=HYPERLINK("http://evil.example","点我")'.replace("=", "'=", 1), "公交车辆实时定位"]
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_a_large_export_link_offers_to_prepare_the_file(app, client, io_catalog, monkeypatch):
    monkeypatch.setitem(app.config, "SYNC_EXPORT_ROWS", 1)
    html = client.get("/resources/export.csv?domain=transport").get_data(as_text=True)
    assert "这次搜索有 2 个条目" in html and 'id="start-export"' in html and 'name="domain" value="transport"' in html
    assert db.session.scalar(select(func.count(Job.id))) == 0  # a GET starts nothing


def test_the_file_holds_only_what_its_owner_may_see_when_it_runs(app, client, io_catalog, queued_broker):
    """The canary: what changed after the export was asked for, before a worker ran it, counts.
    A visitor's export: an entry made private in between is not in the file. A member's: an
    entry retired in between is not in it, one made public is."""
    visitor = app.test_client()
    seen_by_visitor = visitor.post("/api/v1/exports", json={"format": "csv", "domain": "transport"}).get_json()
    headers = _bearer("qd@cdou.example")
    seen_by_member = client.post("/api/v1/exports", json={"format": "csv", "member": "xiamen"},
                                 headers=headers).get_json()
    assert seen_by_visitor["state"] == seen_by_member["state"] == "queued"
    r = io_catalog["r"]
    services.update_resource(None, r["bus"], is_public=False, title="金丝雀条目 公交车辆实时定位")  # private now
    services.retire_resource(None, r["credit"])
    db.session.commit()
    assert run_queued() == 2

    job = visitor.get(seen_by_visitor["api_url"]).get_json()
    assert job["state"] == "done" and job["rows"] == 1
    data = visitor.get(job["file"]["url"]).data.decode("utf-8-sig")
    assert "QD-003" in data and "金丝雀" not in data and "XM-001" not in data
    job = client.get(seen_by_member["api_url"], headers=headers).get_json()
    assert job["state"] == "done" and job["rows"] == 1
    data = client.get(job["file"]["url"], headers=headers).data.decode("utf-8-sig")
    assert "金丝雀条目 公交车辆实时定位" in data and "企业信用评价" not in data


def test_a_job_engine_that_is_down_answers_503_and_starts_nothing(app, client, io_catalog, monkeypatch):
    from consortium.jobs import engine
    headers = _bearer("qd@cdou.example")
    monkeypatch.setattr(engine.huey, "storage", engine.huey.storage)
    engine.set_broker("redis://127.0.0.1:9")  # nothing listens there
    try:
        answer = client.post("/api/v1/exports", json={"format": "xlsx"}, headers=headers)
        assert answer.status_code == 503
        assert "任务服务无法连接" in answer.get_json()["error"]["message"]
        assert db.session.scalar(select(func.count(Job.id))) == 0
    finally:
        engine.set_broker("immediate")


def test_no_worker_running_answers_503(client, io_catalog, queued_broker):
    from consortium.jobs import engine
    engine.huey.storage.pop_data(engine.WORKER_KEY)  # the beat of the fixture's pretend worker
    answer = client.post("/api/v1/exports", json={"format": "csv"}, headers=_bearer("qd@cdou.example"))
    assert answer.status_code == 503 and "没有正在运行的任务进程" in answer.get_json()["error"]["message"]


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_the_public_catalogue_as_one_dcat_file(client, io_catalog, fmt):
    job = client.post("/api/v1/exports", json={"format": fmt}, headers=_bearer("qd@cdou.example")).get_json()
    job = client.get(job["api_url"], headers=_bearer("qd@cdou.example")).get_json()
    assert job["state"] == "done" and job["rows"] == 3
    data = client.get(job["file"]["url"], headers=_bearer("qd@cdou.example")).get_data(as_text=True)
    assert "参保人员医保结算数据" in data and "医保基金内部稽核明细" not in data


def test_the_export_and_job_endpoints_are_described(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    start = spec["paths"]["/api/v1/exports"]["post"]
    body = schemas[start["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert body["properties"]["format"]["enum"] == ["csv", "xlsx", "ttl", "jsonld"] and "format" in body["required"]
    assert {"q", "domain", "member", "sort"} <= set(body["properties"])  # the search's own parameters
    assert start["responses"]["202"]["content"]["application/json"]["schema"]["$ref"].endswith("/JobOut")
    job = schemas["JobOut"]["properties"]
    assert {"state", "percent", "rows", "file", "message", "expires_at", "cancel_url"} <= set(job)
    assert job["state"]["enum"] == ["queued", "running", "done", "failed", "cancelled"]
    assert "/api/v1/jobs/{job_id}" in spec["paths"] and "/api/v1/jobs/{job_id}/file" in spec["paths"]
    assert "nothing was started" in start["responses"]["503"]["description"]
