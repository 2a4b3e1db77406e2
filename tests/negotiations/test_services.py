"""The rules of a joint negotiation, without a request."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from consortium.core.clock import local_today
from consortium.audit.models import AuditLog
from consortium.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from consortium.extensions import db
from consortium.negotiations import permissions, queries, services
from consortium.negotiations.models import Dossier, DossierEvent, PositionVersion, Stance
from consortium.notifications.models import Notification
from consortium.notifications.services import list_notifications

from .conftest import TERMS, open_sign_on


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_state_machine_moves_are_dated_audited_and_illegal_ones_refused(union, dossier):
    u = union.u
    with pytest.raises(DomainError, match="达成共识"):
        services.transition(u.qd, dossier, "agreed")          # only through the sign-on
    with pytest.raises(DomainError):
        services.transition(u.qd, dossier, "concluded")       # drafting → concluded is not a move
    db.session.rollback()
    assert dossier.status == "drafting" and _count(DossierEvent) == 1
    event = services.transition(u.qd, dossier, "consultation", note="请表态")
    db.session.commit()
    assert (event.from_status, event.to_status, event.note, event.actor_id) == ("drafting", "consultation", "请表态",
                                                                                 u.qd.id)
    assert event.created_at is not None
    audit = db.session.scalar(select(AuditLog).where(AuditLog.object_type == "DossierEvent",
                                                     AuditLog.object_id == str(event.id)))
    assert audit.actor_id == u.qd.id and audit.changes["to_status"] == [None, "consultation"]
    with pytest.raises(PermissionDenied):
        services.transition(u.wz, dossier, "abandoned")        # a participant, not the coordinator
    services.transition(u.sec, dossier, "abandoned", note="撤回")  # the secretariat may
    with pytest.raises(DomainError):
        services.transition(u.sec, dossier, "drafting")        # abandoned is final


def test_consultation_needs_a_version(union):
    d = services.create_dossier(union.u.qd, title="空白议题", counterparty=union.ant, coordinator=union.qd)
    with pytest.raises(DomainError):
        services.transition(union.u.qd, d, "consultation")


def test_member_may_only_coordinate_itself_secretariat_for_anyone(union):
    with pytest.raises(PermissionDenied):
        services.create_dossier(union.u.wz, title="代开", counterparty=union.ant, coordinator=union.qd)
    d = services.create_dossier(union.u.sec, title="秘书处代开", counterparty=union.ant, coordinator=union.nb)
    assert d.coordinator_id == union.nb.id and d.active_member_ids == {union.nb.id}
    with pytest.raises(DomainError):
        services.create_dossier(union.u.sec, title="x", counterparty=union.ant, coordinator=union.nb, quorum="3/2")


def test_versions_are_never_overwritten_and_the_diff_reads_in_words(union, dossier):
    u = union.u
    changed = [dict(t) for t in TERMS if t["key"] != "term_length"]
    changed[0]["value"] = "300000"
    changed[2]["red_line"] = True
    changed.append({"key": "security", "label": "数据安全", "type": "text", "value": "原始数据不出域"})
    v2 = services.save_position(u.qd, dossier, changed, base_version=1)
    db.session.commit()
    assert v2.number == 2 and dossier.current_version == 2
    assert services.get_version(dossier, 1).term("price_floor")["value"] == "250000.00"
    entries = {e["key"]: e for e in services.diff_versions(dossier, 1, 2)}
    assert entries["security"]["change"] == "added"
    assert entries["term_length"]["change"] == "removed" and entries["term_length"]["old"] == "24 个月"
    price = entries["price_floor"]
    assert price["change"] == "changed" and ("取值", "250,000 元", "300,000 元") in price["fields"]
    assert ("红线", "否", "是") in entries["exclusivity"]["fields"]
    assert "revenue_split" not in entries
    assert services.diff_versions(dossier, 2, 2) == []


def test_stale_save_is_a_conflict_and_writes_nothing(union, dossier):
    services.save_position(union.u.qd, dossier, TERMS, base_version=1)
    db.session.commit()
    with pytest.raises(Conflict):
        services.save_position(union.u.sec, dossier, TERMS, base_version=1)
    db.session.rollback()
    assert _count(PositionVersion) == 2 and db.session.get(Dossier, dossier.id).current_version == 2


@pytest.mark.parametrize("bad", [
    [{"key": "a", "label": "", "type": "money", "value": "1"}],
    [{"key": "a", "label": "价格", "type": "money", "value": "-1"}],
    [{"key": "a", "label": "比例", "type": "percentage", "value": "120"}],
    [{"key": "a", "label": "排他", "type": "choice", "value": "独占", "options": ["不排他"]}],
    [{"key": "a", "label": "分成", "type": "tiered", "value": "300000 50 50\n200000 60 40\n* 60 40"}],
    [{"key": "a", "label": "期限", "type": "duration", "value": "两年"}],
    [{"key": "a", "label": "甲", "type": "text", "value": ""}, {"key": "a", "label": "乙", "type": "text"}],
    [{"key": "a", "label": "未知", "type": "colour", "value": "红"}],
])
def test_malformed_terms_are_refused_and_nothing_saved(union, dossier, bad):
    with pytest.raises(DomainError):
        services.save_position(union.u.qd, dossier, bad, base_version=1)
    db.session.rollback()
    assert _count(PositionVersion) == 1


def test_one_stance_per_organisation_history_kept_and_old_versions_not_counted(union, dossier):
    u = union.u
    services.transition(u.qd, dossier, "consultation")
    services.record_stance(u.qd, dossier, stance="oppose", comment="太低")
    services.record_stance(u.qd2, dossier, stance="support")      # same organisation: replaces, does not add
    services.record_stance(u.wz, dossier, term_key="price_floor", stance="reserve")
    services.record_stance(u.nb, dossier, stance="support")
    meter = services.consensus(dossier)
    assert meter[""] == {"support": 2, "reserve": 0, "oppose": 0, "unanswered": 1, "stale": 0, "total": 3}
    assert meter["price_floor"]["reserve"] == 1 and meter["price_floor"]["unanswered"] == 2
    assert [s.stance for s in services.stance_history(dossier, union.qd.id)] == ["support", "oppose"]
    services.save_position(u.qd, dossier, TERMS, base_version=1)      # version 2
    meter = services.consensus(dossier)
    assert meter[""]["support"] == 0 and meter[""]["stale"] == 2 and meter[""]["unanswered"] == 3
    current = services.current_stances(dossier)
    assert current[(union.qd.id, "")].version == 1
    with pytest.raises(PermissionDenied):
        services.record_stance(u.xm, dossier, stance="support")      # not a participant
    with pytest.raises(PermissionDenied):
        services.record_stance(u.sec, dossier, stance="support")     # the secretariat is not an organisation here
    with pytest.raises(DomainError):
        services.record_stance(u.wz, dossier, term_key="nope", stance="support")
    with pytest.raises(DomainError):
        services.record_stance(u.wz, dossier, stance="maybe")


def test_amendments_accept_makes_a_version_reject_needs_a_reason_and_proposer_is_notified(union, dossier):
    u = union.u
    a = services.propose_amendment(u.wz, dossier, term_key="price_floor", value="300000", reason="温州数据量大")
    b = services.propose_amendment(u.nb, dossier, term_key="exclusivity", value="限时排他", reason="换更高分成")
    with pytest.raises(DomainError):
        services.propose_amendment(u.nb, dossier, term_key="exclusivity", value="独占", reason="x")
    with pytest.raises(DomainError):
        services.propose_amendment(u.nb, dossier, term_key="price_floor", value="1", reason="")
    with pytest.raises(PermissionDenied):
        services.decide_amendment(u.wz, dossier, a, accept=True)
    services.decide_amendment(u.qd, dossier, a, accept=True)
    assert a.status == "accepted" and a.result_version == 2
    assert services.current_position(dossier).term("price_floor")["value"] == "300000.00"
    with pytest.raises(DomainError):
        services.decide_amendment(u.qd, dossier, b, accept=False, decision_reason="")
    services.decide_amendment(u.qd, dossier, b, accept=False, decision_reason="维持不排他")
    db.session.commit()
    assert b.status == "rejected" and dossier.current_version == 2
    kinds = [(n.kind, n.payload["accepted"], n.text) for n in db.session.scalars(
        select(Notification).where(Notification.kind == "negotiations.amendment_decided").order_by(Notification.id))]
    assert kinds == [("negotiations.amendment_decided", True, ""),
                     ("negotiations.amendment_decided", False, "维持不排他")]
    assert {n.member_id for n in db.session.scalars(select(Notification).where(
        Notification.kind == "negotiations.amendment_decided"))} == {union.wz.id, union.nb.id}


def test_sign_on_reaches_agreed_only_with_the_quorum(union, dossier):
    u = union.u
    services.update_dossier(u.qd, dossier, title=dossier.title, quorum="2/3")
    services.transition(u.qd, dossier, "consultation")
    with pytest.raises(DomainError):
        services.sign(u.wz, dossier, signed=True)                 # not called yet
    open_sign_on(dossier, u.qd, u.wz, u.nb, days=3)
    with pytest.raises(DomainError):
        services.save_position(u.qd, dossier, TERMS, base_version=1)   # frozen while the sign-on is open
    services.sign(u.qd, dossier, signed=True)
    services.sign(u.wz, dossier, signed=False, comment="价格太低")
    with pytest.raises(DomainError, match="1"):
        services.complete_sign_on(u.qd, dossier)                  # 1 of 3 signed, 2 needed
    assert services.quorum_status(dossier) == {"signed": 1, "declined": 1, "total": 3, "needed": 2, "met": False}
    services.sign(u.wz, dossier, signed=True)                     # changes its answer: one row per organisation
    assert len(services.signatures(dossier)) == 2
    services.complete_sign_on(u.qd, dossier, note="两城联署")
    db.session.commit()
    assert dossier.status == "agreed" and dossier.events[-1].note == "两城联署"


def test_all_quorum_needs_every_participant(union, dossier):
    u = union.u
    services.transition(u.qd, dossier, "consultation")
    open_sign_on(dossier, u.qd, u.wz, u.nb)
    services.sign(u.qd, dossier, signed=True)
    services.sign(u.wz, dossier, signed=True)
    with pytest.raises(DomainError):
        services.complete_sign_on(u.qd, dossier)
    services.withdraw(u.qd, dossier, union.nb, reason="退出谈判")   # the quorum follows the current participants
    services.complete_sign_on(u.qd, dossier)
    assert dossier.status == "agreed"


def test_withdrawn_participant_loses_the_dossier_and_its_notifications_at_once(union, dossier):
    u = union.u
    services.transition(u.qd, dossier, "consultation")
    db.session.commit()
    assert [n.kind for n in list_notifications(u.wz)][0] == "negotiations.stance_needed"  # asked for its stance
    assert permissions.can_view(u.wz, dossier)
    with pytest.raises(DomainError):
        services.withdraw(u.qd, dossier, union.wz, reason="")           # a reason is required
    with pytest.raises(DomainError):
        services.withdraw(u.qd, dossier, union.qd, reason="自己")       # never the coordinator
    services.withdraw(u.qd, dossier, union.wz, reason="不再参与信贷产品")
    db.session.commit()
    assert not permissions.can_view(u.wz, dossier)
    assert list_notifications(u.wz) == []
    assert db.session.scalar(select(func.count(Dossier.id)).where(permissions.visible_clause(u.wz))) == 0
    with pytest.raises(PermissionDenied):
        services.record_stance(u.wz, dossier, stance="support")


def test_invitation_accept_and_decline(union, dossier):
    u = union.u
    services.invite(u.qd, dossier, union.xm)
    db.session.commit()
    assert permissions.can_answer_invitation(u.xm, dossier) and not permissions.can_view(u.xm, dossier)
    assert [n.kind for n in list_notifications(u.xm)] == ["negotiations.invited"]
    with pytest.raises(DomainError):
        services.invite(u.qd, dossier, union.xm)
    services.respond(u.xm, dossier, accept=False, reason="暂不参与")
    assert not permissions.can_answer_invitation(u.xm, dossier)
    assert list_notifications(u.xm) == []   # declined: even the invitation disappears
    with pytest.raises(NotFound):
        services.respond(u.xm, dossier, accept=True)


def test_outcome_and_review_date_notification_once(union, dossier):
    u = union.u
    services.transition(u.qd, dossier, "consultation")
    open_sign_on(dossier, u.qd, u.wz, u.nb)
    for user in (u.qd, u.wz, u.nb):
        services.sign(user, dossier, signed=True)
    services.complete_sign_on(u.qd, dossier)
    with pytest.raises(DomainError):
        services.record_outcome(u.qd, dossier, results={}, summary="x")   # not negotiating yet
    services.transition(u.qd, dossier, "negotiating")
    review = local_today() + timedelta(days=10)
    services.record_outcome(u.qd, dossier, results={"price_floor": ("partly", "28 万元"), "exclusivity": ("met", "")},
                            summary="部分达成", review_on=review)
    with pytest.raises(DomainError):
        services.record_outcome(u.qd, dossier, results={"price_floor": ("great", "")})
    db.session.commit()
    assert {o.term_key: o.result for o in services.outcomes(dossier)} == {"price_floor": "partly", "exclusivity": "met"}
    assert services.notify_due_reviews(review - timedelta(days=1)) == 0
    assert services.notify_due_reviews(review) == 1
    assert services.notify_due_reviews(review + timedelta(days=1)) == 0   # once
    db.session.commit()
    notes = db.session.scalars(select(Notification).where(Notification.kind == "negotiations.review_due")).all()
    assert sorted(n.member_id for n in notes) == sorted([union.qd.id, union.wz.id, union.nb.id])


def test_review_cli_command(app, runner, union, dossier):
    dossier.status, dossier.review_on = "concluded", date(2026, 1, 1)
    db.session.commit()
    result = runner.invoke(args=["negotiations", "notify-reviews", "--today", "2026-01-01"])
    assert "1 dossiers" in result.output
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.kind == "negotiations.review_due")) == 3


def test_count_by_status_is_counts_only(union, dossier):
    counts = queries.count_dossiers_by_status()
    assert counts["drafting"] == 1 and counts["concluded"] == 0 and set(counts) == {
        "drafting", "consultation", "agreed", "negotiating", "concluded", "abandoned"}
    assert all(isinstance(v, int) for v in counts.values())


def test_stances_never_update_rows(union, dossier):
    services.record_stance(union.u.wz, dossier, stance="support")
    services.record_stance(union.u.wz, dossier, stance="oppose")
    db.session.commit()
    assert _count(Stance) == 2
    assert not db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.object_type == "Stance",
                                                                       AuditLog.action == "update"))
