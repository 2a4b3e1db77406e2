"""E-mail holds only what its recipient may see when it is sent. A canary in a confidential
dossier and in a non-public entry: every e-mail (at once and digests) of every person of the
union is read from a real SMTP server; the canary is in the participants' e-mails and the
owner's, and in nobody else's — not in those of a participant withdrawn before the mail left."""
from datetime import date

from sqlalchemy import select

from consortium.core.clock import local_today
from consortium.core.weeks import Week
from consortium.extensions import db
from consortium.mail.outbox import queue_digests_for
from consortium.mail.delivery import deliver
from consortium.mail.models import NOTIFICATION, SENT, SKIPPED, OutboxMessage
from consortium.negotiations import services
from tests.factories import create_resource
from tests.negotiations.conftest import TERMS
from tests.smtp import body

CANARY = "CANARY-m41l-金丝雀"


def _everything(message) -> str:
    return str(message["Subject"]) + body(message) + body(message, "html")


def test_a_canary_reaches_only_those_who_may_see_it(smtp, union):
    u = union.u
    d = services.create_dossier(u.qd, title=f"{CANARY} 医保", counterparty=union.ant, coordinator=union.qd,
                                subject=f"{CANARY} 议题", deadline=date(2030, 1, 1))
    for member, user in ((union.wz, u.wz), (union.nb, u.nb)):
        services.invite(u.qd, d, member)
        services.respond(user, d, accept=True, reason=f"{CANARY} 接受")
    services.save_position(u.qd, d, TERMS, base_version=0, note=f"{CANARY} 版本说明")
    services.transition(u.qd, d, "consultation", note=f"{CANARY} 状态说明")  # stances needed: mailed at once
    db.session.commit()
    queued_for_nb = db.session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == u.nb.id)).all()
    assert queued_for_nb, "宁波 had mail queued about the dossier before it was withdrawn"
    services.withdraw(u.qd, d, union.nb, reason=f"{CANARY} 移出理由")
    create_resource(union.xm, f"{CANARY} 公交", is_public=False)  # 厦门's own, not public
    db.session.commit()
    deliver()
    monday = Week.of(local_today()).next.monday
    queue_digests_for(monday)  # this week's weekly digest for everyone
    db.session.commit()
    deliver()

    def canary_mails(email):
        return [m for m in smtp.recorder.to(email) if CANARY in _everything(m)]
    assert canary_mails("wz@cdou.example"), "a participant's invitation and stance request name the dossier"
    assert any("表明贵单位的态度" in str(m["Subject"]) for m in canary_mails("wz@cdou.example"))
    assert canary_mails("xm@cdou.example"), "the owner's weekly digest lists its own non-public entry"
    assert [m for m in canary_mails("xm@cdou.example") if "每周摘要" not in str(m["Subject"])] == []
    assert canary_mails("nb@cdou.example") == []  # withdrawn before its mail left
    assert canary_mails("sec@cdou.example") == [] and canary_mails("qd2@cdou.example") != []
    assert {s for (s,) in db.session.execute(select(OutboxMessage.state).where(
        OutboxMessage.user_id == u.nb.id, OutboxMessage.kind == NOTIFICATION))} == {SKIPPED}
    everyone = {m.envelope_to[0] for m in smtp.recorder.messages}
    readers = {"qd@cdou.example", "qd2@cdou.example", "wz@cdou.example", "xm@cdou.example"}
    for email in everyone - readers:
        assert canary_mails(email) == [], email
    assert all(CANARY not in m for m in (str(r.subject) for r in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.user_id.not_in([u.qd.id, u.qd2.id, u.wz.id, u.xm.id])))))
    assert db.session.scalar(select(OutboxMessage.state).where(OutboxMessage.user_id == u.wz.id).order_by(OutboxMessage.id).limit(1)) == SENT
