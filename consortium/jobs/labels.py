"""The states of a job, as people read them."""
from flask_babel import lazy_gettext as _l

STATE_LABELS = {"queued": _l("Waiting to start"), "running": _l("Running"), "done": _l("Ready"),
                "failed": _l("Failed"), "cancelled": _l("Cancelled")}


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))
