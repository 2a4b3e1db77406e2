"""Vocabularies of the scenarios domain: replication stages, maturity,
membership and invitation statuses (agreement statuses live in consortium.agreements).
Each is a ``core.vocab.Vocabulary`` of Terms: the code stored, the Chinese label, the English
label; read a label with ``STAGES.label(code, locale)`` (or ``label(STAGES, code)`` for the
current language)."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from consortium.core.vocab import Term, Vocabulary

# The main line, in order. 停滞 and 退出 sit beside it.
STAGE_LINE = ("interest", "matching", "data_ready", "pilot", "live")
SIDE_STAGES = ("stalled", "withdrawn")
STAGES = Vocabulary("replication_stage", [
    Term("interest", "意向", _l("Interest")),
    Term("matching", "对接", _l("Matching")),
    Term("data_ready", "数据准备", _l("Data readiness")),
    Term("pilot", "试点", _l("Pilot")),
    Term("live", "上线", _l("Live")),
    Term("stalled", "停滞", _l("Stalled")),
    Term("withdrawn", "退出", _l("Withdrawn")),
])
# Colours of the board (matrix cells, funnel bars, timeline markers).
STAGE_COLOURS = {
    "interest": "#cfe2ff",
    "matching": "#9ec5fe",
    "data_ready": "#6ea8fe",
    "pilot": "#ffc107",
    "live": "#198754",
    "stalled": "#dc3545",
    "withdrawn": "#adb5bd",
}

MATURITIES = Vocabulary("maturity", [
    Term("idea", "构想", _l("Idea")),
    Term("pilot", "单城试点", _l("Piloted in one city")),
    Term("proven", "已验证", _l("Proven")),
    Term("mature", "成熟产品", _l("Mature product")),
])

MEMBERSHIP_STATUSES = Vocabulary("group_membership_status", [
    Term("pending", "待牵头单位审批", _l("Waiting for the lead")),
    Term("approved", "成员单位", _l("Member")),
    Term("declined", "已拒绝", _l("Declined")),
    Term("removed", "已移出", _l("Removed")),
])

INVITATION_STATUSES = Vocabulary("invitation_status", [
    Term("pending", "等待答复", _l("Waiting for an answer")),
    Term("accepted", "已采纳", _l("Accepted")),
    Term("declined", "已拒绝", _l("Declined")),
])

NOTIFICATION_KINDS = ("invitation", "invitation_accepted", "invitation_declined", "join_requested", "join_approved",
                      "join_declined", "join_removed", "stage_changed")

DEFAULT_STALL_DAYS = 60
DEFAULT_PROMOTABLE_CITIES = 3


def stage_rank(stage: str) -> int | None:
    """Position on the main line; None for stalled and withdrawn."""
    return STAGE_LINE.index(stage) if stage in STAGE_LINE else None


def label(vocabulary: Vocabulary, code) -> str:
    """A term's label in the current language (the code itself when unknown)."""
    return vocabulary.label(code, get_locale())
