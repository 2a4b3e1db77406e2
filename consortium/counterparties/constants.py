"""Vocabulary of the counterparty register (one shape, ``core.vocab``)."""
from flask_babel import lazy_gettext as _l

from consortium.core.vocab import Term, Vocabulary

COUNTERPARTY_KINDS = Vocabulary("counterparty_kind", [
    Term("platform", "互联网平台公司", _l("Internet platform company")),
    Term("enterprise", "企业", _l("Enterprise")),
    Term("financial", "金融机构", _l("Financial institution")),
    Term("other", "其他", _l("Other")),
])
