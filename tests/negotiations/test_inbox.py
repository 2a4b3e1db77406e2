"""What the joint negotiations ask of a member waits in its inbox (我的工作台, "等待我处理"):
the invitation, the stance on the current version, the signature with its deadline, and for
the coordinator the amendments to decide; each says what to do and links to the place."""
from datetime import date

from consortium.core import signals
from consortium.extensions import db
from consortium.negotiations import services
from consortium.notifications import registry as kinds
from tests.conftest import Browser
from tests.negotiations.conftest import TERMS


def _section(html, key):
    start = html.index(f'id="ws-{key}"')
    return html[start:html.index("</ul>", start)]


def _inbox(app, email):
    browser = Browser(app.test_client())
    browser.login(email)
    return browser.get("/me").get_data(as_text=True)


def test_every_kind_that_asks_for_action_is_acted_on_in_a_waiting_section(app):
    waiting = {s.key for s in signals.workspace_section_list() if s.waiting}
    asking = {k.code: k.action for k in kinds.kinds() if k.action}
    assert {"negotiations.invited", "negotiations.stance_needed", "negotiations.sign_on", "negotiations.amendment",
            "catalog.access_requested", "catalog.access_delivered", "scenarios.join_requested"} <= set(asking)
    assert {code: action for code, action in asking.items() if action not in waiting} == {}


def test_invitation_stance_signature_and_amendment_wait_in_the_inbox(app, union):
    u = union.u
    d = services.create_dossier(u.qd, title="医保数据联合谈判", counterparty=union.ant, coordinator=union.qd,
                                subject="价格", deadline=date(2030, 1, 1))
    services.invite(u.qd, d, union.wz)
    db.session.commit()
    html = _inbox(app, "wz@cdou.example")
    invitation = _section(html, "negotiation_invitations")
    assert "联合谈判“医保数据联合谈判”的邀请" in invitation and "对手方：蚂蚁集团 · 牵头单位：青岛数据集团" in invitation
    assert "接受或谢绝 →" in invitation and f"/negotiations/{d.id}" in invitation and "截止 2030-01-01" in invitation
    assert 'id="ws-negotiation_invitations"' not in _inbox(app, "xm@cdou.example")  # 厦门 is not invited

    services.respond(u.wz, d, accept=True)
    services.save_position(u.qd, d, TERMS, base_version=0, note="初稿")
    services.transition(u.qd, d, "consultation")
    db.session.commit()
    html = _inbox(app, "wz@cdou.example")
    assert 'id="ws-negotiation_invitations"' not in html  # answered
    stance = _section(html, "stances")
    assert "“医保数据联合谈判”第 1 版需要表态" in stance and "表明态度 →" in stance and "#whole" in stance

    services.propose_amendment(u.wz, d, term_key="price_floor", value="300000", reason="公交数据量更大")
    for user in (u.qd, u.wz):  # the quorum of stances on the current version (the rule of sign-on)
        services.record_stance(user, d, stance="support")
    services.call_sign_on(u.qd, d, deadline=date(2029, 6, 30))
    db.session.commit()
    coordinator = _inbox(app, "qd@cdou.example")
    amendment = _section(coordinator, "amendments")
    assert "温州大数据公司 对“医保数据联合谈判”中的“价格底线”提出修改建议" in amendment
    assert "公交数据量更大" in amendment and "采纳或驳回 →" in amendment
    participant = _inbox(app, "wz@cdou.example")
    assert 'id="ws-stances"' not in participant  # stated: nothing waits
    signature = _section(participant, "signatures")
    assert "“医保数据联合谈判”第 1 版需要联署" in signature and "联署或拒绝 →" in signature
    assert "截止 2029-06-30" in signature and "#sign-on" in signature
    services.sign(u.wz, d, signed=True)
    db.session.commit()
    assert 'id="ws-signatures"' not in _inbox(app, "wz@cdou.example")  # signed: nothing waits
