"""Issue 22, negotiations: a red line holds (flagged on the outcome, the paper and the API; closing
below it needs the coordinator's acknowledgement with a reason, kept in the history), and a joint
position cannot be signed on stale stances unnoticed (a new version asks each participant to
restate; the sign-on opens only with the quorum of stances on the current version, or with a
reason; it has a deadline, and who has not signed is reminded before it)."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from consortium.audit.models import AuditLog
from consortium.auth.services import create_api_token
from consortium.core.clock import local_today
from consortium.core.exceptions import DomainError
from consortium.extensions import db
from consortium.negotiations import services
from consortium.negotiations import terms as term_rules
from consortium.negotiations.models import DossierEvent, TermOutcome
from consortium.notifications.models import Notification

from tests.conftest import Browser

from .conftest import TERMS, open_sign_on

TODAY = local_today()


@pytest.fixture(autouse=True)
def _today():
    """Beijing's day when each test starts, not when the module was imported: a run that crosses
    Beijing's midnight (16:00 UTC) would otherwise date its rows a day early."""
    global TODAY
    TODAY = local_today()


# ---------------------------------------------------------------- the red-line rule, per kind

def _waiting(browser) -> str:
    """The "等待我处理" column of /me."""
    html = browser.get("/me").get_data(as_text=True)
    return html[html.index('id="waiting-for-me"'):html.index('id="for-my-information"')]


def _negotiating(union, dossier):
    """Consultation, every stance on the current version, all three sign, agreed, negotiating."""
    u = union.u
    services.transition(u.qd, dossier, "consultation")
    open_sign_on(dossier, u.qd, u.wz, u.nb)
    for user in (u.qd, u.wz, u.nb):
        services.sign(user, dossier, signed=True)
    services.complete_sign_on(u.qd, dossier)
    services.transition(u.qd, dossier, "negotiating")


def _term(kind, value, bound=None, red_line=True, **extra):
    return {"key": "t", "label": "价格底线", "type": kind, "value": value, "red_line": red_line, "bound": bound,
            **extra}


@pytest.mark.parametrize("term, result, obtained, breached", [
    (_term("money", "350000"), "partly", "320,000 元", True),       # the case: below the floor
    (_term("money", "350000"), "partly", "35万元", False),           # 35 万 = the floor: holds
    (_term("money", "350000"), "met", "", False),                   # met, nothing written: holds
    (_term("money", "350000"), "partly", "按年度结算", True),          # partly, no amount: nothing shows it holds
    (_term("money", "350000"), "not_met", "", True),
    (_term("money", "350000", red_line=False), "not_met", "", False),  # no red line: no breach
    (_term("percentage", "30", "ceiling"), "partly", "35%", True),    # above a ceiling
    (_term("percentage", "30", "ceiling"), "partly", "２８％", False),  # full-width, below the ceiling
    (_term("duration", "24"), "partly", "12 个月", True),
    (_term("text", "原始数据不出域"), "partly", "允许脱敏数据出域", True),  # a required clause partly dropped
    (_term("text", "原始数据不出域"), "met", "", False),
    (_term("tiered", {"tiers": [{"upto": None, "supplier": "60", "operator": "40"}]}), "not_met", "", True),
    (_term("choice", "不排他", options=["不排他", "排他"]), "partly", "限时排他", True),
])
def test_the_red_line_rule_of_each_kind(app, term, result, obtained, breached):
    with app.test_request_context():
        message = term_rules.red_line_breach(term, result, obtained)
    assert (message is not None) == breached
    if breached:
        assert "价格底线" in message  # the message names the term


