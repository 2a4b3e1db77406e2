"""The rules of a joint negotiation: plain functions with an explicit actor. They flush
and raise domain exceptions; the caller commits. Nothing here logs dossier content."""
import math
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from consortium.audit.services import set_actor
from consortium.core.clock import utcnow, local_today
from consortium.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from consortium.extensions import db
from consortium.notifications.services import notify

from . import permissions, pricing, terms as term_rules
from .constants import (ABANDONED, AGREED, CONCLUDED, CONSULTATION, DRAFTING, EDITABLE, NEGOTIATING,
                        OUTCOME_RESULTS, PRICING_KINDS, STANCES, STATUSES, TRANSITIONS)
from .models import (Amendment, Dossier, DossierEvent, Participant, PositionVersion, PricingModel, Signature,
                     Stance, TermOutcome)


def _label(actor) -> str:
    if actor is None:
        return _("Secretariat")
    who = actor.name or actor.email
    return f"{who} · {actor.member.name}" if actor.member is not None else f"{who} · {_('Secretariat')}"


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


def _quorum(fraction) -> tuple[int, int]:
    if fraction in (None, "", "all"):
        return 1, 1
    try:
        num, den = (int(x) for x in str(fraction).split("/"))
    except ValueError:
        raise DomainError(_("Write the quorum as “all” or a fraction such as 2/3."), field="quorum") from None
    if not (0 < num <= den <= 100):
        raise DomainError(_("Write the quorum as “all” or a fraction such as 2/3."), field="quorum")
    return num, den


# ---- dossiers

def get_dossier(dossier_id) -> Dossier | None:
    return db.session.get(Dossier, dossier_id)


def list_dossiers(actor, *, status=None, q=None):
    stmt = select(Dossier).where(permissions.visible_clause(actor))
    if status in STATUSES:
        stmt = stmt.where(Dossier.status == status)
    if q:
        stmt = stmt.where(or_(Dossier.title.contains(q), Dossier.subject.contains(q)))
    return stmt.order_by(Dossier.updated_at.desc(), Dossier.id.desc())


def list_invitations(actor):
    if not permissions._member_user(actor):
        return []
    return db.session.scalars(select(Dossier).join(Participant).where(
        Participant.member_id == actor.member_id, Participant.status == "invited").order_by(Dossier.id)).all()


def create_dossier(actor, *, title, counterparty, coordinator, subject="", deadline=None, quorum="all",
                   scenarios=(), resources=(), is_illustrative=False) -> Dossier:
    set_actor(actor)
    if actor is not None:
        _require(permissions.can_open_dossier(actor))
        if not actor.is_secretariat and coordinator.id != actor.member_id:
            raise PermissionDenied(_("Only the secretariat can open a dossier for another coordinator."))
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise DomainError(_("A title is required (at most 200 characters)."), field="title")
    if counterparty is None:
        raise DomainError(_("Choose the counterparty."), field="counterparty")
    if coordinator is None or not coordinator.is_active:
        raise DomainError(_("Choose an active member as coordinator."), field="coordinator")
    num, den = _quorum(quorum)
    dossier = Dossier(title=title, subject=subject or "", counterparty=counterparty, coordinator=coordinator,
                      deadline=deadline, quorum_num=num, quorum_den=den, status=DRAFTING,
                      is_illustrative=is_illustrative, scenarios=list(scenarios), resources=list(resources))
    dossier.participants.append(Participant(member=coordinator, status="active", responded_at=utcnow()))
    dossier.events.append(DossierEvent(from_status=None, to_status=DRAFTING, actor_id=getattr(actor, "id", None),
                                       actor_label=_label(actor)))
    db.session.add(dossier)
    db.session.flush()
    return dossier


def update_dossier(actor, dossier, *, title, subject="", deadline=None, quorum="all", scenarios=None,
                   resources=None):
    _coordinator(actor, dossier)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise DomainError(_("A title is required (at most 200 characters)."), field="title")
    dossier.title, dossier.subject, dossier.deadline = title, subject or "", deadline
    dossier.quorum_num, dossier.quorum_den = _quorum(quorum)
    if scenarios is not None:
        dossier.scenarios = list(scenarios)
    if resources is not None:
        dossier.resources = list(resources)
    db.session.flush()
    return dossier


def _move(actor, dossier, to_status, note=""):
    event = DossierEvent(dossier_id=dossier.id, from_status=dossier.status, to_status=to_status,
                         actor_id=getattr(actor, "id", None), actor_label=_label(actor), note=(note or "").strip())
    dossier.status = to_status
    dossier.updated_at = utcnow()
    db.session.add(event)
    db.session.flush()
    _notify_participants(actor, dossier, "negotiations.status", status=to_status,
                         exclude_member_id=getattr(actor, "member_id", None), text=event.note)
    return event


