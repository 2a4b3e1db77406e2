"""What the negotiation rules share: who did it (the label kept on rows), the checks
that the actor coordinates or takes part, notifying the participants, reading a quorum, and
checking what people write against the entity's definition (``schemas``), and each organisation's
current stances (read by the stances and by a new position version, which asks them to restate)."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from consortium.audit.services import set_actor
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.extensions import db
from consortium.notifications.services import notify

from .. import permissions
from ..models import Stance


def _label(actor) -> str:
    if actor is None:
        return _("Secretariat")
    return actor.person_label


def _require(allowed: bool, message=None):
    if not allowed:
        raise PermissionDenied(message or _("You may not do this in this negotiation."))


def _coordinator(actor, dossier):
    set_actor(actor)
    if actor is not None:
        _require(permissions.can_coordinate(actor, dossier), _("Only the coordinator or the secretariat may do this."))


def _participant(actor, dossier):
    set_actor(actor)
    _require(actor is not None and permissions.can_take_part(actor, dossier),
             _("Only participating members may do this."))


def _notify_participants(actor, dossier, kind, *, exclude_member_id=None, text="", **payload):
    for p in dossier.active_participants:
        if p.member_id != exclude_member_id:
            notify(actor, p.member, kind, target_type="dossier", target_id=dossier.id,
                   payload={"title": dossier.title, **payload}, text=text)


def _write(row, clean: dict):
    """Every defined field on its row, under its own name."""
    for name, value in clean.items():
        setattr(row, name, value)
    return row


ALL_WORDS = {"all", "全部", "全体"}  # the form shows the word of the page's language; the API says all


def _quorum(fraction) -> tuple[int, int]:
    if fraction is None or str(fraction).strip().lower() in ALL_WORDS | {""}:
        return 1, 1
    try:
        num, den = (int(x) for x in str(fraction).split("/"))
    except ValueError:
        raise DomainError(_("Write the quorum as “all” or a fraction such as 2/3."), field="quorum") from None
    if not (0 < num <= den <= 100):
        raise DomainError(_("Write the quorum as “all” or a fraction such as 2/3."), field="quorum")
    return num, den


def current_stances(dossier) -> dict[tuple[int, str], Stance]:
    """The latest stance of each organisation on each term ('' = the whole position)."""
    latest = (select(func.max(Stance.id)).where(Stance.dossier_id == dossier.id)
              .group_by(Stance.member_id, Stance.term_key))
    # plain rows, not entities: a meter over 40 organisations × 30 terms reads ~1,200 of them
    rows = db.session.execute(select(Stance.member_id, Stance.term_key, Stance.version, Stance.stance,
                                     Stance.comment, Stance.author_label, Stance.created_at)
                              .where(Stance.id.in_(latest))).all()
    return {(s.member_id, s.term_key): s for s in rows}
