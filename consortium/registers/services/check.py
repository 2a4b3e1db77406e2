"""The recognition check — is this certificate recognised by that body, or in that city, on that
day, and why — where a certificate counts (every body that recognises it on a day), and the public
verification of a certificate by its number."""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import lazyload, selectinload

from consortium.core.collation import pinyin_key
from consortium.core.naming import named
from consortium.core.exceptions import DomainError, NotFound, PermissionDenied
from consortium.core.uscc import check_uscc
from consortium.core.validation import parse_date
from consortium.extensions import db
from consortium.geo.services import city_named

from .. import permissions
from ..constants import CERTIFICATE_STATES
from ..models import Certificate, Recognition, RegistrationBody
from .bodies import find_body
from .certificates import certificate_state, find_certificates, number_key
from .common import today
from .recognitions import covering_clause, in_force_clause
from .recognitions import state_on as agreement_state_on  # an agreement's state on a day

# a certificate's state (certificates.certificate_state) → the check's reason when it is not valid
_STATE_REASON = {"not_yet": "certificate_not_issued", "cancelled": "certificate_cancelled",
                 "revoked": "certificate_revoked", "expired": "certificate_expired"}


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
            "own_body": _("Yes: %(body)s issued this certificate itself.", body=named(b)),
            "agreement": _("Yes: %(body)s recognises %(issuer)s's certificates under agreement %(ref)s, in force "
                           "since %(since)s.", body=named(b), issuer=named(c.body), ref=ref, since=since),
            "no_agreement": _("No: %(body)s has no recognition agreement with %(issuer)s.", body=named(b),
                              issuer=named(c.body)),
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


@dataclass
class CityAnswer:
    """The check asked of a city: recognised there when any registration body of the city
    recognises the certificate on that day; one ``CheckAnswer`` per body of the city."""
    recognised: bool
    city: object
    certificate: Certificate
    on: date
    answers: list = field(default_factory=list)

    @property
    def message(self) -> str:
        city = named(self.city)
        yes = [a for a in self.answers if a.recognised]
        if yes:
            return _("Yes: recognised in %(city)s by %(bodies)s.", city=city, bodies=_(", ").join(named(a.body) for a in yes))
        if not self.answers:
            return _("No: no registration body is recorded in %(city)s, so nothing there recognises certificates.",
                     city=city)
        return _("No: no registration body in %(city)s recognises it (%(why)s)", city=city,
                 why="；".join(a.message for a in self.answers))

    def as_dict(self) -> dict:
        return {"recognised": self.recognised, "message": self.message, "date": self.on.isoformat(),
                "city": {"adcode": self.city.adcode, "name": self.city.name},
                "certificate": {"id": self.certificate.id, "number": self.certificate.number,
                                "issuer": self.certificate.body.code},
                "bodies": [a.as_dict() for a in self.answers]}


# when no agreement is in force, the reason shown: the most telling one
_WHY_NOT = ("suspended", "not_yet", "revoked")


def _require_checker(actor):
    if actor is not None and not permissions.can_check_recognition(actor):
        raise PermissionDenied(_("Sign in to check certificates."))


def check_recognition(actor, certificate: Certificate, body: RegistrationBody, on: date) -> CheckAnswer:
    """Is ``certificate`` recognised by ``body`` on ``on``?"""
    _require_checker(actor)

    def answer(ok, reason, **kw):
        return CheckAnswer(ok, reason, certificate, body, on, **kw)

    state, since = certificate_state(certificate, on)
    if state != "valid":
        return answer(False, _STATE_REASON[state], since=since,
                      note=certificate.status_reason if state in ("cancelled", "revoked") else "")
    if certificate.body_id == body.id:
        return answer(True, "own_body")
    agreements = list(db.session.scalars(select(Recognition).options(lazyload("*"), selectinload(Recognition.suspensions)).where(
        covering_clause(body.id, certificate.body_id)).order_by(Recognition.effective_from, Recognition.id)))
    if not agreements:
        return answer(False, "no_agreement")
    states = [(a, *agreement_state_on(a, on)) for a in agreements]
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


def check_in_city(actor, certificate: Certificate, city, on: date) -> CityAnswer:
    """Is ``certificate`` recognised in ``city`` on ``on``: by any of the city's registration bodies?"""
    _require_checker(actor)
    bodies = db.session.scalars(select(RegistrationBody).where(RegistrationBody.city_id == city.id)
                                .order_by(RegistrationBody.code)).all()
    answers = [check_recognition(actor, certificate, b, on) for b in bodies]
    return CityAnswer(any(a.recognised for a in answers), city, certificate, on, answers)


@dataclass
class Recognised:
    """A body that recognises a certificate on a day, and why: it issued it (``own_body``), or an
    agreement in force since ``since`` (``agreement``)."""
    body: RegistrationBody
    reason: str
    since: date
    agreement: Recognition | None = None

    @property
    def message(self) -> str:
        if self.reason == "own_body":
            return _("issued it")
        return _("agreement %(ref)s, in force since %(since)s", ref=self.agreement.document_ref,
                 since=self.since.isoformat())

    def as_dict(self, locale: str) -> dict:
        b = self.body
        return {"body": b.code, "name": b.display_name(locale), "city": b.city.display_name(locale),
                "reason": self.reason, "since": self.since.isoformat(), "why": self.message,
                "agreement": self.agreement.document_ref if self.agreement else None}


