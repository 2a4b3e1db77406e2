"""A source's own run time limit (minutes): set on the form and in the API, bounded by the
site's HARVEST_RUN_TIMEOUT (the default and the maximum), refused with a clear message when it
is not a whole number of minutes in range (nothing saved), labelled in the audit log, shown on
the source's page in both languages, and used by the run: a run past its source's limit fails
with the time-limit reason and writes nothing."""
import re
from html import unescape

import pytest
from sqlalchemy import select

from consortium.audit.models import AuditLog
from consortium.extensions import db
from consortium.harvest import services
from consortium.harvest.models import HarvestSource

from .conftest import auth
from .test_run_limits import serve_pages, state_of_map
from .test_runs import DCAT_MAPS, count, entries, run

BAD = ("0", "-5", "31", "²", "３", "1.5", "abc", "20 分钟")


def text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def site_limit(app):
    saved = app.config.get("HARVEST_RUN_TIMEOUT")
    app.config["HARVEST_RUN_TIMEOUT"] = 1800  # 30 minutes: the default and the most a source may set
    yield
    app.config["HARVEST_RUN_TIMEOUT"] = saved


def test_set_on_the_form_refused_when_out_of_range_shown_and_audited(browser, site, people, make_source,
                                                                    site_limit):
    url = site.serve("/catalog.ttl", b"", content_type="text/turtle")
    browser.login("xm@cdou.example")
    browser.post_form("/harvest/", {"kind": "dcat", "name": "厦门公交目录", "url": url, "schedule": "daily",
                                    "archive_after": "2", "run_timeout_minutes": "20"}, follow_redirects=True)
    source = db.session.scalar(select(HarvestSource))
    assert source.run_timeout_minutes == 20 and services.run_timeout(source) == 1200
    page = text(browser.get(f"/harvest/{source.id}").get_data(as_text=True))
    assert "运行时限 20 分钟（本采集源自己的时限）" in page
    assert 'id="run_timeout_minutes" name="run_timeout_minutes" type="number" min="1" max="30" value="20"' in \
        browser.get(f"/harvest/{source.id}").get_data(as_text=True)

    # a new source with a bad limit is not registered at all
    for value in ("0", "²", "31"):
        bad = browser.post_form("/harvest/", {"kind": "dcat", "name": "另一个目录", "url": url,
                                              "schedule": "daily", "archive_after": "2", "run_timeout_minutes": value})
        assert bad.status_code == 400 and "运行时限须为 1 到 30" in bad.get_data(as_text=True), value
    assert db.session.scalar(select(db.func.count(HarvestSource.id))) == 1

    form = {"name": "厦门公交目录", "url": url, "schedule": "daily", "archive_after": "2"}
    audit_rows = count(AuditLog)
    for value in BAD:
        answer = browser.post_form(f"/harvest/{source.id}/edit", {**form, "run_timeout_minutes": value},
                                   form_url=f"/harvest/{source.id}")
        html = answer.get_data(as_text=True)
        assert answer.status_code == 400, value
        assert "运行时限须为 1 到 30（本站的时限）之间的整数分钟" in html, value
        assert f'name="run_timeout_minutes" type="number" min="1" max="30" value="{value}"' in html  # input kept
        db.session.expire_all()
        assert source.run_timeout_minutes == 20 and count(AuditLog) == audit_rows, value

    browser.post_form(f"/harvest/{source.id}/edit", {**form, "run_timeout_minutes": "25"},
                      form_url=f"/harvest/{source.id}")
    db.session.expire_all()
    assert source.run_timeout_minutes == 25
    browser.post_form(f"/harvest/{source.id}/edit", {**form, "run_timeout_minutes": ""},
                      form_url=f"/harvest/{source.id}")
    db.session.expire_all()
    assert source.run_timeout_minutes is None and services.run_timeout(source) == 1800
    page = text(browser.get(f"/harvest/{source.id}").get_data(as_text=True))
    assert "运行时限 30 分钟（本站的时限）" in page

    browser.logout()
    browser.login("sec@cdou.example")
    audit = text(browser.get("/audit/?type=HarvestSource&action=update").get_data(as_text=True))
    assert "运行时限（分钟）" in audit and "20 分钟" in audit and "25 分钟" in audit
    assert "run_timeout_minutes" not in audit
    browser.get("/lang/en")
    audit = text(browser.get("/audit/?type=HarvestSource&action=update").get_data(as_text=True))
    assert "Run time limit (minutes)" in audit and "25 minutes" in audit and "分钟" not in audit


