"""The rules of the registers. Every function takes the acting user explicitly
(``None``: the system — CLI, demo data), flushes only and raises DomainErrors that
name the field; the caller commits."""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import lazyload, selectinload
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from consortium.audit.services import set_actor
from consortium.core.clock import local_today
from consortium.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from consortium.core.validation import parse_date
from consortium.extensions import db

from . import permissions
from .constants import CERTIFICATE_STATUSES, SPACE_KINDS, SPACE_STATUSES
from .models import (
    Certificate,
    DataSpace,
    DataSpaceResource,
    Recognition,
    RecognitionSuspension,
    RegistrationBody,
)


def today() -> date:
    """Today in Beijing: a certificate valid until 2026-06-30 is valid all that Beijing day."""
    return local_today()


def _text(name, value, limit, required=False) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not text:
        raise DomainError(_("This field is required."), field=name)
    if len(text) > limit:
        raise DomainError(_("At most %(n)d characters.", n=limit), field=name)
    return text


def _allowed(check, message):
    if not check:
        raise PermissionDenied(message)


# ---------------------------------------------------------------- bodies

def get_body(code: str) -> RegistrationBody:
    body = db.session.scalar(select(RegistrationBody).where(RegistrationBody.code == (code or "")))
    if body is None:
        raise NotFound(_("There is no registration body %(code)s.", code=code))
    return body


def find_body(value: str) -> RegistrationBody | None:
    """A body by its code or its exact name (what users and spreadsheets type)."""
    value = (value or "").strip()
    return db.session.scalar(select(RegistrationBody).options(lazyload("*")).where(
        or_(RegistrationBody.code == value, RegistrationBody.name == value)))


def _body_values(actor, values: dict) -> dict:
    out = {"name": _text("name", values.get("name"), 120, required=True),
           "name_en": _text("name_en", values.get("name_en"), 160),
           "register_url": _text("register_url", values.get("register_url"), 300)}
    city = values.get("city")
    if city is None:
        raise DomainError(_("Choose the body's city."), field="city")
    out["city_id"] = city.id
    member = values.get("member")
    if actor is not None and not permissions.can_operate_body_for(actor, member):
        raise PermissionDenied(_("Only the secretariat can record a body operated by another member."))
    out["member_id"] = member.id if member is not None else None
    if "is_example" in values:
        out["is_example"] = bool(values["is_example"])
    return out


def create_body(actor, *, code, **values) -> RegistrationBody:
    if actor is not None and not permissions.can_create_body(actor):
        raise PermissionDenied(_("Only member users and the secretariat record registration bodies."))
    set_actor(actor)
    code = _text("code", code, 40, required=True).lower()
    if not all(c.isascii() and (c.isalnum() or c in "-_") for c in code):
        raise DomainError(_("Use lower-case Latin letters, digits and hyphens."), field="code")
    data = _body_values(actor, values)
    if db.session.scalar(select(RegistrationBody.id).where(RegistrationBody.code == code)):
        raise Conflict(_("The code %(code)s is already taken.", code=code), field="code")
    if db.session.scalar(select(RegistrationBody.id).where(RegistrationBody.name == data["name"])):
        raise Conflict(_("A body named %(name)s is already registered.", name=data["name"]), field="name")
    body = RegistrationBody(code=code, **data)
    db.session.add(body)
    db.session.flush()
    return body


def update_body(actor, body, **values) -> RegistrationBody:
    if actor is not None and not permissions.can_manage_body(actor, body):
        raise PermissionDenied(_("Only the operating member's users and the secretariat change this body."))
    set_actor(actor)
    data = _body_values(actor, values)
    other = db.session.scalar(select(RegistrationBody.id).where(RegistrationBody.name == data["name"],
                                                               RegistrationBody.id != body.id))
    if other:
        raise Conflict(_("A body named %(name)s is already registered.", name=data["name"]), field="name")
    for key, value in data.items():
        setattr(body, key, value)
    db.session.flush()
    return body


def managed_bodies(actor) -> list[RegistrationBody]:
    """The bodies whose certificates and agreements this actor records."""
    from consortium.auth.permissions import is_secretariat, is_signed_in
    if not is_signed_in(actor):
        return []
    stmt = select(RegistrationBody).order_by(RegistrationBody.name)
    if not is_secretariat(actor):
        stmt = stmt.where(RegistrationBody.member_id == actor.member_id)
    return [b for b in db.session.scalars(stmt) if permissions.can_manage_body(actor, b)]


