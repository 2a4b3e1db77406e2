"""Illustrative negotiations (示例): one dossier per status, all with 蚂蚁集团, and the
pricing register (the source's revenue-share rule, a Fujian-style progressive charge
and a Qingdao-style staged price). Only the revenue rule's numbers come from the
source; every dossier and the other schedules are illustrative."""
from datetime import timedelta

from sqlalchemy import func, select

from consortium.core.clock import local_today
from consortium.auth.services import get_user_by_email
from consortium.counterparties.models import Counterparty
from consortium.extensions import db

from . import services
from .models import Dossier, PricingModel

MARK = "（示例 / illustrative）"
REVENUE_RULE = {"tiers": [{"upto": "200000", "supplier": "50", "operator": "50"},
                          {"upto": None, "supplier": "60", "operator": "40"}]}


def _terms(price_floor="300000", split=REVENUE_RULE, exclusivity="不排他", months="24", place="基于隐私计算"):
    return [
        {"key": "price_floor", "label": "价格底线", "type": "money", "value": price_floor,
         "rationale": "三城合计数据量足以支撑单城无法达到的报价。", "red_line": True},
        {"key": "pricing_model", "label": "定价模式", "type": "choice", "value": "按收入分成",
         "options": ["按次计费", "包年订阅", "按收入分成"], "rationale": "与平台共担市场风险。", "red_line": False},
        {"key": "revenue_split", "label": "与供数单位的收益分成", "type": "tiered", "value": split,
         "rationale": "沿用来源材料中的分成规则：20 万元以内五五分成，超出部分供数单位六成。", "red_line": True},
        {"key": "security", "label": "数据安全与合规要求", "type": "text",
         "value": "原始数据不出域；模型训练在可信数据空间内完成；平台不得留存明细数据。", "rationale": "", "red_line": True},
        {"key": "development_place", "label": "开发场所", "type": "choice", "value": place,
         "options": ["供方数据不出域", "基于隐私计算", "数据汇聚至中心节点", "产品在需方开发"], "rationale": "",
         "red_line": False},
        {"key": "exclusivity", "label": "排他性", "type": "choice", "value": exclusivity,
         "options": ["不排他", "限时排他", "排他"], "rationale": "保留与其他平台合作的空间。", "red_line": False},
        {"key": "term_length", "label": "合作期限", "type": "duration", "value": months, "rationale": "",
         "red_line": False},
    ]


def _seed_pricing(members_by_code) -> int:
    if db.session.scalar(select(func.count(PricingModel.id))):
        return 0
    rows = [
        ("供数单位收益分成规则（来源材料）", "revenue_share", REVENUE_RULE, "qingdao",
         "收入 20 万元以内五五分成；超出 20 万元部分按 6:4 分成（供数单位六成）。50 万元收入：供数单位 28 万元，运营方 22 万元。",
         "2025 年城市数据运营共同体报告", False),
        ("福建式公共数据运营服务费累进阶梯" + MARK, "progressive",
         {"tiers": [{"upto": "1000000", "rate": "5"}, {"upto": "5000000", "rate": "3"}, {"upto": None, "rate": "1"}]},
         "fuzhou", "按福建 2025-03-25 收费标准的累进阶梯方式编写的示例费率，不是官方数值。", "示例", True),
        ("青岛式分阶段定价" + MARK, "staged",
         {"stages": [{"name": "初创期", "from": "2025-01-01", "price": "0", "note": "免费"},
                     {"name": "培育期", "from": "2026-01-01", "price": "0.50"},
                     {"name": "成熟期", "from": "2027-07-01", "price": "1.20", "note": "政府指导价"}]},
         "qingdao", "初创期免费，培育期、成熟期（政府指导价）按调用次数计价；单价为示例。", "示例", True),
    ]
    for name, kind, schedule, code, desc, source, illustrative in rows:
        services.save_pricing_model(None, name=name, kind=kind, schedule=schedule, member=members_by_code.get(code),
                                    description=desc, source=source, is_illustrative=illustrative)
    return len(rows)