def transition(actor, dossier, to_status, note="") -> DossierEvent:
    """Move the dossier along 起草 → 征求意见 → 达成共识 → 谈判中 → 已结束 (or 已放弃)."""
    _coordinator(actor, dossier)
    if to_status not in STATUSES:
        raise DomainError(_("Unknown status."), field="status")
    if to_status not in TRANSITIONS[dossier.status]:
        raise DomainError(_("A dossier cannot go from “%(a)s” to “%(b)s”.", a=STATUSES[dossier.status],
                            b=STATUSES[to_status]), field="status")
    if to_status == AGREED:
        raise DomainError(_("A dossier reaches “%(agreed)s” only through the sign-on, once the quorum is met.",
                            agreed=STATUSES[AGREED]), field="status")
    if to_status == CONSULTATION and dossier.current_version < 1:
        raise DomainError(_("Save a first version of the position before opening the consultation."),
                          field="status")
    if to_status == DRAFTING:
        dossier.sign_on_version = None
    return _move(actor, dossier, to_status, note)


# ---- participants

def invite(actor, dossier, member) -> Participant:
    _coordinator(actor, dossier)
    if dossier.status in (CONCLUDED, ABANDONED):
        raise DomainError(_("This negotiation is closed."))
    if member is None or not member.is_active:
        raise DomainError(_("Choose an active member."), field="member")
    existing = next((p for p in dossier.participants if p.member_id == member.id), None)
    if existing is not None and existing.status in ("invited", "active"):
        raise DomainError(_("%(name)s is already invited or taking part.", name=member.name), field="member")
    if existing is None:
        existing = Participant(member=member)
        dossier.participants.append(existing)
    existing.status, existing.reason, existing.invited_at, existing.responded_at = "invited", "", utcnow(), None
    db.session.flush()
    notify(actor, member, "negotiations.invited", target_type="dossier", target_id=dossier.id,
           payload={"title": dossier.title, "counterparty": dossier.counterparty.name})
    return existing


def respond(actor, dossier, *, accept: bool, reason="") -> Participant:
    set_actor(actor)
    p = permissions.participation(actor, dossier)
    if p is None or p.status != "invited":
        raise NotFound(_("There is no invitation to answer."))
    p.status = "active" if accept else "declined"
    p.reason = (reason or "").strip()
    p.responded_at = utcnow()
    db.session.flush()
    notify(actor, dossier.coordinator, "negotiations.invitation_answered", target_type="dossier",
           target_id=dossier.id, payload={"title": dossier.title, "member": p.member.name, "accepted": accept},
           text=p.reason)
    return p


def withdraw(actor, dossier, member, reason) -> Participant:
    """The coordinator takes a participant out, with a reason; it loses access at once."""
    _coordinator(actor, dossier)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the withdrawal."), field="reason")
    if member.id == dossier.coordinator_id:
        raise DomainError(_("The coordinator cannot be withdrawn."), field="member")
    p = next((p for p in dossier.participants if p.member_id == member.id and p.status in ("invited", "active")),
             None)
    if p is None:
        raise NotFound(_("This member is not taking part."))
    p.status, p.reason, p.responded_at = "withdrawn", reason, utcnow()
    db.session.flush()
    return p


# ---- the position

def versions(dossier) -> list[PositionVersion]:
    return db.session.scalars(select(PositionVersion).where(PositionVersion.dossier_id == dossier.id)
                              .order_by(PositionVersion.number)).all()


def get_version(dossier, number) -> PositionVersion | None:
    return db.session.scalar(select(PositionVersion).where(PositionVersion.dossier_id == dossier.id,
                                                           PositionVersion.number == number))


def current_position(dossier) -> PositionVersion | None:
    return get_version(dossier, dossier.current_version) if dossier.current_version else None


def _new_version(actor, dossier, clean, base_version: int, note="") -> PositionVersion:
    """Claim the next number with a conditional UPDATE: two saves from the same base
    cannot both succeed (the loser gets a 409, whatever the database)."""
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
    version = PositionVersion(dossier_id=dossier.id, number=base_version + 1, terms=clean, note=(note or "").strip(),
                              author_label=_label(actor))
    db.session.add(version)
    db.session.flush()
    db.session.refresh(dossier)
    return version


def save_position(actor, dossier, raw_terms, *, base_version: int, note="") -> PositionVersion:
    _coordinator(actor, dossier)
    if dossier.status not in EDITABLE:
        raise DomainError(_("The position can only change while drafting or in consultation."))
    if dossier.sign_on_version is not None and dossier.status == CONSULTATION:
        raise DomainError(_("The sign-on is open: cancel it before changing the position."))
    clean = term_rules.clean_terms(raw_terms)
    return _new_version(actor, dossier, clean, int(base_version), note)