# ---------------------------------------------------------------- certificates

def normalise_uscc(value) -> str:
    return "".join(str(value or "").split()).upper()


def check_uscc(value, field="holder_uscc") -> str:
    """The unified social credit code (GB 32100-2015): 18 characters and its check digit."""
    code = normalise_uscc(value)
    if not code:
        raise DomainError(_("This field is required."), field=field)
    try:
        return uscc.validate(code)
    except ValidationError:
        if len(code) != 18:
            raise DomainError(_("A unified social credit code has 18 characters (%(n)d given).", n=len(code)),
                              field=field) from None
        try:
            expected = uscc.calc_check_digit(code[:17])
        except (ValueError, KeyError, IndexError):  # characters outside the code's alphabet
            expected = None
        if expected is not None and expected != code[17]:
            raise DomainError(_("The unified social credit code %(code)s fails its check digit (expected %(d)s).",
                                code=code, d=expected), field=field) from None
        raise DomainError(_("%(code)s is not a valid unified social credit code.", code=code),
                          field=field) from None


def certificate_values(values: dict) -> dict:
    """Validated, normalised certificate fields: one rule for the form, the API and the import."""
    out = {"number": _text("number", values.get("number"), 60, required=True),
           "holder_name": _text("holder_name", values.get("holder_name"), 200, required=True),
           "holder_uscc": check_uscc(values.get("holder_uscc")),
           "product_name": _text("product_name", values.get("product_name"), 200, required=True),
           "issued_on": parse_date(values.get("issued_on"), "issued_on", required=True),
           "valid_until": parse_date(values.get("valid_until"), "valid_until")}
    if out["valid_until"] is not None and out["valid_until"] < out["issued_on"]:
        raise DomainError(_("The end of validity cannot be before the issue date."), field="valid_until")
    status = values.get("status") or "valid"
    if status not in CERTIFICATE_STATUSES:
        raise DomainError(_("Unknown status: %(value)s", value=status), field="status")
    out["status"] = status
    out["status_changed_on"] = parse_date(values.get("status_changed_on"), "status_changed_on")
    out["status_reason"] = _text("status_reason", values.get("status_reason"), 300)
    if status != "valid":
        if out["status_changed_on"] is None:
            raise DomainError(_("Give the date of the cancellation or revocation."), field="status_changed_on")
        if out["status_changed_on"] < out["issued_on"]:
            raise DomainError(_("A certificate cannot end before it was issued."), field="status_changed_on")
    else:
        out["status_changed_on"], out["status_reason"] = None, ""
    return out


def _require_body_writer(actor, body):
    if actor is not None and not permissions.can_manage_body(actor, body):
        raise PermissionDenied(_("Only the operating member's users and the secretariat record this body's "
                                 "certificates."))
    set_actor(actor)


def create_certificate(actor, body, **values) -> Certificate:
    _require_body_writer(actor, body)
    data = certificate_values(values)
    if db.session.scalar(select(Certificate.id).where(Certificate.body_id == body.id,
                                                      Certificate.number == data["number"])):
        raise Conflict(_("%(body)s already has a certificate numbered %(number)s.", body=body.name,
                         number=data["number"]), field="number")
    certificate = Certificate(body_id=body.id, **data)
    db.session.add(certificate)
    db.session.flush()
    return certificate


def update_certificate(actor, certificate, **values) -> Certificate:
    _require_body_writer(actor, certificate.body)
    data = certificate_values(values)
    other = db.session.scalar(select(Certificate.id).where(Certificate.body_id == certificate.body_id,
                                                           Certificate.number == data["number"],
                                                           Certificate.id != certificate.id))
    if other:
        raise Conflict(_("%(body)s already has a certificate numbered %(number)s.", body=certificate.body.name,
                         number=data["number"]), field="number")
    for key, value in data.items():
        setattr(certificate, key, value)
    db.session.flush()
    return certificate


def get_certificate(actor, certificate_id) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not permissions.can_view_certificates(actor):
        raise NotFound(_("No such certificate."))
    return certificate


def find_certificates(number: str, issuer: RegistrationBody | None = None) -> list[Certificate]:
    stmt = select(Certificate).options(lazyload("*")).where(Certificate.number == (number or "").strip())
    if issuer is not None:
        stmt = stmt.where(Certificate.body_id == issuer.id)
    return list(db.session.scalars(stmt.limit(20)))