def test_a_red_line_breached_by_the_outcome_is_flagged_and_closing_needs_a_reason(union, dossier, browser, client,
                                                                                    app):
    """价格底线 350,000 (a red line) recorded as 部分达成: 320,000 元 — the issue's case."""
    u = union.u
    terms = [dict(TERMS[0], value="350000"), *TERMS[1:]]
    services.save_position(u.qd, dossier, terms, base_version=1)
    _negotiating(union, dossier)
    found = services.record_outcome(u.qd, dossier, results={"price_floor": ("partly", "320,000 元")}, summary="部分达成")
    db.session.commit()
    assert [b.key for b in found] == ["price_floor"]                 # recorded, and flagged

    browser.login("qd@cdou.example")
    page = browser.get(f"/negotiations/{dossier.id}/outcome").get_data(as_text=True)
    assert 'id="outcome-breaches"' in page and 'id="breach-price_floor"' in page
    assert "不低于 350,000 元" in page and "320,000 元" in page

    # closing without a reason: refused with the rule and what satisfies it; nothing changes
    reply = browser.post_form(f"/negotiations/{dossier.id}/transition", {"to_status": "concluded"},
                              form_url=f"/negotiations/{dossier.id}", follow_redirects=True).get_data(as_text=True)
    db.session.refresh(dossier)
    assert dossier.status == "negotiating" and "价格底线" in reply and "理由" in reply
    assert db.session.scalar(select(DossierEvent).where(DossierEvent.to_status == "concluded")) is None
    with pytest.raises(DomainError) as refused:
        services.transition(u.qd, dossier, "concluded", acknowledgement="   ")
    assert refused.value.field == "acknowledgement"

    # with the coordinator's reason: closed, the reason and the breached term in the history
    browser.post_form(f"/negotiations/{dossier.id}/transition",
                      {"to_status": "concluded", "acknowledgement": "平台承诺次年按 35 万元执行"},
                      form_url=f"/negotiations/{dossier.id}")
    db.session.refresh(dossier)
    event = dossier.events[-1]
    assert dossier.status == "concluded"
    assert (event.to_status, event.acknowledgement, event.breached) == ("concluded", "平台承诺次年按 35 万元执行",
                                                                        ["price_floor"])
    detail = browser.get(f"/negotiations/{dossier.id}").get_data(as_text=True)
    assert "平台承诺次年按 35 万元执行" in detail
    paper = browser.get(f"/negotiations/{dossier.id}/paper").get_data(as_text=True)
    assert 'id="paper-breaches"' in paper and "320,000 元" in paper and "平台承诺次年按 35 万元执行" in paper
    # the API says the same
    token = {"Authorization": f"Bearer {create_api_token(None, u.wz, 't')[1]}"}
    db.session.commit()
    answer = client.get(f"/api/v1/negotiations/{dossier.id}/outcome", headers=token).get_json()
    assert [b["term"] for b in answer["breaches"]] == ["price_floor"]
    assert answer["acknowledgements"][0]["reason"] == "平台承诺次年按 35 万元执行"
    # the audit log keeps the acknowledgement, labelled
    row = db.session.scalar(select(AuditLog).where(AuditLog.object_type == "DossierEvent",
                                                   AuditLog.action == "create").order_by(AuditLog.id.desc()))
    assert row.changes["acknowledgement"] and row.changes["breached"]
    secretariat = Browser(app.test_client())
    secretariat.login("sec@cdou.example")
    audit = secretariat.get("/audit/", query_string={"object_type": "DossierEvent"}).get_data(as_text=True)
    assert "牵头单位确认" in audit and "被突破的红线" in audit


def test_an_outcome_that_holds_closes_without_a_reason(union, dossier):
    u = union.u
    _negotiating(union, dossier)
    assert services.record_outcome(u.qd, dossier, results={"price_floor": ("partly", "26万元")}) == []
    services.transition(u.qd, dossier, "concluded")
    assert dossier.status == "concluded" and dossier.events[-1].acknowledgement == ""


def test_a_concluded_dossier_takes_a_breaching_outcome_only_with_a_reason(union, dossier, browser):
    u = union.u
    _negotiating(union, dossier)
    services.record_outcome(u.qd, dossier, results={"price_floor": ("met", "250,000 元")})
    services.transition(u.qd, dossier, "concluded")
    db.session.commit()
    browser.login("qd@cdou.example")
    page = browser.post_form(f"/negotiations/{dossier.id}/outcome",
                             {"result-price_floor": "partly", "obtained-price_floor": "200,000 元", "summary": "改签"}
                             ).get_data(as_text=True)
    assert "议题已结束" in page and 'value="200,000 元"' in page and ">改签</textarea>" in page   # kept, not saved
    with pytest.raises(DomainError) as refused:
        services.record_outcome(u.qd, dossier, results={"price_floor": ("partly", "200,000 元")})
    assert refused.value.field == "acknowledgement" and "价格底线" in refused.value.message
    db.session.rollback()
    assert db.session.scalar(select(TermOutcome.obtained)) == "250,000 元"   # nothing written
    services.record_outcome(u.qd, dossier, results={"price_floor": ("partly", "200,000 元")},
                            acknowledgement="补充协议改为 20 万元")
    db.session.commit()
    assert dossier.events[-1].breached == ["price_floor"] and dossier.events[-1].acknowledgement == "补充协议改为 20 万元"


# ---------------------------------------------------------------- stances belong to a version

