"""The states of a job, and its one-line summary, as people read them."""
from collections.abc import Callable

from flask_babel import lazy_gettext as _l

STATE_LABELS = {"queued": _l("Waiting to start"), "running": _l("Running"), "done": _l("Ready"),
                "failed": _l("Failed"), "cancelled": _l("Cancelled")}


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


# kind -> summary(job): the finished job's line in the reader's language, written from the record the
# job's domain keeps of the work (a harvest run: its counts or its reason's code), or None
SUMMARIES: dict[str, Callable] = {}


def summary(job) -> str:
    """What a finished job says to its reader: in the reader's language when its kind writes it
    from its domain's record (``job_task(summary=…)``), else the message stored when it finished (in
    the language of the person who started it; the engine's own messages are stored that way too)."""
    describe = SUMMARIES.get(job.kind)
    if describe is not None and job.state == "done":
        said = describe(job)
        if said:
            return said
    return job.message or ""
