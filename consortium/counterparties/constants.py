from flask_babel import lazy_gettext as _l

COUNTERPARTY_KINDS = {
    "platform": _l("Internet platform company"),
    "enterprise": _l("Enterprise"),
    "financial": _l("Financial institution"),
    "other": _l("Other"),
}
