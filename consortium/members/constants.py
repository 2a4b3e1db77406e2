"""Vocabularies of the member register (one shape, ``core.vocab``): code, Chinese label,
English label."""
from flask_babel import lazy_gettext as _l

from consortium.core.vocab import Term, Vocabulary

MEMBER_KINDS = Vocabulary("member_kind", [
    Term("data_group", "数据集团", _l("Data group")),
    Term("data_merchant", "数商", _l("Data merchant")),
    Term("research_institute", "研究机构", _l("Research institute")),
    Term("other", "其他", _l("Other")),
])

MEMBER_LEVELS = Vocabulary("member_level", [
    Term("city", "市级", _l("City level")),
    Term("province", "省级", _l("Province level")),
])

MEMBER_STATUSES = Vocabulary("member_status", [
    Term("active", "正常", _l("Active")),
    Term("suspended", "已暂停", _l("Suspended")),
])