# ---------------------------------------------------------------- recognition agreements

def covering_clause(recognising_id: int, issuing_id: int):
    """Agreements by which body ``recognising_id`` accepts ``issuing_id``'s certificates."""
    return or_(and_(Recognition.recognising_body_id == recognising_id, Recognition.issuing_body_id == issuing_id),
               and_(Recognition.mutual.is_(True), Recognition.recognising_body_id == issuing_id,
                    Recognition.issuing_body_id == recognising_id))


def in_force_clause(on: date):
    """SQL: the agreement is in force on ``on`` (the same rule as ``state_on``)."""
    suspended = exists().where(RecognitionSuspension.recognition_id == Recognition.id,
                               RecognitionSuspension.starts_on <= on,
                               or_(RecognitionSuspension.ends_on.is_(None), RecognitionSuspension.ends_on > on))
    return and_(Recognition.effective_from <= on,
                or_(Recognition.revoked_on.is_(None), Recognition.revoked_on > on), ~suspended)


def state_on(recognition, on: date) -> tuple[str, object]:
    """("in_force" | "not_yet" | "revoked" | "suspended", the date or suspension concerned).
    Boundaries: in force from ``effective_from`` inclusive; not in force from the revocation
    date, nor from a suspension's first day until (excluding) the day it was resumed."""
    if on < recognition.effective_from:
        return "not_yet", recognition.effective_from
    if recognition.revoked_on is not None and on >= recognition.revoked_on:
        return "revoked", recognition.revoked_on
    for s in recognition.suspensions:
        if s.starts_on <= on and (s.ends_on is None or on < s.ends_on):
            return "suspended", s
    return "in_force", None


def current_state(recognition) -> str:
    return state_on(recognition, today())[0]


def _check_pair(actor, recognising, issuing, mutual):
    if recognising.id == issuing.id:
        raise DomainError(_("A body does not need an agreement with itself."), field="issuing_body")
    if actor is not None and not permissions.can_record_recognition(actor, recognising, issuing, mutual):
        raise PermissionDenied(_("Only the recognising body's operator (for a mutual agreement: either party's) "
                                 "and the secretariat record recognition agreements."))


def create_recognition(actor, *, recognising_body, issuing_body, mutual=False, effective_from=None,
                       document_ref="") -> Recognition:
    if recognising_body is None:
        raise DomainError(_("Choose the recognising body."), field="recognising_body")
    if issuing_body is None:
        raise DomainError(_("Choose the issuing body."), field="issuing_body")
    _check_pair(actor, recognising_body, issuing_body, bool(mutual))
    set_actor(actor)
    effective_from = parse_date(effective_from, "effective_from", required=True)
    document_ref = _text("document_ref", document_ref, 200, required=True)
    clash = db.session.scalar(select(Recognition).where(
        Recognition.revoked_on.is_(None),
        or_(covering_clause(recognising_body.id, issuing_body.id),
            *([covering_clause(issuing_body.id, recognising_body.id)] if mutual else []))).limit(1))
    if clash is not None:
        raise Conflict(_("An agreement between these bodies already exists (%(ref)s): suspend, resume or revoke "
                         "it instead of recording a second one.", ref=clash.document_ref), field="issuing_body")
    recognition = Recognition(recognising_body_id=recognising_body.id, issuing_body_id=issuing_body.id,
                              mutual=bool(mutual), effective_from=effective_from, document_ref=document_ref)
    db.session.add(recognition)
    db.session.flush()
    return recognition


def _require_changer(actor, recognition):
    if actor is not None and not permissions.can_change_recognition(actor, recognition):
        raise PermissionDenied(_("Only the parties' operators and the secretariat change this agreement."))
    set_actor(actor)


def suspend_recognition(actor, recognition, *, on, reason) -> RecognitionSuspension:
    _require_changer(actor, recognition)
    on = parse_date(on, "on", required=True)
    reason = _text("reason", reason, 300, required=True)
    if recognition.revoked_on is not None:
        raise DomainError(_("This agreement was revoked; it cannot be suspended."), field="on")
    if on < recognition.effective_from:
        raise DomainError(_("A suspension cannot start before the agreement takes effect (%(d)s).",
                            d=recognition.effective_from.isoformat()), field="on")
    for s in recognition.suspensions:
        if s.ends_on is None:
            raise DomainError(_("The agreement is already suspended since %(d)s; resume it first.",
                                d=s.starts_on.isoformat()), field="on")
        if on < s.ends_on:
            raise DomainError(_("A suspension must start after the previous one ended (%(d)s).",
                                d=s.ends_on.isoformat()), field="on")
    suspension = RecognitionSuspension(recognition=recognition, starts_on=on, reason=reason)
    db.session.add(suspension)
    db.session.flush()
    return suspension