def recognised_by(certificate: Certificate, on: date | None = None, locale: str = "zh") -> list[Recognised]:
    """Every body that recognises ``certificate`` on ``on`` (today by default) — so every city where it
    counts — and why: none unless the certificate is valid that day; else its issuing body and each
    body with an agreement in force that accepts the issuer's certificates (one way towards the
    issuer, or mutual). Ordered by the body's name as the reader's language sorts it."""
    on = on or today()
    if certificate_state(certificate, on)[0] != "valid":
        return []
    issuer = certificate.body_id
    found = {issuer: Recognised(certificate.body, "own_body", certificate.issued_on)}
    agreements = db.session.scalars(select(Recognition).where(
        in_force_clause(on), or_(Recognition.issuing_body_id == issuer,
                                 and_(Recognition.mutual.is_(True), Recognition.recognising_body_id == issuer)))
        .order_by(Recognition.effective_from, Recognition.id)).all()
    for a in agreements:
        body = a.recognising_body if a.issuing_body_id == issuer else a.issuing_body
        found.setdefault(body.id, Recognised(body, "agreement", a.effective_from, a))
    english = locale.startswith("en")
    return sorted(found.values(), key=lambda r: (r.reason != "own_body",
                                                 r.body.display_name(locale).lower() if english
                                                 else pinyin_key(r.body.name)))


def _one_certificate(number: str, issuer=None) -> Certificate:
    found = find_certificates(number, issuer)
    if not found:
        raise DomainError(_("No certificate numbered %(number)s is recorded.", number=number), field="certificate")
    if len(found) > 1:
        raise DomainError(_("Several bodies issued a certificate numbered %(number)s (%(bodies)s): choose the "
                            "issuing body.", number=number, bodies="、".join(c.body.name for c in found)),
                          field="issuer")
    return found[0]


def check_from_params(actor, args) -> CheckAnswer | CityAnswer:
    """The check's parameters as the page and the API take them: the certificate's number (and its
    issuer when two bodies use it), the body *or* the city asked to recognise it, the day (today
    by default). DomainError naming the parameter when one is missing, unknown or ambiguous."""
    _require_checker(actor)
    number = (args.get("certificate") or "").strip()
    body_code = (args.get("body") or "").strip()
    city_name = (args.get("city") or "").strip()
    if not number_key(number):
        raise DomainError(_("Give the certificate number."), field="certificate")
    if not body_code and not city_name:
        raise DomainError(_("Choose the body, or the city, that is asked to recognise the certificate."),
                          field="body")
    body = city = None
    if body_code:
        body = find_body(body_code)
        if body is None:
            raise DomainError(_("There is no registration body %(code)s.", code=body_code), field="body")
    else:
        city = city_named(city_name, field="city")
    issuer = None
    if args.get("issuer"):
        issuer = find_body(args["issuer"])
        if issuer is None:
            raise DomainError(_("There is no registration body %(code)s.", code=args["issuer"]), field="issuer")
    on = parse_date(args.get("date"), "date") or today()
    certificate = _one_certificate(number, issuer)
    if body is not None:
        return check_recognition(actor, certificate, body, on)
    return check_in_city(actor, certificate, city, on)


# ---------------------------------------------------------------- public verification

@dataclass
class Verification:
    """What anyone may learn of a certificate by its number (see docs/registers.md, "What a visitor
    sees"): its state today and since when, its issuer, holder and product (公示), its dates, and
    every body that recognises it today."""
    certificate: Certificate
    on: date
    state: str
    since: date | None
    recognised_by: list

    def as_dict(self, locale: str) -> dict:
        c, b = self.certificate, self.certificate.body
        return {"number": c.number, "date": self.on.isoformat(), "state": self.state,
                "state_label": CERTIFICATE_STATES.label(self.state, locale),
                "since": self.since.isoformat() if self.since else None,
                "issuer": {"code": b.code, "name": b.display_name(locale), "city": b.city.display_name(locale)},
                "holder_name": c.holder_name, "product_name": c.product_name,
                "issued_on": c.issued_on.isoformat(), "valid_until": c.valid_until.isoformat() if c.valid_until else None,
                "recognised_by": [r.as_dict(locale) for r in self.recognised_by]}


def verify_certificate(number: str, credit_code: str | None = None, locale: str = "zh") -> Verification:
    """Anyone's check of a certificate by its number — case, full-width characters and spaces do not
    matter — and, when two bodies use the same number, the holder's unified social credit code.
    DomainError naming ``number`` or ``credit_code`` when one is missing or malformed or the number is
    ambiguous (the message never names the other holders); NotFound when nothing matches."""
    if not number_key(number):
        raise DomainError(_("Give the certificate number."), field="number")
    holder = check_uscc(credit_code, field="credit_code") if (credit_code or "").strip() else None
    found = find_certificates(number, holder_uscc=holder)
    if not found:
        raise NotFound(_("No certificate numbered %(number)s is recorded for this credit code.", number=number.strip())
                       if holder else _("No certificate numbered %(number)s is recorded.", number=number.strip()))
    if len(found) > 1:
        raise DomainError(_("Several registration bodies use the number %(number)s: add the holder's unified "
                            "social credit code to tell them apart.", number=number.strip()), field="credit_code")
    certificate = found[0]
    on = today()
    state, since = certificate_state(certificate, on)
    return Verification(certificate, on, state, since, recognised_by(certificate, on, locale))
