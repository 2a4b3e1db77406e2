from flask_babel import lazy_gettext as _l

MEMBER_KINDS = {
    "data_group": _l("Data group"),
    "data_merchant": _l("Data merchant"),
    "research_institute": _l("Research institute"),
    "other": _l("Other"),
}

MEMBER_LEVELS = {
    "city": _l("City level"),
    "province": _l("Province level"),
}

MEMBER_STATUSES = {
    "active": _l("Active"),
    "suspended": _l("Suspended"),
}
