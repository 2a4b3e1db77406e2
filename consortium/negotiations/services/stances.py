"""Stances: one voice per member organisation on the position and on each term."""

import math

from flask_babel import gettext as _
from sqlalchemy import select

from consortium.core.entity import clean_every
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from ..constants import EDITABLE
from ..models import Stance
from ..schemas import StanceFields
from .common import _label, _participant, current_stances
from .positions import current_position


def record_stance(actor, dossier, *, term_key="", **written) -> Stance:
    """``written``: the fields of ``schemas.StanceFields`` (stance, comment …)."""
    _participant(actor, dossier)
    if dossier.status not in EDITABLE:
        raise DomainError(_("Stances are taken while drafting or in consultation."))
    written = clean_every(StanceFields, written,
                           messages={"stance": _("Choose support, support with reservations or oppose.")})
    position = current_position(dossier)
    if position is None:
        raise DomainError(_("There is no position to take a stance on yet."))
    term_key = term_key or ""
    if term_key and position.term(term_key) is None:
        raise DomainError(_("No such term in the current version."), field="term_key")
    row = Stance(dossier_id=dossier.id, member_id=actor.member_id, term_key=term_key,
                 version=dossier.current_version, **written,
                 author_label=_label(actor))
    db.session.add(row)
    db.session.flush()
    return row


def stance_history(dossier, member_id=None) -> list[Stance]:
    stmt = select(Stance).where(Stance.dossier_id == dossier.id)
    if member_id is not None:
        stmt = stmt.where(Stance.member_id == member_id)
    return db.session.scalars(stmt.order_by(Stance.id.desc())).all()


def consensus(dossier, stances=None) -> dict[str, dict]:
    """Per term key ('' = whole): support / reserve / oppose / unanswered among the current
    participants; a stance given on an older version counts as unanswered (and as stale)."""
    stances = current_stances(dossier) if stances is None else stances
    position = current_position(dossier)
    keys = [""] + ([t["key"] for t in position.terms] if position else [])
    members = dossier.active_member_ids
    meter = {}
    for key in keys:
        counts = {"support": 0, "reserve": 0, "oppose": 0, "unanswered": 0, "stale": 0, "total": len(members)}
        for member_id in members:
            s = stances.get((member_id, key))
            if s is None:
                counts["unanswered"] += 1
            elif s.version != dossier.current_version:
                counts["unanswered"] += 1
                counts["stale"] += 1
            else:
                counts[s.stance] += 1
        meter[key] = counts
    return meter


def stance_quorum(dossier, stances=None) -> dict:
    """Who stands on the current version (their stance on the whole position, '' term): the sign-on
    opens only when the dossier's quorum of the current participants has a stance on it
    (``sign_on.call_sign_on``). ``stale``: the members whose latest stance is on an earlier version
    (asked to restate); ``missing``: those with none."""
    stances = current_stances(dossier) if stances is None else stances
    members = dossier.active_member_ids
    current, stale, missing = [], [], []
    for member_id in members:
        s = stances.get((member_id, ""))
        (missing if s is None else current if s.version == dossier.current_version else stale).append(member_id)
    needed = math.ceil(len(members) * dossier.quorum_num / dossier.quorum_den)
    return {"current": len(current), "stale": stale, "missing": missing, "total": len(members), "needed": needed,
            "met": len(members) > 0 and len(current) >= needed}


def stale_participants(dossier) -> list[int]:
    """The participating members whose stance is on an earlier version than the current one."""
    return stance_quorum(dossier)["stale"]
