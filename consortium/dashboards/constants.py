from flask_babel import lazy_gettext as _l

from consortium.core.vocab import Term, Vocabulary

# who may read a dashboard's publications
AUDIENCES = Vocabulary("audiences", [
    Term("public", "公开（无需登录）", _l("Public (no sign-in)")),
    Term("members", "仅成员可见", _l("Members only")),
])
