"""The recognition check: is this certificate recognised by that body on that day, and why."""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import lazyload, selectinload

from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.core.validation import parse_date
from consortium.extensions import db

from .. import permissions
from ..models import Certificate, Recognition, RegistrationBody
from .bodies import find_body
from .certificates import find_certificates
from .common import today
from .recognitions import covering_clause, state_on


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