def diff_versions(dossier, from_number: int, to_number: int) -> list[dict]:
    old, new = get_version(dossier, from_number), get_version(dossier, to_number)
    if old is None or new is None:
        raise NotFound(_("No such version."))
    return term_rules.diff(old.terms, new.terms)


# ---- amendments

def propose_amendment(actor, dossier, *, term_key, value, reason) -> Amendment:
    _participant(actor, dossier)
    if dossier.status not in EDITABLE:
        raise DomainError(_("Amendments are taken while drafting or in consultation."))
    position = current_position(dossier)
    term = position.term(term_key) if position else None
    if term is None:
        raise DomainError(_("No such term in the current version."), field="term_key")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the amendment."), field="reason")
    parsed = term_rules.parse_value(term["type"], value, term.get("options") or [], label=term["label"])
    amendment = Amendment(dossier_id=dossier.id, term_key=term_key, base_version=dossier.current_version,
                          proposed_value={"value": parsed}, reason=reason, member_id=actor.member_id,
                          author_label=_label(actor))
    db.session.add(amendment)
    db.session.flush()
    if dossier.coordinator_id != actor.member_id:
        notify(actor, dossier.coordinator, "negotiations.amendment", target_type="dossier", target_id=dossier.id,
               payload={"title": dossier.title, "term": term["label"]})
    return amendment


def list_amendments(dossier) -> list[Amendment]:
    return db.session.scalars(select(Amendment).where(Amendment.dossier_id == dossier.id)
                              .order_by(Amendment.id.desc())).all()


def decide_amendment(actor, dossier, amendment, *, accept: bool, reason="") -> Amendment:
    _coordinator(actor, dossier)
    if amendment.dossier_id != dossier.id:
        raise NotFound(_("No such amendment."))
    if amendment.status != "open":
        raise DomainError(_("This amendment was already decided."))
    reason = (reason or "").strip()
    if accept:
        position = current_position(dossier)
        if position is None or position.term(amendment.term_key) is None:
            raise DomainError(_("The term is no longer in the position; reject the amendment instead."))
        if dossier.status not in EDITABLE or (dossier.sign_on_version is not None and dossier.status == CONSULTATION):
            raise DomainError(_("The position can only change while drafting or in consultation."))
        terms = [dict(t, value=amendment.proposed_value["value"]) if t["key"] == amendment.term_key else dict(t)
                 for t in position.terms]
        label = position.term(amendment.term_key)["label"]
        version = _new_version(actor, dossier, term_rules.clean_terms(terms), dossier.current_version,
                               note=_("Amendment accepted: %(term)s", term=label))
        amendment.result_version = version.number
    elif not reason:
        raise DomainError(_("Give the reason for rejecting the amendment."), field="reason")
    amendment.status = "accepted" if accept else "rejected"
    amendment.decision_reason = reason
    amendment.decided_at = utcnow()
    db.session.flush()
    notify(actor, amendment.member, "negotiations.amendment_decided", target_type="dossier", target_id=dossier.id,
           payload={"title": dossier.title, "accepted": accept, "term": amendment.term_key}, text=reason)
    return amendment


# ---- stances: one voice per member organisation

def record_stance(actor, dossier, *, term_key="", stance, comment="") -> Stance:
    _participant(actor, dossier)
    if dossier.status not in EDITABLE:
        raise DomainError(_("Stances are taken while drafting or in consultation."))
    if stance not in STANCES:
        raise DomainError(_("Choose support, support with reservations or oppose."), field="stance")
    position = current_position(dossier)
    if position is None:
        raise DomainError(_("There is no position to take a stance on yet."))
    term_key = term_key or ""
    if term_key and position.term(term_key) is None:
        raise DomainError(_("No such term in the current version."), field="term_key")
    row = Stance(dossier_id=dossier.id, member_id=actor.member_id, term_key=term_key,
                 version=dossier.current_version, stance=stance, comment=(comment or "").strip()[:5000],
                 author_label=_label(actor))
    db.session.add(row)
    db.session.flush()
    return row


def current_stances(dossier) -> dict[tuple[int, str], Stance]:
    """The latest stance of each organisation on each term ('' = the whole position)."""
    latest = (select(func.max(Stance.id)).where(Stance.dossier_id == dossier.id)
              .group_by(Stance.member_id, Stance.term_key))
    # plain rows, not entities: a meter over 40 organisations × 30 terms reads ~1,200 of them
    rows = db.session.execute(select(Stance.member_id, Stance.term_key, Stance.version, Stance.stance,
                                     Stance.comment, Stance.author_label, Stance.created_at)
                              .where(Stance.id.in_(latest))).all()
    return {(s.member_id, s.term_key): s for s in rows}


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


