from flask_babel import lazy_gettext as _l

AGREEMENT_STATUSES = {
    "negotiating": _l("Under negotiation"),
    "signed": _l("Signed"),
    "in_force": _l("In force"),
    "ended": _l("Ended"),
}
