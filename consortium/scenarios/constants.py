"""Vocabularies of the scenarios domain: replication stages, maturity,
membership statuses (agreement statuses live in consortium.agreements)."""
from flask_babel import lazy_gettext as _l

# The main line, in order. 停滞 and 退出 sit beside it.
STAGE_LINE = ("interest", "matching", "data_ready", "pilot", "live")
STAGES = {
    "interest": _l("Interest"),
    "matching": _l("Matching"),
    "data_ready": _l("Data readiness"),
    "pilot": _l("Pilot"),
    "live": _l("Live"),
    "stalled": _l("Stalled"),
    "withdrawn": _l("Withdrawn"),
}
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

MATURITIES = {
    "idea": _l("Idea"),
    "pilot": _l("Piloted in one city"),
    "proven": _l("Proven"),
    "mature": _l("Mature product"),
}

MEMBERSHIP_STATUSES = {
    "pending": _l("Waiting for the lead"),
    "approved": _l("Member"),
    "declined": _l("Declined"),
    "removed": _l("Removed"),
}

INVITATION_STATUSES = {
    "pending": _l("Waiting for an answer"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
}

NOTIFICATION_KINDS = ("invitation", "invitation_accepted", "invitation_declined", "join_requested", "join_approved",
                      "join_declined", "join_removed", "stage_changed")

DEFAULT_STALL_DAYS = 60
DEFAULT_PROMOTABLE_CITIES = 3


def stage_rank(stage: str) -> int | None:
    """Position on the main line; None for stalled and withdrawn."""
    return STAGE_LINE.index(stage) if stage in STAGE_LINE else None
