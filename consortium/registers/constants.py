"""Vocabularies of the registers: certificate statuses, data-space kinds and statuses.
Domains served and circulation modes of a data space reuse the resource map's
vocabularies (``consortium.catalog.constants``)."""
from flask_babel import lazy_gettext as _l

from consortium.core.vocab import Term, Vocabulary

# Each term: code, Chinese label (as users type it), English label.
CERTIFICATE_STATUSES = Vocabulary("certificate_status", [
    Term("valid", "有效", _l("Valid")),
    Term("cancelled", "注销", _l("Cancelled")),
    Term("revoked", "撤销", _l("Revoked")),
])

# What a certificate *is* on a day, derived from its dates and recorded events (never typed):
# services.certificates.certificate_state is the one rule; lists, pages, the API, exports and the check show it.
CERTIFICATE_STATES = Vocabulary("certificate_state", [
    Term("valid", "有效", _l("Valid")),
    Term("expired", "已过期", _l("Expired")),
    Term("cancelled", "已注销", _l("Cancelled")),
    Term("revoked", "已撤销", _l("Revoked")),
    Term("not_yet", "未生效", _l("Not yet in force")),
])

SPACE_KINDS = Vocabulary("space_kind", [
    Term("city", "城市", _l("City")),
    Term("industry", "行业", _l("Industry")),
    Term("enterprise", "企业", _l("Enterprise")),
    Term("personal", "个人", _l("Personal")),
])

SPACE_STATUSES = Vocabulary("space_status", [
    Term("planned", "规划", _l("Planned")),
    Term("building", "建设中", _l("Under construction")),
    Term("running", "运行", _l("Running")),
])

# The national plan's expectation: 100+ trusted data spaces by 2028.
NATIONAL_SPACE_TARGET = 100
NATIONAL_SPACE_TARGET_YEAR = 2028


def label(vocabulary, code: str, locale: str) -> str:
    return vocabulary.label(code, locale)


def code_for(vocabulary, value: str) -> str | None:
    """The code of a value typed as the code, the Chinese or the English label."""
    return vocabulary.find(value)
