"""Vocabularies of the registers: certificate statuses, data-space kinds and statuses.
Domains served and circulation modes of a data space reuse the resource map's
vocabularies (``consortium.catalog.constants``)."""
from flask_babel import lazy_gettext as _l

# code: (Chinese label as users type it, translatable label)
CERTIFICATE_STATUSES = {
    "valid": ("有效", _l("Valid")),
    "cancelled": ("注销", _l("Cancelled")),
    "revoked": ("撤销", _l("Revoked")),
}

SPACE_KINDS = {
    "city": ("城市", _l("City")),
    "industry": ("行业", _l("Industry")),
    "enterprise": ("企业", _l("Enterprise")),
    "personal": ("个人", _l("Personal")),
}

SPACE_STATUSES = {
    "planned": ("规划", _l("Planned")),
    "building": ("建设中", _l("Under construction")),
    "running": ("运行", _l("Running")),
}

# The national plan's expectation: 100+ trusted data spaces by 2028.
NATIONAL_SPACE_TARGET = 100
NATIONAL_SPACE_TARGET_YEAR = 2028


def label(vocabulary: dict, code: str, locale: str) -> str:
    entry = vocabulary.get(code)
    if entry is None:
        return code
    return entry[0] if locale.startswith("zh") else str(entry[1])


def code_for(vocabulary: dict, value: str) -> str | None:
    """The code of a value typed as the code, the Chinese or the English label."""
    wanted = (value or "").strip().lower()
    for code, (zh, en) in vocabulary.items():
        if wanted in (code, zh.lower(), str(en).lower()):
            return code
    return None
