"""The rules of authorisation applications (一场景一申请一审批). Every function takes an
explicit ``actor``, flushes and raises a domain exception; the caller commits."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from consortium.core.clock import local_today
from consortium.audit.services import set_actor
from consortium.core.entity import clean_values, row_values
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.core.validation import parse_date
from consortium.extensions import db
from consortium.scenarios.services import notify_leads

from . import permissions
from .constants import GUARDED_STAGES
from .models import AuthorisationApplication
from .schemas import ApplicationFields, DecisionFields, WithdrawalFields


def _date(value, field, not_before=None) -> date:
    """The kernel's date (a date or YYYY-MM-DD; today when empty), never in the future and,
    for a decision or a withdrawal, not before the submission."""
    value = parse_date(value, field) or local_today()
    if value > local_today():
        raise DomainError(_("A date cannot be in the future."), field=field)
    if not_before is not None and value < not_before:
        raise DomainError(_("This date cannot be before the submission (%(d)s).", d=not_before.isoformat()),
                          field=field)
    return value


def _require(actor, replication):
    if not permissions.can_write(actor, replication):
        raise PermissionDenied(_("Only the replicating member, the group's lead or the secretariat "
                                 "handle its authorisation."))


def list_applications(replication) -> list[AuthorisationApplication]:
    return db.session.scalars(select(AuthorisationApplication)
                              .where(AuthorisationApplication.replication_id == replication.id)
                              .order_by(AuthorisationApplication.submitted_on.desc(),
                                        AuthorisationApplication.id.desc())).all()


def current_application(replication) -> AuthorisationApplication | None:
    """The open or approved application, if any."""
    return db.session.scalar(select(AuthorisationApplication).where(
        AuthorisationApplication.replication_id == replication.id,
        AuthorisationApplication.status.in_(("submitted", "approved")))
        .order_by(AuthorisationApplication.id.desc()).limit(1))


def get_application(application_id: int) -> AuthorisationApplication | None:
    return db.session.get(AuthorisationApplication, application_id)


def is_authorised(replication) -> bool:
    return db.session.scalar(select(AuthorisationApplication.id).where(
        AuthorisationApplication.replication_id == replication.id,
        AuthorisationApplication.status == "approved").limit(1)) is not None


def submit_application(actor, replication, **fields) -> AuthorisationApplication:
    """Record an application as submitted; ``fields`` are those of ``schemas.ApplicationFields``
    (the submission day is today when not given)."""
    _require(actor, replication)
    clean = clean_values(ApplicationFields, {"submitted_on": None, **fields}, creating=True,
                         special={"submitted_on": lambda value: _date(value, "submitted_on")},
                         messages={"resources": _("Name the data resources requested."),
                                   "authority": _("Name the authority that decides.")})
    if current_application(replication) is not None:
        raise DomainError(_("This replication already has an open or approved application: "
                            "one scenario, one application, one approval."))
    set_actor(actor)
    app = AuthorisationApplication(replication=replication, **row_values(ApplicationFields, clean),
                                   status="submitted", created_by_id=getattr(actor, "id", None))
    db.session.add(app)
    db.session.flush()
    _tell_leads(actor, app, "authorisations.submitted")
    return app


def _answer(definition, application, fields, day, required=(), messages=None) -> dict:
    """The fields of an answer (``definition``: a decision or a withdrawal) as the application's
    columns: its day (today when not given) not before the submission, every other defined field
    as cleaned."""
    clean = clean_values(definition, {day: None, **fields}, creating=True, required=required, messages=messages,
                         special={day: lambda value: _date(value, day, application.submitted_on)})
    return row_values(definition, clean)


def record_decision(actor, application, *, approved: bool, **fields) -> AuthorisationApplication:
    """The authority's answer, as recorded by the member (the authority is not a portal user);
    ``fields`` are those of ``schemas.DecisionFields``: a rejection needs the authority's reason,
    and an empty reference number keeps the one of the submission."""
    _require(actor, application.replication)
    if application.status != "submitted":
        raise DomainError(_("Only a submitted application can be decided."))
    values = _answer(DecisionFields, application, fields, "decided_on", required=() if approved else ("note",),
                     messages={"note": _("Give the authority's reason for the rejection.")})
    if not values.get("reference_no"):
        values.pop("reference_no", None)
    set_actor(actor)
    for name, value in values.items():
        setattr(application, name, value)
    application.status = "approved" if approved else "rejected"
    db.session.flush()
    _tell_leads(actor, application, "authorisations.approved" if approved else "authorisations.rejected")
    return application


def withdraw_application(actor, application, **fields) -> AuthorisationApplication:
    """``fields`` are those of ``schemas.WithdrawalFields``."""
    _require(actor, application.replication)
    if application.status != "submitted":
        raise DomainError(_("Only a submitted application can be withdrawn."))
    values = _answer(WithdrawalFields, application, fields, "withdrawn_on")
    set_actor(actor)
    for name, value in values.items():
        setattr(application, name, value)
    application.status = "withdrawn"
    db.session.flush()
    return application


def _tell_leads(actor, application, kind):
    rep = application.replication
    notify_leads(actor, rep.scenario.group, kind, target_type="replication", target_id=rep.id,
                 payload={"scenario": rep.scenario.title, "city": rep.member.city.name,
                          "authority": application.authority})


def guard_stage(replication, to_stage) -> None:
    """A stage guard of the scenarios domain: when the group asks for the step,
    试点 and 上线 need an approved application."""
    if to_stage in GUARDED_STAGES and replication.scenario.group.authorisation_before_pilot \
            and not is_authorised(replication):
        raise DomainError(_("%(group)s requires an approved authorisation application (one scenario, one "
                            "application, one approval) before the pilot stage. Record it under "
                            "Authorisation first.", group=replication.scenario.group.name), field="to_stage")
