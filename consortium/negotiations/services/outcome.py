"""The outcome of a negotiation (谈判结果) and its review date."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.core.clock import local_today
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from ..constants import CONCLUDED, NEGOTIATING, OUTCOME_RESULTS
from ..models import Dossier, TermOutcome
from .common import _coordinator, _notify_participants
from .positions import get_version


def record_outcome(actor, dossier, *, results: dict, summary="", review_on: date | None = None) -> None:
    """``results``: term key -> (met / partly / not_met, obtained value as text)."""
    _coordinator(actor, dossier)
    if dossier.status not in (NEGOTIATING, CONCLUDED):
        raise DomainError(_("The outcome is recorded while negotiating or once concluded."))
    version = get_version(dossier, dossier.sign_on_version or dossier.current_version)
    keys = {t["key"] for t in version.terms} if version else set()
    existing = {o.term_key: o for o in outcomes(dossier)}
    for key, (result, obtained) in results.items():
        if key not in keys:
            raise DomainError(_("No such term in the signed version."), field="results")
        if not result:
            continue
        if result not in OUTCOME_RESULTS:
            raise DomainError(_("Choose met, partly met or not met."), field="results")
        row = existing.get(key) or TermOutcome(dossier_id=dossier.id, term_key=key)
        row.result, row.obtained = result, (obtained or "").strip()
        db.session.add(row)
    dossier.outcome_summary = (summary or "").strip()
    if review_on != dossier.review_on:
        dossier.review_notified_on = None
    dossier.review_on = review_on
    db.session.flush()


def outcomes(dossier) -> list[TermOutcome]:
    return db.session.scalars(select(TermOutcome).where(TermOutcome.dossier_id == dossier.id)
                              .order_by(TermOutcome.id)).all()


def notify_due_reviews(today: date | None = None) -> int:
    """Called by a scheduler (``flask negotiations notify-reviews``): on a dossier's review
    date the participants are notified, once. Returns the number of dossiers notified."""
    today = today or local_today()
    set_actor(None)
    due = db.session.scalars(select(Dossier).where(Dossier.review_on.is_not(None), Dossier.review_on <= today,
                                                   Dossier.review_notified_on.is_(None))).all()
    for dossier in due:
        _notify_participants(None, dossier, "negotiations.review_due", review_on=dossier.review_on.isoformat())
        dossier.review_notified_on = today
    db.session.flush()
    return len(due)