def resume_recognition(actor, recognition, *, on, reason="") -> RecognitionSuspension:
    _require_changer(actor, recognition)
    on = parse_date(on, "on", required=True)
    reason = _text("reason", reason, 300)
    open_ = next((s for s in recognition.suspensions if s.ends_on is None), None)
    if open_ is None:
        raise DomainError(_("The agreement is not suspended."), field="on")
    if recognition.revoked_on is not None:
        raise DomainError(_("This agreement was revoked; it cannot be resumed."), field="on")
    if on <= open_.starts_on:
        raise DomainError(_("The agreement can be resumed only after the suspension started (%(d)s).",
                            d=open_.starts_on.isoformat()), field="on")
    open_.ends_on, open_.resume_reason = on, reason
    db.session.flush()
    return open_


def revoke_recognition(actor, recognition, *, on, reason) -> Recognition:
    _require_changer(actor, recognition)
    on = parse_date(on, "on", required=True)
    reason = _text("reason", reason, 300, required=True)
    if recognition.revoked_on is not None:
        raise DomainError(_("This agreement was already revoked on %(d)s.", d=recognition.revoked_on.isoformat()),
                          field="on")
    if on < recognition.effective_from:
        raise DomainError(_("A revocation cannot come before the agreement takes effect (%(d)s).",
                            d=recognition.effective_from.isoformat()), field="on")
    recognition.revoked_on, recognition.revoke_reason = on, reason
    db.session.flush()
    return recognition


def history(recognition) -> list[dict]:
    """The agreement's events in date order: signed/in force, suspended, resumed, revoked."""
    events = [{"on": recognition.effective_from, "kind": "effective", "text": recognition.document_ref}]
    for s in recognition.suspensions:
        events.append({"on": s.starts_on, "kind": "suspended", "text": s.reason})
        if s.ends_on is not None:
            events.append({"on": s.ends_on, "kind": "resumed", "text": s.resume_reason})
    if recognition.revoked_on is not None:
        events.append({"on": recognition.revoked_on, "kind": "revoked", "text": recognition.revoke_reason})
    order = {"effective": 0, "resumed": 1, "suspended": 2, "revoked": 3}
    return sorted(events, key=lambda e: (e["on"], order[e["kind"]]))


def get_recognition(recognition_id) -> Recognition:
    recognition = db.session.get(Recognition, recognition_id)
    if recognition is None:
        raise NotFound(_("No such recognition agreement."))
    return recognition


# ---------------------------------------------------------------- the check

@dataclass
class CheckAnswer:
    recognised: bool
    reason: str            # own_body | agreement | no_agreement | not_yet | suspended | agreement_revoked |
    #                        certificate_not_issued | certificate_cancelled | certificate_revoked | certificate_expired
    certificate: Certificate
    body: RegistrationBody
    on: date
    agreement: Recognition | None = None
    since: date | None = None   # the date the reason refers to
    note: str = ""              # a suspension's reason, a revocation's reason

    @property
    def message(self) -> str:
        c, b = self.certificate, self.body
        since = self.since.isoformat() if self.since else ""
        ref = self.agreement.document_ref if self.agreement else ""
        texts = {
            "own_body": _("Yes: %(body)s issued this certificate itself.", body=b.name),
            "agreement": _("Yes: %(body)s recognises %(issuer)s's certificates under agreement %(ref)s, in force "
                           "since %(since)s.", body=b.name, issuer=c.body.name, ref=ref, since=since),
            "no_agreement": _("No: %(body)s has no recognition agreement with %(issuer)s.", body=b.name,
                              issuer=c.body.name),
            "not_yet": _("No: agreement %(ref)s is not yet in force on that date; it takes effect on %(since)s.",
                         ref=ref, since=since),
            "suspended": _("No: agreement %(ref)s is suspended since %(since)s (%(note)s).", ref=ref, since=since,
                           note=self.note),
            "agreement_revoked": _("No: agreement %(ref)s was revoked on %(since)s (%(note)s).", ref=ref,
                                   since=since, note=self.note),
            "certificate_not_issued": _("No: the certificate was issued only on %(since)s.", since=since),
            "certificate_cancelled": _("No: the certificate was cancelled on %(since)s.", since=since),
            "certificate_revoked": _("No: the certificate was revoked on %(since)s.", since=since),
            "certificate_expired": _("No: the certificate expired after %(since)s.", since=since),
        }
        return texts[self.reason]

    def as_dict(self) -> dict:
        a = self.agreement
        return {"recognised": self.recognised, "reason": self.reason, "message": self.message,
                "date": self.on.isoformat(), "since": self.since.isoformat() if self.since else None,
                "certificate": {"id": self.certificate.id, "number": self.certificate.number,
                                "issuer": self.certificate.body.code},
                "body": self.body.code,
                "agreement": None if a is None else {
                    "id": a.id, "document_ref": a.document_ref, "mutual": a.mutual,
                    "recognising_body": a.recognising_body.code, "issuing_body": a.issuing_body.code,
                    "effective_from": a.effective_from.isoformat()}}


