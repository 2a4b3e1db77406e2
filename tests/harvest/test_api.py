"""The API: sources, the secretariat's decision, previews and runs as jobs, runs newest first,
archived entries for their owner; permissions; the inbox and notifications; the DCAT record."""
from sqlalchemy import func, select

from consortium.audit.models import AuditLog
from consortium.catalog.models import DataResource
from consortium.extensions import db
from consortium.harvest.models import HarvestRun, HarvestSource
from consortium.notifications.models import Notification

from .conftest import EXAMPLES, auth
from .test_runs import DCAT_MAPS


def post(client, url, token, body=None):
    return client.post(url, json=body if body is not None else {}, headers=auth(token))


def test_propose_approve_run_and_report(client, site, people):
    url = site.serve("/catalog.ttl", (EXAMPLES / "dcat_catalog.ttl").read_bytes(), content_type="text/turtle")
    tokens = people["tokens"]
    answer = post(client, "/api/v1/harvest-sources", tokens["xm"],
                  {"kind": "dcat", "url": url, "name": "厦门开放平台", "schedule": "daily",
                   "vocabulary_maps": DCAT_MAPS})
    assert answer.status_code == 201, answer.json
    source = answer.json
    assert (source["state"], source["member"], source["schedule"]) == ("proposed", "xiamen", "daily")
    sid = source["id"]
    refused_run = post(client, f"/api/v1/harvest-sources/{sid}/run", tokens["xm"])
    assert refused_run.status_code == 400 and "秘书处批准" in refused_run.json["error"]["message"]
    assert db.session.scalar(select(DataResource.id)) is None

    preview = post(client, f"/api/v1/harvest-sources/{sid}/preview", tokens["xm"], {"limit": 10})
    assert preview.status_code == 202, preview.json
    assert preview.json["run"]["dry_run"] and preview.json["run"]["state"] == "done"
    assert preview.json["run"]["created"] == 3 and db.session.scalar(select(DataResource.id)) is None

    assert post(client, f"/api/v1/harvest-sources/{sid}/approve", tokens["xm"]).status_code == 403
    assert post(client, f"/api/v1/harvest-sources/{sid}/refuse", tokens["sec"]).status_code == 400  # no comment
    ok = post(client, f"/api/v1/harvest-sources/{sid}/approve", tokens["sec"], {"comment": "同意采集"})
    assert ok.json["state"] == "approved"
    note = db.session.scalar(select(Notification).where(Notification.member_id == people["xm"].id))
    assert note.kind == "harvest.decision" and note.text == "同意采集"

    mistaken = post(client, f"/api/v1/harvest-sources/{sid}/run", tokens["xm"], {"limit": 10})  # reads no body
    assert mistaken.status_code == 400 and mistaken.json["error"]["field"] == "body"
    assert db.session.scalar(select(func.count(HarvestRun.id))) == 1  # the preview only
    started = post(client, f"/api/v1/harvest-sources/{sid}/run", tokens["xm"])
    assert started.status_code == 202 and started.json["job"]["state"] == "done"
    assert started.headers["Location"] == f"/api/v1/harvest-sources/{sid}/runs"
    assert started.json["job"]["api_url"] == f"/api/v1/jobs/{started.json['run']['job_id']}"
    runs = client.get(f"/api/v1/harvest-sources/{sid}/runs", headers=auth(tokens["xm"])).json["items"]
    assert [(r["dry_run"], r["state"], r["created"], r["unchanged"]) for r in runs] == [
        (False, "done", 3, 0), (True, "done", 3, 0)]
    post(client, f"/api/v1/harvest-sources/{sid}/run", tokens["xm"])
    newest = client.get(f"/api/v1/harvest-sources/{sid}/runs", headers=auth(tokens["xm"])).json["items"][0]
    assert {k: newest[k] for k in ("created", "changed", "unchanged", "archived", "restored", "failed")} == {
        "created": 0, "changed": 0, "unchanged": 3, "archived": 0, "restored": 0, "failed": 0}
    actions = db.session.scalars(select(AuditLog).where(AuditLog.object_type == "HarvestSource").order_by(AuditLog.id)).all()
    assert [a.action for a in actions][:1] == ["create"] and any(
        a.changes.get("state") == ["proposed", "approved"] for a in actions)


