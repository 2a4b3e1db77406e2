from flask_babel import lazy_gettext as _l

DRAFTING, CONSULTATION, AGREED, NEGOTIATING, CONCLUDED, ABANDONED = (
    "drafting", "consultation", "agreed", "negotiating", "concluded", "abandoned")
STATUSES = {
    DRAFTING: _l("Drafting"),          # 起草
    CONSULTATION: _l("Consultation"),  # 征求意见
    AGREED: _l("Agreed"),              # 达成共识
    NEGOTIATING: _l("Negotiating"),    # 谈判中
    CONCLUDED: _l("Concluded"),        # 已结束
    ABANDONED: _l("Abandoned"),        # 已放弃
}
# the legal moves; reaching AGREED also needs the sign-on quorum (services.complete_sign_on)
TRANSITIONS = {
    DRAFTING: (CONSULTATION, ABANDONED),
    CONSULTATION: (DRAFTING, AGREED, ABANDONED),
    AGREED: (NEGOTIATING, ABANDONED),
    NEGOTIATING: (CONCLUDED, ABANDONED),
    CONCLUDED: (),
    ABANDONED: (),
}
EDITABLE = (DRAFTING, CONSULTATION)   # the position may change, amendments and stances are taken

PARTICIPANT_STATUSES = {
    "invited": _l("Invited"),
    "active": _l("Participating"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}

STANCES = {"support": _l("Support"), "reserve": _l("Support with reservations"), "oppose": _l("Oppose")}

TERM_TYPES = {
    "money": _l("Amount (CNY)"),
    "percentage": _l("Percentage"),
    "tiered": _l("Tiered revenue share"),
    "choice": _l("Choice"),
    "duration": _l("Duration (months)"),
    "boolean": _l("Yes / no"),
    "text": _l("Free text"),
}

CIRCULATION_MODES = ["供方数据不出域", "基于隐私计算", "数据汇聚至中心节点", "产品在需方开发"]
EXCLUSIVITY = ["不排他", "限时排他", "排他"]

# the standard terms a position starts from: key, label (zh), type, options
TERM_TEMPLATES = [
    ("price_floor", "价格底线", "money", []),
    ("pricing_model", "定价模式", "choice", ["按次计费", "包年订阅", "按收入分成"]),
    ("revenue_split", "与供数单位的收益分成", "tiered", []),
    ("security", "数据安全与合规要求", "text", []),
    ("development_place", "开发场所", "choice", CIRCULATION_MODES),
    ("exclusivity", "排他性", "choice", EXCLUSIVITY),
    ("term_length", "合作期限", "duration", []),
]

AMENDMENT_STATUSES = {"open": _l("Open"), "accepted": _l("Accepted"), "rejected": _l("Rejected")}
OUTCOME_RESULTS = {"met": _l("Met"), "partly": _l("Partly met"), "not_met": _l("Not met")}

PRICING_KINDS = {
    "revenue_share": _l("Tiered revenue share"),
    "progressive": _l("Progressive tiered charge"),
    "staged": _l("Staged pricing"),
}
