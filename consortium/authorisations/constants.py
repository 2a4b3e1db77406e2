from flask_babel import lazy_gettext as _l

STATUSES = {
    "submitted": _l("Submitted, waiting for a decision"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}
# The stages a replication reaches only with an approved application when its group asks for the step.
GUARDED_STAGES = ("pilot", "live")