def test_english_page_and_message(browser, site, people, make_source, site_limit):
    source = make_source("dcat", site.serve("/catalog.ttl", b"", content_type="text/turtle"), run_timeout_minutes=12)
    browser.login("xm@cdou.example")
    browser.get("/lang/en")
    page = text(browser.get(f"/harvest/{source.id}").get_data(as_text=True))
    assert "Run time limit 12 minutes (this source's own limit)" in page and "分钟" not in page
    answer = browser.post_form(f"/harvest/{source.id}/edit", {"name": source.name, "url": source.url,
                                                              "schedule": "manual", "archive_after": "2",
                                                              "run_timeout_minutes": "²"},
                               form_url=f"/harvest/{source.id}")
    assert answer.status_code == 400
    assert "The run time limit is a whole number of minutes from 1 to 30, the site's limit" in \
        text(answer.get_data(as_text=True))
    # the site lowered its limit below the source's: the site's is the one that holds, and the page says so
    from flask import current_app
    current_app.config["HARVEST_RUN_TIMEOUT"] = 600
    db.session.expire_all()
    assert services.run_timeout(source) == 600
    page = text(browser.get(f"/harvest/{source.id}").get_data(as_text=True))
    assert "10 minutes (the site's limit, lower than this source's 12)" in page


def test_api_sets_refuses_and_describes_the_limit(client, people, make_source, site, site_limit):
    token = people["tokens"]["xm"]
    url = site.serve("/catalog.ttl", b"", content_type="text/turtle")
    created = client.post("/api/v1/harvest-sources", headers=auth(token),
                          json={"kind": "dcat", "url": url, "name": "厦门公交目录", "run_timeout_minutes": 15})
    assert created.status_code == 201, created.json
    body = created.json
    assert (body["run_timeout_minutes"], body["run_time_limit_seconds"]) == (15, 900)
    source_id = body["id"]
    for value in (0, -1, 31, "²", "15", 1.5, True):
        answer = client.patch(f"/api/v1/harvest-sources/{source_id}", headers=auth(token),
                              json={"run_timeout_minutes": value})
        assert answer.status_code == 400 and answer.json["error"]["field"] == "run_timeout_minutes", \
            (value, answer.json)
        db.session.expire_all()
        assert db.session.get(HarvestSource, source_id).run_timeout_minutes == 15
    bad = client.patch(f"/api/v1/harvest-sources/{source_id}", headers=auth(token), json={"run_timeout_minutes": 31})
    assert "运行时限须为 1 到 30" in bad.json["error"]["message"]
    cleared = client.patch(f"/api/v1/harvest-sources/{source_id}", headers=auth(token),
                           json={"run_timeout_minutes": None})
    assert (cleared.json["run_timeout_minutes"], cleared.json["run_time_limit_seconds"]) == (None, 1800)
    spec = client.get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    described = [s["properties"]["run_timeout_minutes"] for s in schemas.values()
                 if "run_timeout_minutes" in s.get("properties", {})]
    assert len(described) >= 3 and all("minutes" in d["description"] for d in described)  # create, update, out
    assert any("HARVEST_RUN_TIMEOUT" in d["description"] for d in described)
    run_out = next(s for s in schemas.values() if "reason_code" in s.get("properties", {}))
    assert "time_limit" in run_out["properties"]["reason_code"]["enum"]


def test_a_run_past_its_sources_limit_fails_and_changes_nothing(site, make_source, people, site_limit, monkeypatch):
    """The site allows 30 minutes; the source allows itself 3 "minutes" (a minute made 0.4 s long
    here, so that the test takes seconds): its run stops at the source's limit, not the site's."""
    monkeypatch.setattr(services, "MINUTE", 0.4)
    source = make_source("dcat", serve_pages(site, 4), maps=DCAT_MAPS, archive_after=1, run_timeout_minutes=3)
    assert services.run_timeout(source) == pytest.approx(1.2)
    assert run(source).created == 12
    before, audit_rows = state_of_map(people["xm"]), count(AuditLog)
    serve_pages(site, 3, delay=0.8, title="公交客流（新）")  # 2.4 s to read: past the source's 1.2 s
    result = run(source)
    assert (result.state, result.reason_code) == ("failed", "time_limit")
    assert result.reason_params == {"seconds": pytest.approx(1.2)} and "超过规定时限 1.2 秒" in result.reason
    assert result.counts() == {k: 0 for k in result.counts()}
    assert state_of_map(people["xm"]) == before and count(AuditLog) == audit_rows
    assert {r.status for r in entries(people["xm"]).values()} == {"active"}
    # without its own limit the source has the site's 30 minutes, and the same source is harvested whole
    services.update_source(people["users"]["xm"], source, run_timeout_minutes=None)
    db.session.commit()
    again = run(source)
    assert (again.state, again.changed, again.archived) == ("done", 9, 3)
