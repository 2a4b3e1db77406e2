"""E-mail: what asks for action goes at once (through a real SMTP server, aiosmtpd), the rest
in the digests each person chose; one-click unsubscribe; retries when the server refuses or is
down, nothing sent twice; nothing a recipient may not see."""
from datetime import timedelta

from sqlalchemy import func, select

from consortium.core.clock import local_today, utcnow
from consortium.core.weeks import Week
from consortium.extensions import db
from consortium.mail import outbox
from consortium.mail.outbox import queue_digests_for
from consortium.mail.delivery import deliver
from consortium.mail.models import (DAILY, DAILY_DIGEST, FAILED, NONE, NOTIFICATION, PENDING, SENT, SKIPPED,
                                    WEEKLY_DIGEST, OutboxMessage)
from consortium.mail.preferences import DIGEST, preferences_of, set_preferences
from consortium.scenarios import services
from tests.scenarios.conftest import approve
from tests.smtp import body


def make_user_of(member, email, locale):
    from consortium.auth.services import create_user
    user = create_user(None, email=email, password="x" * 12, role="member", member=member, name="")
    user.locale = locale
    return user


def _rows(**where):
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    for name, value in where.items():
        stmt = stmt.where(getattr(OutboxMessage, name) == value)
    return db.session.scalars(stmt).all()