def test_other_member_cannot_see_or_run_and_refusal_needs_secretariat(client, site, people, make_source):
    source = make_source("dcat", site.url("/catalog.ttl"))
    tokens = people["tokens"]
    assert client.get(f"/api/v1/harvest-sources/{source.id}", headers=auth(tokens["qd"])).status_code == 404
    assert client.get("/api/v1/harvest-sources", headers=auth(tokens["qd"])).json["items"] == []
    assert post(client, f"/api/v1/harvest-sources/{source.id}/run", tokens["qd"]).status_code == 404
    assert post(client, f"/api/v1/harvest-sources/{source.id}/preview", tokens["qd"]).status_code == 404
    assert client.get(f"/api/v1/harvest-sources/{source.id}/runs", headers=auth(tokens["qd"])).status_code == 404
    assert post(client, f"/api/v1/harvest-sources/{source.id}/refuse", tokens["xm"],
                {"comment": "不行"}).status_code == 403
    other = post(client, "/api/v1/harvest-sources", tokens["qd"],
                 {"kind": "ckan", "url": "https://ckan.example.cn/", "name": "x", "member": "xiamen"})
    assert other.status_code == 403
    assert db.session.scalar(select(HarvestSource.id).where(HarvestSource.member_id == people["qd"].id)) is None
    everyone = client.get("/api/v1/harvest-sources", headers=auth(tokens["sec"])).json["items"]
    assert [s["id"] for s in everyone] == [source.id]


def test_bad_input_is_a_clear_400(client, people):
    tokens = people["tokens"]
    for body, field in (({"kind": "ftp", "url": "https://x.cn/", "name": "x"}, "kind"),
                        ({"kind": "dcat", "url": "file:///etc/passwd", "name": "x"}, "url"),
                        ({"kind": "dcat", "url": "https://x.cn/", "name": "x", "archive_after": 4}, "archive_after"),
                        ({"kind": "dcat", "url": "https://x.cn/", "name": "x",
                          "vocabulary_maps": {"domain": {"TRAN": "traffic"}}}, "vocabulary_maps")):
        answer = post(client, "/api/v1/harvest-sources", tokens["xm"], body)
        assert answer.status_code == 400 and answer.json["error"]["field"] == field, answer.json
    assert db.session.scalar(select(HarvestSource.id)) is None


def test_archived_entries_listed_to_their_owner_and_out_of_search_and_dcat(client, site, people, make_source):
    body = (EXAMPLES / "dcat_catalog.ttl").read_text()
    url = site.serve("/catalog.ttl", body, content_type="text/turtle")
    source = make_source("dcat", url, maps=DCAT_MAPS, archive_after=1, make_public=True)
    tokens = people["tokens"]
    post(client, f"/api/v1/harvest-sources/{source.id}/run", tokens["xm"])
    ttl = client.get("/catalog.ttl").get_data(as_text=True)
    assert "dcat:CatalogRecord" in ttl and "XM-JT-0001" in ttl and url in ttl
    site.serve("/catalog.ttl", body.replace("<https://data.xiamen.example.cn/dataset/xm-air-quality> a dcat:Dataset",
                                            "<https://data.xiamen.example.cn/dataset/xm-air-quality> a dcat:Thing"),
               content_type="text/turtle")
    assert post(client, f"/api/v1/harvest-sources/{source.id}/run", tokens["xm"]).json["run"]["archived"] == 1
    archived = client.get("/api/v1/resources?status=archived", headers=auth(tokens["xm"])).json
    assert [r["code"] for r in archived["items"]] == ["XM-HJ-0003"] and archived["items"][0]["status"] == "archived"
    assert client.get("/api/v1/resources?status=archived", headers=auth(tokens["qd"])).json["items"] == []
    found = client.get("/api/v1/resources?q=空气质量", headers=auth(tokens["xm"])).json
    assert found["total"] == 0
    assert "XM-HJ-0003" not in client.get("/catalog.ttl").get_data(as_text=True)
    rid = archived["items"][0]["id"]
    assert client.get(f"/api/v1/resources/{rid}", headers=auth(tokens["xm"])).status_code == 200
    assert client.get(f"/api/v1/resources/{rid}", headers=auth(tokens["qd"])).status_code == 404


def test_openapi_describes_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").json
    paths = spec["paths"]
    for path in ("/api/v1/harvest-sources", "/api/v1/harvest-sources/{source_id}/approve",
                 "/api/v1/harvest-sources/{source_id}/refuse", "/api/v1/harvest-sources/{source_id}/preview",
                 "/api/v1/harvest-sources/{source_id}/run", "/api/v1/harvest-sources/{source_id}/runs"):
        assert path in paths, path
    assert "requestBody" in paths["/api/v1/harvest-sources"]["post"]
    status = [p for p in paths["/api/v1/resources"]["get"]["parameters"] if p["name"] == "status"]
    assert status and status[0]["schema"]["enum"] == ["active", "archived"]
