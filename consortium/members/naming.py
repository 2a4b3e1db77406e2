"""A person's label kept on a row when they acted ("刘洋 · 青岛数据集团", ``User.person_label``:
author of a position version, of a replication event, of an invitation …), read in the reader's
language: the person's name as written, the organisation as the page names it. The label is
read when shown, so rows written before, or by a reader of the other language, read the same."""
from flask import g, has_app_context
from flask_babel import gettext as _
from sqlalchemy import or_, select

from consortium.core.naming import named
from consortium.extensions import db

from .models import Member

SECRETARIAT = ("秘书处", "Secretariat")
SYSTEM = ("系统", "System", "system")


def _member_named(name: str) -> Member | None:
    cache = g.setdefault("_members_by_label", {}) if has_app_context() else {}
    if name not in cache:
        cache[name] = db.session.scalar(select(Member).where(or_(Member.name == name, Member.name_en == name))
                                        .limit(1))
    return cache[name]


def person_label(label: str | None) -> str:
    """``label`` ("person · organisation" or an organisation alone) with the organisation in the
    reader's language; a label naming no member (renamed since, typed by hand) is kept as stored."""
    if not label:
        return label or ""
    person, sep, org = label.rpartition(" · ")
    if org in SECRETARIAT:
        shown = _("Secretariat")
    elif org in SYSTEM:
        shown = _("System")
    else:
        member = _member_named(org)
        if member is None:
            return label
        shown = named(member)
    return f"{person}{sep}{shown}"