# ---- sign-on (联署)

def call_sign_on(actor, dossier, *, deadline: date | None = None) -> None:
    _coordinator(actor, dossier)
    if dossier.status != CONSULTATION:
        raise DomainError(_("The sign-on is called during the consultation."))
    if dossier.current_version < 1:
        raise DomainError(_("There is no position to sign yet."))
    if deadline is not None and deadline < local_today():
        raise DomainError(_("The sign-on deadline is in the past."), field="deadline")
    dossier.sign_on_version = dossier.current_version
    dossier.sign_on_deadline = deadline
    db.session.flush()
    _notify_participants(actor, dossier, "negotiations.sign_on", version=dossier.current_version,
                         exclude_member_id=getattr(actor, "member_id", None))


def cancel_sign_on(actor, dossier) -> None:
    _coordinator(actor, dossier)
    if dossier.status != CONSULTATION or dossier.sign_on_version is None:
        raise DomainError(_("No sign-on is open."))
    dossier.sign_on_version = None
    dossier.sign_on_deadline = None
    db.session.flush()


def sign(actor, dossier, *, signed: bool, comment="") -> Signature:
    _participant(actor, dossier)
    if dossier.status != CONSULTATION or dossier.sign_on_version is None:
        raise DomainError(_("No sign-on is open."))
    if dossier.sign_on_deadline is not None and local_today() > dossier.sign_on_deadline:
        raise DomainError(_("The sign-on deadline has passed."))
    row = db.session.scalar(select(Signature).where(Signature.dossier_id == dossier.id,
                                                    Signature.member_id == actor.member_id,
                                                    Signature.version == dossier.sign_on_version))
    if row is None:
        row = Signature(dossier_id=dossier.id, member_id=actor.member_id, version=dossier.sign_on_version,
                        signed=signed)
        db.session.add(row)
    row.signed, row.comment, row.author_label, row.created_at = signed, (comment or "").strip(), _label(actor), utcnow()
    db.session.flush()
    return row


def signatures(dossier, version=None) -> list[Signature]:
    version = version if version is not None else dossier.sign_on_version
    if version is None:
        return []
    return db.session.scalars(select(Signature).where(Signature.dossier_id == dossier.id,
                                                      Signature.version == version).order_by(Signature.id)).all()


def quorum_status(dossier) -> dict:
    members = dossier.active_member_ids
    sigs = [s for s in signatures(dossier) if s.member_id in members]
    signed = sum(1 for s in sigs if s.signed)
    needed = math.ceil(len(members) * dossier.quorum_num / dossier.quorum_den)
    return {"signed": signed, "declined": sum(1 for s in sigs if not s.signed), "total": len(members),
            "needed": needed, "met": len(members) > 0 and signed >= needed}


def complete_sign_on(actor, dossier, note="") -> DossierEvent:
    """达成共识, only when the quorum rule is met."""
    _coordinator(actor, dossier)
    if dossier.status != CONSULTATION or dossier.sign_on_version is None:
        raise DomainError(_("No sign-on is open."))
    q = quorum_status(dossier)
    if not q["met"]:
        raise DomainError(_("The quorum is not met: %(signed)d of %(total)d participants signed, %(needed)d needed.",
                            signed=q["signed"], total=q["total"], needed=q["needed"]))
    return _move(actor, dossier, AGREED, note)


# ---- outcome (谈判结果)

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


# ---- pricing and revenue-share models

def list_pricing_models():
    return db.session.scalars(select(PricingModel).order_by(PricingModel.id)).all()


def get_pricing_model(model_id) -> PricingModel | None:
    return db.session.get(PricingModel, model_id)


def save_pricing_model(actor, model=None, *, name, kind, schedule, member=None, description="", source="",
                       is_illustrative=False) -> PricingModel:
    set_actor(actor)
    if actor is not None:
        _require(permissions.can_edit_pricing(actor, model) if model else permissions.can_add_pricing(actor))
        if not actor.is_secretariat:
            member = actor.member
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise DomainError(_("A name is required (at most 200 characters)."), field="name")
    if kind not in PRICING_KINDS:
        raise DomainError(_("Unknown kind of model."), field="kind")
    try:
        clean = pricing.validate_schedule(kind, schedule)
    except DomainError as error:
        raise DomainError(error.message, field="schedule") from None
    if model is None:
        model = PricingModel()
        db.session.add(model)
    model.name, model.kind, model.schedule, model.member = name, kind, clean, member
    model.description, model.source, model.is_illustrative = description or "", source or "", is_illustrative
    db.session.flush()
    return model
