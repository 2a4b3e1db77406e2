"""The vocabularies of joint negotiations (``core.vocab``: code, Chinese label, English label),
the legal moves of a dossier, and the standard terms a position starts from."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from consortium.core.vocab import Term, Vocabulary

DRAFTING, CONSULTATION, AGREED, NEGOTIATING, CONCLUDED, ABANDONED = (
    "drafting", "consultation", "agreed", "negotiating", "concluded", "abandoned")
STATUSES = Vocabulary("dossier_status", [
    Term(DRAFTING, "起草", _l("Drafting")),
    Term(CONSULTATION, "征求意见", _l("Consultation")),
    Term(AGREED, "达成共识", _l("Agreed")),
    Term(NEGOTIATING, "谈判中", _l("Negotiating")),
    Term(CONCLUDED, "已结束", _l("Concluded")),
    Term(ABANDONED, "已放弃", _l("Abandoned")),
])
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

PARTICIPANT_STATUSES = Vocabulary("participant_status", [
    Term("invited", "已邀请", _l("Invited")),
    Term("active", "参与中", _l("Participating")),
    Term("declined", "已拒绝", _l("Declined")),
    Term("withdrawn", "退出", _l("Withdrawn")),
])

STANCES = Vocabulary("stance", [
    Term("support", "支持", _l("Support")),
    Term("reserve", "有保留地支持", _l("Support with reservations")),
    Term("oppose", "反对", _l("Oppose")),
])

TERM_TYPES = Vocabulary("term_type", [
    Term("money", "金额（元）", _l("Amount (CNY)")),
    Term("percentage", "百分比", _l("Percentage")),
    Term("tiered", "阶梯收益分成", _l("Tiered revenue share")),
    Term("choice", "选项", _l("Choice")),
    Term("duration", "期限（月）", _l("Duration (months)")),
    Term("boolean", "是 / 否", _l("Yes / no")),
    Term("text", "文字", _l("Free text")),
])

# The red line of a term (非谈判条款), by kind: terms.red_line_breach is the one rule the outcome form,
# the outcome, the paper and closing the dossier apply. Amounts, percentages and durations hold a
# bound — a floor (the outcome may not be below it: 价格底线) or a ceiling (not above it); a tiered
# split, a choice, a yes/no and a text are required clauses (anything but 达成 drops them).
NUMERIC_TERMS = ("money", "percentage", "duration")
RED_LINE_BOUNDS = Vocabulary("red_line_bound", [
    Term("floor", "不低于（底线）", _l("At least (a floor)")),
    Term("ceiling", "不高于（上限）", _l("At most (a ceiling)")),
])

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

# The standard terms' texts (labels and choice options) are stored in Chinese as they were added;
# pages show them in the reader's language (``standard_text``). Any other text is the user's own.
STANDARD_TEXTS = {
    "价格底线": _l("Price floor"),
    "定价模式": _l("Pricing model"),
    "按次计费": _l("Pay per use"),
    "包年订阅": _l("Annual subscription"),
    "按收入分成": _l("Share of revenue"),
    "与供数单位的收益分成": _l("Revenue split with the data supplier"),
    "数据安全与合规要求": _l("Data security and compliance requirements"),
    "开发场所": _l("Place of development"),
    "供方数据不出域": _l("Data stays in the supplier's domain"),
    "基于隐私计算": _l("Privacy-preserving computation"),
    "数据汇聚至中心节点": _l("Data pooled at a central node"),
    "产品在需方开发": _l("Product developed on the demand side"),
    "排他性": _l("Exclusivity"),
    "不排他": _l("Not exclusive"),
    "限时排他": _l("Exclusive for a limited time"),
    "排他": _l("Exclusive"),
    "合作期限": _l("Term of cooperation"),
}


def standard_text(text):
    """A standard term's label or option in the reader's language; any other text as written."""
    if text is None or str(get_locale()).startswith("zh"):
        return text
    found = STANDARD_TEXTS.get(str(text))
    return str(found) if found is not None else text


def shown_label(term: dict) -> str:
    return standard_text(term.get("label") or "")


# "open": the catalogue's 打开 (the msgid "Open" is the verb elsewhere) read wrong for an
# amendment awaiting its decision, so its Chinese label is 待处理
AMENDMENT_STATUSES = Vocabulary("amendment_status", [
    Term("open", "待处理", _l("Open")),
    Term("accepted", "已采纳", _l("Accepted")),
    Term("rejected", "已驳回", _l("Rejected")),
])

OUTCOME_RESULTS = Vocabulary("outcome_result", [
    Term("met", "达成", _l("Met")),
    Term("partly", "部分达成", _l("Partly met")),
    Term("not_met", "未达成", _l("Not met")),
])

PRICING_KINDS = Vocabulary("pricing_kind", [
    Term("revenue_share", "阶梯收益分成", _l("Tiered revenue share")),
    Term("progressive", "累进阶梯收费", _l("Progressive tiered charge")),
    Term("staged", "分阶段定价", _l("Staged pricing")),
])


def label(vocabulary: Vocabulary, code) -> str:
    """A code's label in the reader's language (an unknown code as itself, none as "")."""
    return vocabulary.label(code, get_locale()) if code else ""


def labels(vocabulary: Vocabulary) -> dict[str, str]:
    """code → label in the reader's language, in the vocabulary's order (for the templates)."""
    locale = get_locale()
    return {code: term.label(locale) for code, term in vocabulary.items()}

DECISION = {"decision": True}  # a field's metadata: the coordinator writes it when deciding (an amendment's)
