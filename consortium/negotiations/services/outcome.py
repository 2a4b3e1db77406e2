"""The outcome of a negotiation (谈判结果) and its review date."""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.core.clock import local_today
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from .. import terms as term_rules
from ..constants import CONCLUDED, NEGOTIATING, OUTCOME_RESULTS, shown_label
from ..models import Dossier, DossierEvent, TermOutcome
from .common import _coordinator, _label, _notify_participants
from .positions import get_version


def record_outcome(actor, dossier, *, results: dict, summary="", review_on: date | None = None,
                   acknowledgement: str = "") -> list["Breach"]:
    """``results``: term key -> (met / partly / not_met, obtained value as text). Returns the red
    lines the outcome breaches (``terms.red_line_breach``): flagged, and allowed while negotiating
    — closing then needs the coordinator's acknowledgement (``dossiers.transition``); once the
    dossier is concluded, an outcome that breaches a red line not acknowledged yet is refused
    unless ``acknowledgement`` gives the reason, which is recorded in the history."""
    _coordinator(actor, dossier)
    if dossier.status not in (NEGOTIATING, CONCLUDED):
        raise DomainError(_("The outcome is recorded while negotiating or once concluded."))
    version = get_version(dossier, dossier.sign_on_version or dossier.current_version)
    keys = {t["key"] for t in version.terms} if version else set()
    existing = {o.term_key: o for o in outcomes(dossier)}
    proposed = {k: (o.result, o.obtained) for k, o in existing.items()}
    for key, (result, obtained) in results.items():
        if key not in keys:
            raise DomainError(_("No such term in the signed version."), field="results")
        if not result:
            continue
        if result not in OUTCOME_RESULTS:
            raise DomainError(_("Choose met, partly met or not met."), field="results")
        proposed[key] = (result, (obtained or "").strip())
    found = _breaches(version, proposed)
    acknowledgement = (acknowledgement or "").strip()
    if dossier.status == CONCLUDED:
        before = {b.key for b in _breaches(version, {k: (o.result, o.obtained) for k, o in existing.items()})}
        new = [b for b in found if b.key not in before]
        if new and not acknowledgement:
            raise DomainError(_("Red lines breached: %(terms)s. The dossier is concluded: give the reason you "
                                "accept this outcome to record it.", terms="；".join(b.message for b in new)),
                              field="acknowledgement")
        if new:
            db.session.add(DossierEvent(dossier_id=dossier.id, from_status=CONCLUDED, to_status=CONCLUDED,
                                        actor_id=getattr(actor, "id", None), actor_label=_label(actor),
                                        note=_("Outcome changed after closing"), acknowledgement=acknowledgement,
                                        breached=[b.key for b in new]))
    for key, (result, obtained) in results.items():
        if not result:
            continue
        row = existing.get(key) or TermOutcome(dossier_id=dossier.id, term_key=key)
        row.result, row.obtained = result, (obtained or "").strip()
        db.session.add(row)
    dossier.outcome_summary = (summary or "").strip()
    if review_on != dossier.review_on:
        dossier.review_notified_on = None
    dossier.review_on = review_on
    db.session.flush()
    return found


@dataclass(frozen=True)
class Breach:
    """A red line the outcome breaches: the term's key and label, and why in words."""
    key: str
    label: str
    message: str


def _breaches(version, results: dict) -> list[Breach]:
    """``results``: term key -> (result, obtained); in the version's order of terms."""
    found = []
    for term in (version.terms if version else []):
        result, obtained = results.get(term["key"], (None, ""))
        message = term_rules.red_line_breach(term, result, obtained)
        if message:
            found.append(Breach(term["key"], shown_label(term), message))
    return found


def breaches(dossier) -> list[Breach]:
    """The red lines the recorded outcome breaches (the outcome page, the paper, the API, closing)."""
    version = get_version(dossier, dossier.sign_on_version or dossier.current_version)
    return _breaches(version, {o.term_key: (o.result, o.obtained) for o in outcomes(dossier)})


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
