"""A small union for negotiation tests: 青岛 coordinates with 温州 and 宁波 against
蚂蚁集团; 厦门 stays outside (and leads an unrelated scenario group)."""
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from consortium.core.clock import local_today
from consortium.counterparties.services import add_counterparty
from consortium.extensions import db
from consortium.negotiations import services

TERMS = [
    {"key": "price_floor", "label": "价格底线", "type": "money", "value": "250000", "rationale": "三城合计的数据量",
     "red_line": True},
    {"key": "revenue_split", "label": "收益分成", "type": "tiered",
     "value": {"tiers": [{"upto": "200000", "supplier": "50", "operator": "50"},
                         {"upto": None, "supplier": "60", "operator": "40"}]}, "rationale": "来源规则"},
    {"key": "exclusivity", "label": "排他性", "type": "choice", "value": "不排他",
     "options": ["不排他", "限时排他", "排他"]},
    {"key": "term_length", "label": "合作期限", "type": "duration", "value": "24"},
]


@pytest.fixture
def union(make_member, make_user):
    qd, wz, nb, xm = (make_member(name, city=city, code=code) for name, city, code in [
        ("青岛数据集团", "青岛", "qingdao"), ("温州大数据公司", "温州", "wenzhou"),
        ("宁波数字产业集团", "宁波", "ningbo"), ("厦门大数据有限公司", "厦门", "xiamen")])
    users = SimpleNamespace(
        qd=make_user("qd@cdou.example", member=qd, name="刘洋"), qd2=make_user("qd2@cdou.example", member=qd),
        wz=make_user("wz@cdou.example", member=wz), nb=make_user("nb@cdou.example", member=nb),
        xm=make_user("xm@cdou.example", member=xm), sec=make_user("sec@cdou.example", role="secretariat"))
    ant = add_counterparty(None, name="蚂蚁集团")
    db.session.commit()
    return SimpleNamespace(qd=qd, wz=wz, nb=nb, xm=xm, ant=ant, u=users)


@pytest.fixture
def dossier(union):
    """Drafting, version 1 saved, 温州 and 宁波 participating."""
    u = union.u
    d = services.create_dossier(u.qd, title="信贷数据宝联合立场", counterparty=union.ant, coordinator=union.qd,
                                subject="价格与分成", deadline=date(2030, 1, 1))
    for member, user in ((union.wz, u.wz), (union.nb, u.nb)):
        services.invite(u.qd, d, member)
        services.respond(user, d, accept=True)
    services.save_position(u.qd, d, TERMS, base_version=0, note="初稿")
    db.session.commit()
    return d


def open_sign_on(dossier, coordinator, *participants, days=7):
    """Each user's organisation takes a stance on the current version, then the coordinator calls the
    sign-on with a deadline ``days`` ahead (the rule: the quorum of stances on the current version)."""
    for user in (coordinator, *participants):
        services.record_stance(user, dossier, stance="support")
    services.call_sign_on(coordinator, dossier, deadline=local_today() + timedelta(days=days))
