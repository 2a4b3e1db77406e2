"""The common position and its numbered versions (saved with an optimistic lock)."""

from flask_babel import gettext as _
from sqlalchemy import select, update

from consortium.core.clock import utcnow
from consortium.core.entity import clean_every
from consortium.core.exceptions import Conflict, DomainError, NotFound
from consortium.extensions import db
from consortium.notifications.services import notify

from .. import terms as term_rules
from ..constants import CONSULTATION, EDITABLE
from ..models import Dossier, PositionVersion
from ..schemas import VersionFields
from .common import _coordinator, _label, _notify_participants, current_stances


def versions(dossier) -> list[PositionVersion]:
    return db.session.scalars(select(PositionVersion).where(PositionVersion.dossier_id == dossier.id)
                              .order_by(PositionVersion.number)).all()


def get_version(dossier, number) -> PositionVersion | None:
    return db.session.scalar(select(PositionVersion).where(PositionVersion.dossier_id == dossier.id,
                                                           PositionVersion.number == number))


def current_position(dossier) -> PositionVersion | None:
    return get_version(dossier, dossier.current_version) if dossier.current_version else None


def _new_version(actor, dossier, clean, base_version: int, written: dict) -> PositionVersion:
    """Claim the next number with a conditional UPDATE: two saves from the same base
    cannot both succeed (the loser gets a 409, whatever the database). ``written``: the
    version's fields (``schemas.VersionFields``), already checked."""
    claimed = db.session.execute(update(Dossier).where(Dossier.id == dossier.id,
                                                       Dossier.current_version == base_version)
                                 .values(current_version=base_version + 1, updated_at=utcnow())
                                 # the new PositionVersion row, flushed below, is the audited record
                                 .execution_options(synchronize_session=False, audit_bypass_ok=True))
    if claimed.rowcount != 1:
        db.session.refresh(dossier)
        raise Conflict(_("Someone saved the position since you opened it (now version %(n)d). "
                         "Your changes were not saved: reload and apply them again.", n=dossier.current_version),
                       field="version")
    version = PositionVersion(dossier_id=dossier.id, number=base_version + 1, terms=clean, **written,
                              author_label=_label(actor))
    db.session.add(version)
    db.session.flush()
    db.session.refresh(dossier)
    _ask_to_restate(actor, dossier)
    return version


def _ask_to_restate(actor, dossier) -> None:
    """A new version makes earlier stances stale: each participant whose stance on the whole
    position is on an earlier version is asked to restate (a notification; the workspace lists it
    until they do), except the organisation that adopted the version."""
    stances = current_stances(dossier)
    for p in dossier.active_participants:
        s = stances.get((p.member_id, ""))
        if s is None or s.version == dossier.current_version or p.member_id == getattr(actor, "member_id", None):
            continue
        notify(actor, p.member, "negotiations.restate", target_type="dossier", target_id=dossier.id,
               payload={"title": dossier.title, "version": dossier.current_version, "old": s.version})


def save_position(actor, dossier, raw_terms, *, base_version: int, **fields) -> PositionVersion:
    """``fields``: those of ``schemas.VersionFields`` (the note …) that accompany the terms."""
    _coordinator(actor, dossier)
    if dossier.status not in EDITABLE:
        raise DomainError(_("The position can only change while drafting or in consultation."))
    if dossier.sign_on_version is not None and dossier.status == CONSULTATION:
        raise DomainError(_("The sign-on is open: cancel it before changing the position."))
    written = clean_every(VersionFields, fields)
    clean = term_rules.clean_terms(raw_terms)
    version = _new_version(actor, dossier, clean, int(base_version), written)
    if dossier.status == CONSULTATION:  # a new version in consultation: each participant states its stance again
        _notify_participants(actor, dossier, "negotiations.stance_needed", version=version.number,
                             exclude_member_id=getattr(actor, "member_id", None))
    return version


def diff_versions(dossier, from_number: int, to_number: int) -> list[dict]:
    old, new = get_version(dossier, from_number), get_version(dossier, to_number)
    if old is None or new is None:
        raise NotFound(_("No such version."))
    return term_rules.diff(old.terms, new.terms)