def test_a_new_version_asks_each_participant_to_restate(union, dossier, browser):
    u = union.u
    services.transition(u.qd, dossier, "consultation")
    for user in (u.qd, u.wz, u.nb):
        services.record_stance(user, dossier, stance="support")
    services.save_position(u.qd, dossier, [dict(TERMS[0], value="300000"), *TERMS[1:]], base_version=1)
    db.session.commit()
    asked = db.session.scalars(select(Notification).where(Notification.kind == "negotiations.restate")).all()
    assert sorted(n.member_id for n in asked) == sorted([union.wz.id, union.nb.id])   # not the one who adopted it
    assert asked[0].payload["version"] == 2 and asked[0].payload["old"] == 1
    q = services.stance_quorum(dossier)
    assert q["current"] == 0 and sorted(q["stale"]) == sorted([union.qd.id, union.wz.id, union.nb.id])

    browser.login("wz@cdou.example")
    me = _waiting(browser)
    assert "待表态" in me and dossier.title in me and "立场针对旧版本" in me
    assert "请重新表态" in browser.get("/notifications/").get_data(as_text=True)
    services.record_stance(u.wz, dossier, stance="support")
    db.session.commit()
    assert dossier.title not in _waiting(browser)      # restated: nothing waits


def test_the_sign_on_opens_only_on_the_quorum_of_current_stances_or_with_a_reason(union, dossier, browser, client):
    u = union.u
    services.transition(u.qd, dossier, "consultation")
    for user in (u.qd, u.wz, u.nb):
        services.record_stance(user, dossier, stance="support")
    services.save_position(u.qd, dossier, [dict(TERMS[0], value="300000"), *TERMS[1:]], base_version=1)
    db.session.commit()
    deadline = TODAY + timedelta(days=5)
    with pytest.raises(DomainError) as refused:           # all four stances on the previous version
        services.call_sign_on(u.qd, dossier, deadline=deadline)
    assert refused.value.field == "override" and "0" in refused.value.message and "3" in refused.value.message
    with pytest.raises(DomainError) as refused:
        services.call_sign_on(u.qd, dossier, deadline=None)
    assert refused.value.field == "deadline"
    db.session.rollback()
    assert dossier.sign_on_version is None

    browser.login("qd@cdou.example")
    page = browser.get(f"/negotiations/{dossier.id}").get_data(as_text=True)
    assert 'id="stance-quorum"' in page and "3 家针对旧版本" in page and 'id="signon-override"' in page
    reply = browser.post_form(f"/negotiations/{dossier.id}/sign-on", {"deadline": deadline.isoformat()},
                              form_url=f"/negotiations/{dossier.id}", follow_redirects=True).get_data(as_text=True)
    db.session.refresh(dossier)
    assert dossier.sign_on_version is None and "重新表态" in reply

    # the lead opens it anyway: the reason is kept, in the history and on the paper
    browser.post_form(f"/negotiations/{dossier.id}/sign-on",
                      {"deadline": deadline.isoformat(), "override": "平台要求本周内回复"},
                      form_url=f"/negotiations/{dossier.id}")
    db.session.refresh(dossier)
    assert (dossier.sign_on_version, dossier.sign_on_deadline, dossier.sign_on_override) == (2, deadline,
                                                                                            "平台要求本周内回复")
    assert dossier.events[-1].acknowledgement == "平台要求本周内回复"
    assert "平台要求本周内回复" in browser.get(f"/negotiations/{dossier.id}/paper").get_data(as_text=True)
    notice = db.session.scalar(select(Notification).where(Notification.kind == "negotiations.sign_on",
                                                          Notification.member_id == union.wz.id))
    assert notice.payload["deadline"] == deadline.isoformat()
    token = {"Authorization": f"Bearer {create_api_token(None, u.nb, 't')[1]}"}
    db.session.commit()
    answer = client.get(f"/api/v1/negotiations/{dossier.id}/sign-on", headers=token).get_json()
    assert answer["override"] == "平台要求本周内回复" and answer["stances"]["stale"] == 3

    # once the participants restate, it opens without a reason
    services.cancel_sign_on(u.qd, dossier)
    for user in (u.qd, u.wz, u.nb):
        services.record_stance(user, dossier, stance="support")
    services.call_sign_on(u.qd, dossier, deadline=deadline)
    assert dossier.sign_on_override == ""


def test_who_has_not_signed_is_reminded_once_before_the_deadline(union, dossier, browser):
    u = union.u
    services.transition(u.qd, dossier, "consultation")
    open_sign_on(dossier, u.qd, u.wz, u.nb, days=5)
    services.sign(u.qd, dossier, signed=True)
    db.session.commit()
    browser.login("nb@cdou.example")
    me = _waiting(browser)
    signature = me[me.index('id="ws-signatures"'):]
    assert "第 1 版需要联署" in signature and f"截止 {(TODAY + timedelta(days=5)).isoformat()}" in signature
    assert services.remind_sign_on(TODAY) == 0                     # five days ahead: not yet
    assert services.remind_sign_on(TODAY + timedelta(days=3)) == 1
    assert services.remind_sign_on(TODAY + timedelta(days=4)) == 0  # once
    db.session.commit()
    reminded = db.session.scalars(select(Notification.member_id).where(
        Notification.kind == "negotiations.sign_on_reminder")).all()
    assert sorted(reminded) == sorted([union.wz.id, union.nb.id])  # 青岛 signed
    assert "尚未答复" in browser.get("/notifications/").get_data(as_text=True)
    services.sign(u.nb, dossier, signed=True)
    db.session.commit()
    assert dossier.title not in _waiting(browser)