# when no agreement is in force, the reason shown: the most telling one
_WHY_NOT = ("suspended", "not_yet", "revoked")


def check_recognition(actor, certificate: Certificate, body: RegistrationBody, on: date) -> CheckAnswer:
    """Is ``certificate`` recognised by ``body`` on ``on``?"""
    if actor is not None and not permissions.can_check_recognition(actor):
        raise PermissionDenied(_("Sign in to check certificates."))

    def answer(ok, reason, **kw):
        return CheckAnswer(ok, reason, certificate, body, on, **kw)

    if on < certificate.issued_on:
        return answer(False, "certificate_not_issued", since=certificate.issued_on)
    if certificate.status != "valid" and certificate.status_changed_on is not None \
            and on >= certificate.status_changed_on:
        return answer(False, f"certificate_{certificate.status}", since=certificate.status_changed_on,
                      note=certificate.status_reason)
    if certificate.valid_until is not None and on > certificate.valid_until:
        return answer(False, "certificate_expired", since=certificate.valid_until)
    if certificate.body_id == body.id:
        return answer(True, "own_body")
    agreements = list(db.session.scalars(select(Recognition).options(lazyload("*"), selectinload(Recognition.suspensions)).where(
        covering_clause(body.id, certificate.body_id)).order_by(Recognition.effective_from, Recognition.id)))
    if not agreements:
        return answer(False, "no_agreement")
    states = [(a, *state_on(a, on)) for a in agreements]
    for a, state, _detail in states:
        if state == "in_force":
            return answer(True, "agreement", agreement=a, since=a.effective_from)
    for wanted in _WHY_NOT:
        for a, state, detail in states:
            if state == wanted:
                if state == "suspended":
                    return answer(False, "suspended", agreement=a, since=detail.starts_on, note=detail.reason)
                if state == "revoked":
                    return answer(False, "agreement_revoked", agreement=a, since=detail, note=a.revoke_reason)
                return answer(False, "not_yet", agreement=a, since=detail)
    raise AssertionError("unreachable")  # pragma: no cover


def check_from_params(actor, args) -> CheckAnswer:
    """The check's parameters as the page and the API take them; DomainError naming the
    parameter when one is missing, unknown or ambiguous."""
    if actor is not None and not permissions.can_check_recognition(actor):
        raise PermissionDenied(_("Sign in to check certificates."))
    number = (args.get("certificate") or "").strip()
    body_code = (args.get("body") or "").strip()
    if not number:
        raise DomainError(_("Give the certificate number."), field="certificate")
    if not body_code:
        raise DomainError(_("Choose the body that is asked to recognise the certificate."), field="body")
    body = find_body(body_code)
    if body is None:
        raise DomainError(_("There is no registration body %(code)s.", code=body_code), field="body")
    issuer = None
    if args.get("issuer"):
        issuer = find_body(args["issuer"])
        if issuer is None:
            raise DomainError(_("There is no registration body %(code)s.", code=args["issuer"]), field="issuer")
    on = parse_date(args.get("date"), "date") or today()
    found = find_certificates(number, issuer)
    if not found:
        raise DomainError(_("No certificate numbered %(number)s is recorded.", number=number), field="certificate")
    if len(found) > 1:
        raise DomainError(_("Several bodies issued a certificate numbered %(number)s (%(bodies)s): choose the "
                            "issuing body.", number=number, bodies="、".join(c.body.name for c in found)),
                          field="issuer")
    return check_recognition(actor, found[0], body, on)


