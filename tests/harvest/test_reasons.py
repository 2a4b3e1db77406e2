"""A run's failure reason is kept as a code and its parameters, never as a sentence in the
language of whoever (or whatever) started the run: the source's and the run's pages, the API,
the notification and the e-mail to the member each read it in their reader's language; a run
stored before the codes keeps its sentence."""
import re

from flask_babel import force_locale
from sqlalchemy import select

from consortium.auth.services import create_api_token
from consortium.extensions import db
from consortium.harvest import services
from consortium.harvest.models import HarvestRun
from consortium.harvest.reasons import REASONS, Reason, render
from consortium.mail.compose import compose
from consortium.mail.models import NOTIFICATION, OutboxMessage
from consortium.notifications.models import Notification

from tests.conftest import Browser

from .conftest import auth
from .test_runs import DCAT_MAPS

ZH = "采集源返回 HTTP 500"
EN = "The source answered HTTP 500"


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def failed_scheduled_run(site, make_source, people):
    """A scheduled run of a source answering 500, done by a worker (no request: no reader's language)."""
    url = site.serve("/catalog.ttl", "down", status=500)
    source = make_source("dcat", url, maps=DCAT_MAPS, schedule="daily")
    run = services.new_run(None, source, trigger="schedule")
    db.session.commit()
    services.execute_run(run.id)
    db.session.expire_all()
    return source, db.session.get(HarvestRun, run.id), url


def test_reason_stored_as_code_and_read_in_each_readers_language(site, make_source, people, make_user, client):
    english = make_user("en@xiamen.example", member=people["xm"])
    english.locale = "en"
    db.session.commit()
    source, run, url = failed_scheduled_run(site, make_source, people)
    assert (run.state, run.reason_code, run.reason_params, run.message) == (
        "failed", "http_status", {"status": 500, "url": url}, "")  # no sentence stored

    zh, en = Browser(client), Browser(client.application.test_client())
    zh.login("xm@cdou.example")
    en.login("en@xiamen.example")
    headlines = {ZH: "dcat 源 的定时采集失败", EN: "The scheduled harvest of dcat 源 failed"}
    for reader, said, not_said in ((zh, ZH, EN), (en, EN, ZH)):
        run_page = text(reader.get(f"/harvest/{source.id}/runs/{run.id}").get_data(as_text=True))
        source_page = text(reader.get(f"/harvest/{source.id}").get_data(as_text=True))
        notes = text(reader.get("/notifications/").get_data(as_text=True))
        for page in (run_page, source_page, notes):
            assert said in page and not_said not in page
        assert headlines[said] in notes

    # the API: the stable code, its values, and the sentence in the asking account's language
    english_token = create_api_token(None, english, "test")[1]
    db.session.commit()
    for token, said in ((people["tokens"]["xm"], ZH), (english_token, EN)):
        [item] = client.get(f"/api/v1/harvest-sources/{source.id}/runs", headers=auth(token)).json["items"]
        assert (item["reason_code"], item["reason_params"]) == ("http_status", {"status": 500, "url": url})
        assert item["message"].startswith(said), item["message"]


def test_failure_notice_and_its_mail_in_the_recipients_language(site, make_source, people, make_user):
    english = make_user("en@xiamen.example", member=people["xm"])
    english.locale = "en"
    db.session.commit()
    source, run, _url = failed_scheduled_run(site, make_source, people)
    [note] = db.session.scalars(select(Notification).where(Notification.kind == "harvest.run_failed")).all()
    assert note.text == "" and note.payload["reason"] == {"code": "http_status", "params": run.reason_params}
    mails = {}
    for user in (people["users"]["xm"], english):
        row = OutboxMessage(key=f"test-{user.id}", user_id=user.id, user=user, kind=NOTIFICATION,
                            notification_id=note.id)
        db.session.add(row)
        db.session.flush()
        mails[user.email] = compose(row)
    chinese, in_english = (mails[k].body for k in ("xm@cdou.example", "en@xiamen.example"))
    assert "dcat 源 的定时采集失败" in chinese and ZH in chinese and EN not in chinese
    assert "The scheduled harvest of dcat 源 failed" in in_english and EN in in_english and ZH not in in_english
    html = mails["en@xiamen.example"].alternatives[0][0]
    assert EN in html and ZH not in html


def test_run_limit_reason_reads_its_seconds_in_the_readers_language(app):
    reason = Reason("time_limit", seconds=1800.0)
    with app.test_request_context():
        with force_locale("zh"):
            assert "超过规定时限 1,800 秒" in str(reason)
        with force_locale("en"):
            assert "longer than its limit of 1,800 seconds" in str(reason)
            assert render("", {}, fallback="旧的原因") == "旧的原因"  # no code: the stored sentence
            assert render("gone_code", {"x": 1}, fallback="as stored") == "as stored"
    assert set(REASONS) >= {"time_limit", "http_status", "cancelled", "job_ended"}


def test_a_run_stored_before_the_codes_keeps_its_sentence(make_source, people, client, browser):
    source = make_source("dcat", "https://data.xiamen.example.cn/catalog.ttl")
    old = HarvestRun(source_id=source.id, state="failed", message="采集源没有在规定时间内应答（旧记录）。", details=[])
    db.session.add(old)
    db.session.commit()
    browser.login("xm@cdou.example")
    assert "采集源没有在规定时间内应答（旧记录）。" in browser.get(f"/harvest/{source.id}/runs/{old.id}").get_data(as_text=True)
    [item] = client.get(f"/api/v1/harvest-sources/{source.id}/runs", headers=auth(people["tokens"]["xm"])).json["items"]
    assert (item["reason_code"], item["message"]) == (None, "采集源没有在规定时间内应答（旧记录）。")