def seed(members_by_code) -> int:
    created = _seed_pricing(members_by_code)
    ant = db.session.scalar(select(Counterparty).where(Counterparty.name == "蚂蚁集团"))
    users = {code: get_user_by_email(f"{code}@cdou.example") for code in ("qingdao", "wenzhou", "ningbo", "xiamen")}
    needed = ("qingdao", "wenzhou", "ningbo", "xiamen")
    if (ant is None or db.session.scalar(select(func.count(Dossier.id)))
            or not all(users.values()) or not all(c in members_by_code for c in needed)):
        return created
    qd, wz, nb, xm = (users[c] for c in needed)
    m = members_by_code
    today = local_today()

    def open_dossier(title, coordinator_user, others, subject):
        d = services.create_dossier(coordinator_user, title=title + MARK, counterparty=ant,
                                    coordinator=coordinator_user.member, subject=subject,
                                    deadline=today + timedelta(days=30), is_illustrative=True)
        for code in others:
            services.invite(coordinator_user, d, m[code])
            services.respond(users[code], d, accept=True)
        return d

    # 1. the full history: 青岛 (coordinator), 温州, 宁波 on 信贷数据宝 — concluded
    d = open_dossier("信贷数据宝：价格与收益分成联合立场", qd, ("wenzhou", "ningbo"),
                     "青岛、温州、宁波三城就信贷数据产品（信贷数据宝）与蚂蚁集团谈判价格与收益分成。")
    services.save_position(qd, d, _terms(price_floor="250000"), base_version=0, note="初稿")
    services.transition(qd, d, "consultation", note="请各城在两周内表态。")
    services.record_stance(wz, d, stance="reserve", comment="价格底线偏低。")
    services.record_stance(nb, d, term_key="exclusivity", stance="support")
    a1 = services.propose_amendment(wz, d, term_key="price_floor", value="300000",
                                    reason="温州与宁波的数据量合计后，25 万元低于单城报价。")
    services.decide_amendment(qd, d, a1, accept=True)
    a2 = services.propose_amendment(nb, d, term_key="exclusivity", value="限时排他",
                                    reason="以限时排他换取更高分成。")
    services.decide_amendment(qd, d, a2, accept=False, decision_reason="排他会限制其他城市与平台的合作，维持不排他。")
    for user in (qd, wz, nb):
        services.record_stance(user, d, stance="support", comment="同意第 2 版。")
        for key in ("price_floor", "revenue_split"):
            services.record_stance(user, d, term_key=key, stance="support")
    services.call_sign_on(qd, d, deadline=today + timedelta(days=7))
    for user in (qd, wz, nb):
        services.sign(user, d, signed=True, comment="联署")
    services.complete_sign_on(qd, d, note="三城全部联署。")
    services.transition(qd, d, "negotiating", note="与蚂蚁集团首轮会谈。")
    services.record_outcome(qd, d, results={"price_floor": ("partly", "280,000 元"),
                                            "revenue_split": ("met", "按来源规则执行"),
                                            "exclusivity": ("met", "不排他"),
                                            "security": ("met", "原始数据不出域")},
                            summary="价格底线部分达成，分成规则与安全要求全部达成。" + MARK,
                            review_on=today + timedelta(days=180))
    services.transition(qd, d, "concluded", note="签署合作框架。",
                        acknowledgement="价格底线 30 万元未守住（28 万元）：蚂蚁集团书面承诺第二年起按 30 万元执行，"
                                        "三城同意以 28 万元起步。")
    created += 1

    # 2. one dossier in each other status
    d = open_dossier("交通出行数据产品定价", xm, (), "厦门牵头起草。")
    services.save_position(xm, d, _terms(price_floor="150000", months="12"), base_version=0, note="初稿")
    created += 1
    d = open_dossier("医疗数据专病应用合作条件", nb, ("wenzhou",), "宁波牵头，征求意见中。")
    services.save_position(nb, d, _terms(place="供方数据不出域"), base_version=0)
    services.transition(nb, d, "consultation")
    services.record_stance(wz, d, term_key="price_floor", stance="oppose", comment="应提高到 40 万元。")
    created += 1
    d = open_dossier("文旅数据联合授权条件", wz, ("qingdao",), "已达成共识，待谈判。")
    services.save_position(wz, d, _terms(), base_version=0)
    services.transition(wz, d, "consultation")
    for user in (wz, qd):
        services.record_stance(user, d, stance="support")
    services.call_sign_on(wz, d, deadline=today + timedelta(days=14))
    services.sign(wz, d, signed=True)
    services.sign(qd, d, signed=True)
    services.complete_sign_on(wz, d)
    created += 1
    d = open_dossier("普惠金融数据服务续约", qd, ("ningbo",), "谈判进行中。")
    services.save_position(qd, d, _terms(months="36"), base_version=0)
    services.transition(qd, d, "consultation")
    for user in (qd, nb):
        services.record_stance(user, d, stance="support")
    services.call_sign_on(qd, d, deadline=today + timedelta(days=14))
    services.sign(qd, d, signed=True)
    services.sign(nb, d, signed=True)
    services.complete_sign_on(qd, d)
    services.transition(qd, d, "negotiating")
    created += 1
    d = open_dossier("平台统一数据接口收费", xm, (), "需求变化，已放弃。")
    services.transition(xm, d, "abandoned", note="平台方撤回合作需求。")
    created += 1
    return created
