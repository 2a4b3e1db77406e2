"""The rules of authorisation applications (一场景一申请一审批). Every function takes an
explicit ``actor``, flushes and raises a domain exception; the caller commits."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from consortium.core.clock import local_today
from consortium.audit.services import set_actor
from consortium.core.entity import clean_values
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


def submit_application(actor, replication, *, resources, scope, authority, submitted_on=None, reference_no="",
                       attachments="") -> AuthorisationApplication:
    _require(actor, replication)
    clean = clean_values(ApplicationFields, {"resources": resources, "scope": scope, "authority": authority,
                                       "reference_no": reference_no, "attachments": attachments})
    if not clean["resources"]:
        raise DomainError(_("Name the data resources requested."), field="resources")
    if not clean["authority"]:
        raise DomainError(_("Name the authority that decides."), field="authority")
    if current_application(replication) is not None:
        raise DomainError(_("This replication already has an open or approved application: "
                            "one scenario, one application, one approval."))
    set_actor(actor)
    app = AuthorisationApplication(replication=replication, **clean, status="submitted",
                                   submitted_on=_date(submitted_on, "submitted_on"),
                                   created_by_id=getattr(actor, "id", None))
    db.session.add(app)
    db.session.flush()
    _tell_leads(actor, app, "authorisations.submitted")
    return app


def record_decision(actor, application, *, approved: bool, decided_on=None, reference_no=None,
                    note="") -> AuthorisationApplication:
    """The authority's answer, as recorded by the member (the authority is not a portal user)."""
    _require(actor, application.replication)
    if application.status != "submitted":
        raise DomainError(_("Only a submitted application can be decided."))
    clean = clean_values(DecisionFields, {"note": note, "reference_no": reference_no})
    if not approved and not clean["note"]:
        raise DomainError(_("Give the authority's reason for the rejection."), field="note")
    set_actor(actor)
    application.decided_on = _date(decided_on, "decided_on", application.submitted_on)
    application.status = "approved" if approved else "rejected"
    application.decision_note = clean["note"]
    if clean["reference_no"]:
        application.reference_no = clean["reference_no"]
    db.session.flush()
    _tell_leads(actor, application, "authorisations.approved" if approved else "authorisations.rejected")
    return application


def withdraw_application(actor, application, *, withdrawn_on=None, note="") -> AuthorisationApplication:
    _require(actor, application.replication)
    if application.status != "submitted":
        raise DomainError(_("Only a submitted application can be withdrawn."))
    clean = clean_values(WithdrawalFields, {"note": note})
    set_actor(actor)
    application.status = "withdrawn"
    application.withdrawn_on = _date(withdrawn_on, "withdrawn_on", application.submitted_on)
    application.decision_note = clean["note"]
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