# ---------------------------------------------------------------- trusted data spaces

def space_values(actor, values: dict) -> dict:
    from consortium.catalog.constants import CIRCULATION_MODES, DOMAINS, mask_from_modes
    out = {"name": _text("name", values.get("name"), 120, required=True),
           "name_en": _text("name_en", values.get("name_en"), 200),
           "description": _text("description", values.get("description"), 5000)}
    kind = values.get("kind")
    if kind not in SPACE_KINDS:
        raise DomainError(_("Choose the kind of space."), field="kind")
    status = values.get("status")
    if status not in SPACE_STATUSES:
        raise DomainError(_("Choose the status."), field="status")
    domains = [d for d in (values.get("domains") or []) if d]
    unknown = [d for d in domains if d not in DOMAINS]
    if unknown:
        raise DomainError(_("Unknown domain: %(value)s", value=unknown[0]), field="domains")
    modes = [m for m in (values.get("circulation_modes") or []) if m]
    unknown = [m for m in modes if m not in CIRCULATION_MODES]
    if unknown:
        raise DomainError(_("Unknown circulation mode: %(value)s", value=unknown[0]), field="circulation_modes")
    operator = values.get("operator")
    if actor is not None and not permissions.can_operate_body_for(actor, operator):
        raise PermissionDenied(_("Only the secretariat can record a space operated by another member."))
    city = values.get("city")
    out.update(kind=kind, status=status, domains=",".join(d for d in DOMAINS if d in domains),
               circulation_mask=mask_from_modes(modes), operator_id=operator.id if operator else None,
               city_id=city.id if city else None,
               launched_on=parse_date(values.get("launched_on"), "launched_on"))
    if status == "running" and out["launched_on"] is None:
        raise DomainError(_("A running space has a launch date."), field="launched_on")
    if "is_example" in values:
        out["is_example"] = bool(values["is_example"])
    return out


def create_space(actor, **values) -> DataSpace:
    if actor is not None and not permissions.can_create_space(actor):
        raise PermissionDenied(_("Only member users and the secretariat record data spaces."))
    set_actor(actor)
    data = space_values(actor, values)
    if db.session.scalar(select(DataSpace.id).where(DataSpace.name == data["name"])):
        raise Conflict(_("A data space named %(name)s is already registered.", name=data["name"]), field="name")
    space = DataSpace(**data)
    db.session.add(space)
    db.session.flush()
    return space


def update_space(actor, space, **values) -> DataSpace:
    if actor is not None and not permissions.can_manage_space(actor, space):
        raise PermissionDenied(_("Only the operator's users and the secretariat change this space."))
    set_actor(actor)
    data = space_values(actor, values)
    if db.session.scalar(select(DataSpace.id).where(DataSpace.name == data["name"], DataSpace.id != space.id)):
        raise Conflict(_("A data space named %(name)s is already registered.", name=data["name"]), field="name")
    for key, value in data.items():
        setattr(space, key, value)
    db.session.flush()
    return space


def get_space(space_id) -> DataSpace:
    space = db.session.get(DataSpace, space_id)
    if space is None:
        raise NotFound(_("No such data space."))
    return space


def link_resource(actor, space, resource) -> DataSpaceResource:
    if actor is not None and not permissions.can_link_resource(actor, resource):
        raise PermissionDenied(_("Only the entry's editors link it to a data space."))
    set_actor(actor)
    link = db.session.get(DataSpaceResource, (space.id, resource.id))
    if link is not None:
        raise Conflict(_("%(title)s is already linked to %(space)s.", title=resource.title, space=space.name))
    link = DataSpaceResource(space_id=space.id, resource_id=resource.id)
    db.session.add(link)
    db.session.flush()
    return link


def unlink_resource(actor, space, resource) -> None:
    if actor is not None and not permissions.can_link_resource(actor, resource):
        raise PermissionDenied(_("Only the entry's editors link it to a data space."))
    set_actor(actor)
    link = db.session.get(DataSpaceResource, (space.id, resource.id))
    if link is None:
        raise NotFound(_("This entry is not linked to this space."))
    db.session.delete(link)
    db.session.flush()
