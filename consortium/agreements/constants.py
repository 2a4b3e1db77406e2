"""Vocabulary of co-operation agreements (one shape, ``core.vocab``)."""
from flask_babel import lazy_gettext as _l

from consortium.core.vocab import Term, Vocabulary

AGREEMENT_STATUSES = Vocabulary("agreement_status", [
    Term("negotiating", "洽谈中", _l("Under negotiation")),
    Term("signed", "已签约", _l("Signed")),
    Term("in_force", "执行中", _l("In force")),
    Term("ended", "已终止", _l("Ended")),
])