def test_a_join_request_is_mailed_to_the_lead_at_once_from_the_request(smtp, browser, world):
    browser.login("user@chengdu.example")
    response = browser.post_form("/scenarios/groups/transport/join", {"motivation": "成都有公交实时数据"},
                                 form_url="/scenarios/groups/transport")
    assert response.status_code == 302
    [mail] = smtp.recorder.to("lead@xiamen.example")
    assert "成都数据集团" in mail["Subject"] and "交通场景小组" in mail["Subject"] and mail["Subject"].strip().startswith("[城市数据运营共同体门户]")
    text, html = body(mail), body(mail, "html")
    assert "加入小组的申请" in text and "http://localhost/notifications/" in text and "邮件设置" in html
    assert mail["List-Unsubscribe"].strip().startswith("<http://localhost/mail/unsubscribe/")
    assert mail["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    [row] = _rows(user_id=world.users.lead.id)
    assert (row.state, row.attempts, row.to_address) == (SENT, 1, "lead@xiamen.example")
    assert smtp.recorder.to("user@chengdu.example") == []  # the requester is told on the page, not by mail
    assert deliver()[SENT] == 0 and len(smtp.recorder.messages) == 1  # sent once, whatever runs again


def test_in_the_recipients_language(smtp, world):
    world.users.fuzhou.locale = "en"
    services.invite_city(world.users.lead, world.scenario, world.fuzhou, note="欢迎加入公交场景")
    db.session.commit()
    deliver()
    [mail] = smtp.recorder.to("user@fuzhou.example")
    assert mail["Subject"].strip().startswith("[CDOU portal]") and "公交信息智能服务" in mail["Subject"]
    text = body(mail)
    assert "Invitation to replicate a scenario" in text and "欢迎加入公交场景" in text  # the sender's words as written
    assert "Choose which e-mails you receive" in text and "邮件" not in text


def test_an_english_reader_is_mailed_the_members_english_name(smtp, browser, world):
    """Names are read when the mail is composed, in its recipient's language: 成都 asked on a Chinese
    page; the lead reads English, and a Chinese-reading colleague Chinese."""
    world.xiamen.name_en, world.chengdu.name_en = "Xiamen Big Data Co.", "Chengdu Data Group"
    world.group.name_en = "Transport scenarios group"
    world.users.lead.locale = "en"
    colleague = make_user_of(world.xiamen, "colleague@xiamen.example", locale="zh_CN")
    db.session.commit()
    browser.login("user@chengdu.example")
    browser.post_form("/scenarios/groups/transport/join", {"motivation": "成都有公交实时数据"},
                      form_url="/scenarios/groups/transport")
    [mail] = smtp.recorder.to("lead@xiamen.example")
    assert "Chengdu Data Group asks to join Transport scenarios group." in mail["Subject"]
    assert "成都数据集团" not in body(mail) + body(mail, "html") and "交通场景小组" not in body(mail)
    [zh] = smtp.recorder.to(colleague.email)
    assert "成都数据集团" in zh["Subject"] and "Chengdu Data Group" not in body(zh)


def test_information_waits_for_the_digest_each_person_chose(smtp, world):
    approve(world, world.fuzhou)
    rep = services.start_replication(world.users.fuzhou, world.scenario, world.fuzhou)
    services.change_stage(world.users.fuzhou, rep, "matching", note="首次对接")  # the lead is informed
    db.session.commit()
    assert _rows(kind=NOTIFICATION) == []  # information: not at once by default
    assert preferences_of(world.users.lead)["scenarios.stage_changed"] == "weekly"
    set_preferences(world.users.lead, world.users.lead, {"scenarios.stage_changed": DAILY})
    db.session.commit()
    queue_digests_for(local_today() + timedelta(days=1))  # tomorrow: today's daily digest
    db.session.commit()
    [row] = _rows(kind=DAILY_DIGEST)
    assert row.user_id == world.users.lead.id and row.day == local_today()
    deliver()
    [mail] = smtp.recorder.to("lead@xiamen.example")
    assert "每日摘要" in mail["Subject"] and "福州" in body(mail) and "福州" in body(mail, "html")
    # a day with nothing: queued, composed as nothing, not sent
    queue_digests_for(local_today() + timedelta(days=2))
    db.session.commit()
    deliver()
    assert [r.state for r in _rows(kind=DAILY_DIGEST)] == [SENT, SKIPPED] and len(smtp.recorder.messages) == 1


def test_the_weekly_digest_lists_the_week_and_an_empty_week_sends_nothing(smtp, world):
    approve(world, world.fuzhou)
    this_week = Week.of(local_today())
    rep = services.start_replication(world.users.fuzhou, world.scenario, world.fuzhou, occurred_on=this_week.monday)
    services.change_stage(world.users.fuzhou, rep, "matching", note="公交对接", occurred_on=this_week.monday)
    db.session.commit()
    queue_digests_for(this_week.next.monday)  # next Monday: this week's digest
    queue_digests_for(this_week.monday)  # this Monday: last week's, empty
    db.session.commit()
    deliver()
    weekly = {r.day: r for r in _rows(kind=WEEKLY_DIGEST, user_id=world.users.lead.id)}
    assert weekly[this_week.monday].state == SENT and weekly[this_week.previous.monday].state == SKIPPED
    [mail] = smtp.recorder.to("lead@xiamen.example")
    assert "每周摘要" in mail["Subject"] and this_week.monday.isoformat() in mail["Subject"]
    assert "公交对接" in body(mail) and "意向 → 对接" in body(mail)
    assert queue_digests_for(this_week.next.monday)[WEEKLY_DIGEST] == 0  # queued once


def test_one_click_unsubscribe_from_the_header_without_a_session(smtp, client, world):
    services.invite_city(world.users.lead, world.scenario, world.fuzhou)
    db.session.commit()
    deliver()
    [mail] = smtp.recorder.to("user@fuzhou.example")
    link = mail["List-Unsubscribe"].strip().strip("<>").replace("http://localhost", "")
    page = client.get(link).get_data(as_text=True)
    assert "场景复制邀请" in page and "user@fuzhou.example" in page
    assert preferences_of(world.users.fuzhou)["scenarios.invitation"] == "immediate"  # a GET changes nothing
    response = client.post(link, data={"List-Unsubscribe": "One-Click"})  # as a mail client posts: no CSRF token
    assert response.status_code == 200 and "不会再" in response.get_data(as_text=True)
    assert preferences_of(world.users.fuzhou)["scenarios.invitation"] == NONE
    assert client.post(link[:-3] + "xyz").status_code == 404  # a forged token changes nothing
    services.invite_city(world.users.lead, world.scenario, world.chengdu)
    db.session.commit()
    assert [r.user_id for r in _rows(kind=NOTIFICATION)] == [world.users.fuzhou.id, world.users.chengdu.id]


def _invited_and_refused(smtp, world, reply, state):
    """福州 is invited; the server answers ``reply``; the one outbox row ends in ``state``."""
    services.invite_city(world.users.lead, world.scenario, world.fuzhou)
    db.session.commit()
    smtp.recorder.refuse = reply
    assert deliver()[state] == 1
    [row] = _rows()
    return row


def test_refused_or_absent_server_is_retried_and_nothing_is_sent_twice(smtp, world):
    row = _invited_and_refused(smtp, world, "451 4.3.0 Try again later", PENDING)
    assert (row.state, row.attempts) == (PENDING, 1) and "Try again later" in row.last_error
    assert row.next_attempt_at > utcnow()
    assert deliver() == {SENT: 0, SKIPPED: 0, FAILED: 0, PENDING: 0}  # not due yet
    smtp.recorder.refuse = None
    smtp.down()
    assert deliver(now=utcnow() + timedelta(minutes=2))[PENDING] == 1
    db.session.refresh(row)
    assert row.attempts == 2 and row.state == PENDING
    smtp.up()
    assert deliver(now=utcnow() + timedelta(hours=1))[SENT] == 1
    assert deliver(now=utcnow() + timedelta(days=1))[SENT] == 0
    assert len(smtp.recorder.to("user@fuzhou.example")) == 1
    db.session.refresh(row)
    assert (row.state, row.attempts) == (SENT, 3)


def test_a_permanent_refusal_fails_without_retrying(smtp, world):
    row = _invited_and_refused(smtp, world, "550 5.1.1 No such user", FAILED)
    assert row.state == FAILED and "No such user" in row.last_error
    smtp.recorder.refuse = None
    assert deliver(now=utcnow() + timedelta(days=1))[SENT] == 0 and smtp.recorder.messages == []


def test_settings_page_stores_the_choices_and_refuses_unknown_ones(browser, world):
    browser.login("lead@xiamen.example")
    page = browser.get("/me/email").get_data(as_text=True)
    assert "加入小组的申请" in page and "立即发送" in page and "每日摘要" in page
    response = browser.post_form("/me/email", {"k_scenarios__join_requested": DAILY, "k_" + DIGEST.replace(".", "__"): NONE},
                                 follow_redirects=True)
    assert "lead@xiamen.example" in response.get_data(as_text=True)
    prefs = preferences_of(world.users.lead)
    assert prefs["scenarios.join_requested"] == DAILY and prefs[DIGEST] == NONE
    bad = browser.post_form("/me/email", {"k_scenarios__join_requested": "hourly"})
    assert bad.status_code == 200 and preferences_of(world.users.lead)["scenarios.join_requested"] == DAILY
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_no_mail_to_a_disabled_person(smtp, world):
    world.users.fuzhou.is_enabled = False
    db.session.commit()
    services.invite_city(world.users.lead, world.scenario, world.fuzhou)
    db.session.commit()
    assert _rows() == [] and outbox.recipients(world.fuzhou.id) == []


def test_the_request_hands_its_mail_to_the_job_engine(smtp, browser, world, queued_broker):
    """With a broker (not the tests' immediate mode): the request only enqueues; the mail leaves
    when a worker runs the task; the worker's every-minute task finds nothing more to send."""
    from consortium.mail import dispatch
    from tests.jobs.helpers import run_queued
    browser.login("user@chengdu.example")
    browser.post_form("/scenarios/groups/transport/join", {"motivation": "公交"}, form_url="/scenarios/groups/transport")
    [row] = _rows(user_id=world.users.lead.id)
    assert row.state == PENDING and smtp.recorder.messages == []
    assert run_queued() == 1
    [mail] = smtp.recorder.to("lead@xiamen.example")
    assert "申请加入" in mail["Subject"]
    db.session.expire_all()
    assert _rows(user_id=world.users.lead.id)[0].state == SENT
    dispatch.send_due()
    assert len(smtp.recorder.messages) == 1


def test_without_a_worker_the_mail_waits_for_the_next_run(smtp, browser, world, queued_broker):
    from consortium.jobs import engine
    from consortium.mail import dispatch
    engine.huey.storage.delete_data(engine.WORKER_KEY)  # no worker seen: nothing can be enqueued
    browser.login("user@chengdu.example")
    response = browser.post_form("/scenarios/groups/transport/join", {"motivation": "公交"},
                                 form_url="/scenarios/groups/transport")
    assert response.status_code == 302  # the join request itself is not lost
    assert [r.state for r in _rows(user_id=world.users.lead.id)] == [PENDING] and smtp.recorder.messages == []
    dispatch.send_due()  # what a worker runs every minute once it is back (or `flask mail send`)
    assert len(smtp.recorder.to("lead@xiamen.example")) == 1