# ---------------------------------------------------------------- every term kind can be amended

def test_the_tiered_split_is_amended_in_rows_and_the_diff_shows_each_tier(union, dossier, app):
    u = union.u
    services.transition(u.qd, dossier, "consultation")
    db.session.commit()
    wz = Browser(app.test_client())
    wz.login("wz@cdou.example")
    page = wz.get(f"/negotiations/{dossier.id}").get_data(as_text=True)
    assert 'id="amend-tiers-revenue_split"' in page and 'name="tier-0-upto" value="200000"' in page
    form = {"term_key": "revenue_split", "reason": "超出部分供数单位应得更多",
            "tier-0-upto": "200000", "tier-0-supplier": "50", "tier-0-operator": "50",
            "tier-1-upto": "", "tier-1-supplier": "70", "tier-1-operator": "", "tier-2-supplier": ""}
    refused = wz.post_form(f"/negotiations/{dossier.id}/amendments", form, form_url=f"/negotiations/{dossier.id}",
                           follow_redirects=True).get_data(as_text=True)
    assert "收益分成" in refused and services.list_amendments(dossier) == []      # a row without 运营方 %: nothing
    form["tier-1-operator"] = "30"
    wz.post_form(f"/negotiations/{dossier.id}/amendments", form, form_url=f"/negotiations/{dossier.id}")
    [amendment] = services.list_amendments(dossier)
    assert amendment.proposed_value["value"]["tiers"][1] == {"upto": None, "supplier": "70", "operator": "30"}
    services.decide_amendment(u.qd, dossier, amendment, accept=True)
    db.session.commit()
    changes = services.diff_versions(dossier, 1, 2)
    assert [c["key"] for c in changes] == ["revenue_split"]
    assert [f[0] for f in changes[0]["fields"]] == ["第 2 档"]                 # the first tier did not change
    assert "60%" in changes[0]["fields"][0][1] and "70%" in changes[0]["fields"][0][2]
    diff = wz.get(f"/negotiations/{dossier.id}/diff?from=1&to=2").get_data(as_text=True)
    assert "第 2 档" in diff and "第 1 档" not in diff


EVERY_KIND = [  # (term, what a participant types in the amendment form, the value the new version holds)
    ({"key": "share", "label": "数据方分成比例", "type": "percentage", "value": "30"}, "３５%", "35.00"),
    ({"key": "api_open", "label": "开放接口", "type": "boolean", "value": True}, "否", False),
    ({"key": "clause", "label": "数据不出域条款", "type": "text", "value": "原始数据不出域"}, "原始数据与脱敏数据均不出域",
     "原始数据与脱敏数据均不出域"),
]


def test_every_term_kind_is_amended_and_the_new_version_holds_it(union, dossier, app):
    """Money, choice, duration, percentage, boolean and text in the one-line value (read by the
    term's own kind, as the position editor reads it); tiered in rows (the test above)."""
    u = union.u
    extra = [t for t, _typed, _held in EVERY_KIND]
    services.save_position(u.qd, dossier, [*TERMS, *extra], base_version=1)
    services.transition(u.qd, dossier, "consultation")
    db.session.commit()
    wz = Browser(app.test_client())
    wz.login("wz@cdou.example")
    typed = {"price_floor": ("30万", "300000.00"), "exclusivity": ("限时排他", "限时排他"), "term_length": ("36", 36)}
    typed |= {t["key"]: (raw, held) for t, raw, held in EVERY_KIND}
    for key, (raw, _held) in typed.items():
        reply = wz.post_form(f"/negotiations/{dossier.id}/amendments", {"term_key": key, "value": raw,
                                                                        "reason": "三城商定"},
                             form_url=f"/negotiations/{dossier.id}", follow_redirects=True).get_data(as_text=True)
        assert "修改建议已提交" in reply, (key, re.findall(r'alert-danger[^>]*>([^<]*)', reply))
    amendments = services.list_amendments(dossier)
    assert sorted(a.term_key for a in amendments) == sorted(typed)
    for amendment in amendments:
        services.decide_amendment(u.qd, dossier, amendment, accept=True)
    db.session.commit()
    position = services.current_position(dossier)
    assert {key: position.term(key)["value"] for key in typed} == {key: held for key, (_r, held) in typed.items()}
    assert {c["key"] for c in services.diff_versions(dossier, 2, position.number)} == set(typed)
