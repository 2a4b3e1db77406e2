"""The registers' entities, one definition each (``consortium.core.entity``): a registration
body, a certificate, a recognition agreement and the change of one (suspend, resume, revoke),
a trusted data space. Each field's type, limit, vocabulary, label and help are said once, on
its model's column, and the definitions are made from the models here; the services clean values with them, the forms are generated from them, the certificate import
reads its columns from them and the JSON API writes them (``api.py``), described in
/api/v1/openapi.json by the ``*Out`` shapes below.

What a definition does not hold is a reference to another domain's object — a body's city and
operating member, a space's operator and city, a certificate's issuing body, an agreement's two
bodies — which forms offer as runtime choices and the services resolve.

Adding a field: the model, a migration and the translations."""
from flask import url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from consortium.catalog.constants import CIRCULATION_MODES
from consortium.core.api import Computed, Page, PageQuery, QueryDay, answer_context, one_of
from consortium.core.entity import Choices, Day, Text, definition, described, input_schema, output_schema

from .constants import CERTIFICATE_STATES, CERTIFICATE_STATUSES, SPACE_KINDS, SPACE_STATUSES
from .models import Certificate, DataSpace, Recognition, RegistrationBody


# ---------------------------------------------------------------- the definitions, from the models

# A data-asset registration body (登记机构); the API shows ``name`` in the reader's language instead
# of ``name_en``.
BodyFields = definition(RegistrationBody, "BodyFields")
BodyFields.json_hidden = ("name_en",)
# A data-asset registration certificate (登记证书), in the order of the form and of the import's columns.
CertificateFields = definition(Certificate, "CertificateFields")
CertificateFields.json_hidden = ()
# A recognition agreement (互认协议) between a recognising and an issuing body.
RecognitionFields = definition(Recognition, "RecognitionFields")
RecognitionFields.json_hidden = ()


class RecognitionChangeFields(Schema):
    """Suspending, resuming or revoking an agreement: a date and a reason (required to suspend
    or revoke, a rule of the services). An action's fields, not one row's: the date and the
    reason are kept in the suspension's or the agreement's columns of that action."""

    json_hidden = ()

    on = Day(required=True, label=_l("Date"))
    reason = Text(300, label=_l("Reason"))


# A trusted data space (可信数据空间); its circulation modes are kept as a bit mask. The list
# shows ``name`` in the reader's language.
SpaceFields = definition(DataSpace, "SpaceFields", extra={
    "circulation_modes": Choices(CIRCULATION_MODES, label=_l("Circulation modes supported"),
                                 unknown=_l("Unknown circulation mode: %(value)s"))},
    place=(("circulation_modes", "domains"),))
SpaceFields.json_hidden = ("name_en", "description")


def shown(definition) -> dict:
    """name → field, for the definition's fields the JSON API writes."""
    return {n: f for n, f in described(definition).items() if n not in definition.json_hidden}


# ---------------------------------------------------------------- the JSON API's shapes (OpenAPI)

def _out(definition, name: str, extra: dict) -> type[Schema]:
    """An entity's JSON shape: its shown fields as the definition writes them, plus ``extra``."""
    return output_schema(definition, name, extra, exclude=definition.json_hidden)


def _locale() -> str:
    return str(get_locale())


def _day(value):
    return value.isoformat() if value else None


class RegisterMember(Schema):
    code = fields.String(required=True)
    name = fields.Function(lambda m: m.display_name(_locale()), required=True, metadata={"type": "string"})


class RegisterCity(Schema):
    adcode = fields.String(required=True)
    name = fields.Function(lambda c: c.display_name(_locale()), required=True, metadata={"type": "string"})


def _localised_name():
    return {"name": fields.Function(lambda x: x.display_name(_locale()), required=True,
                                    metadata={"type": "string", "description": "in the reader's language"}),
            "name_zh": fields.String(attribute="name", required=True)}


def _url(endpoint, **args):
    return fields.Function(lambda x: url_for(endpoint, **{k: getattr(x, v) for k, v in args.items()}),
                           required=True, metadata={"type": "string"})


BodyOut = _out(BodyFields, "BodyOut", {
    **_localised_name(), "city": fields.Nested(RegisterCity, required=True),
    "operator": fields.Nested(RegisterMember, attribute="member", allow_none=True, required=True),
    "is_example": fields.Boolean(required=True), "url": _url("registers.body", code="code")})

# what a client sends to record a certificate (the service applies the definition's rules)
CertificateCreate = input_schema(CertificateFields, "CertificateCreate", {
    "body": fields.String(required=True, metadata={"description": "the issuing body's code",
                                                   "example": "qingdao-dar"})},
    creating=True)

def _state(c) -> tuple[str, object]:
    """A certificate's (state, since) on the answer's day: the view puts the services' rule in
    the answer's context (``certificate_state``); computed once per certificate."""
    ctx = answer_context()
    cache = ctx.setdefault("certificate_states", {})
    if c.id not in cache:
        cache[c.id] = ctx["certificate_state"](c)
    return cache[c.id]


_STATE = {
    "state": fields.Function(lambda c: _state(c)[0], required=True, metadata={
        "type": "string",
        "description": "what the certificate is today, derived from its dates and recorded events: "
                       "valid | expired | cancelled | revoked | not_yet (``status`` is the event recorded)",
        "enum": list(CERTIFICATE_STATES)}),
    "state_label": fields.Function(lambda c: CERTIFICATE_STATES.label(_state(c)[0], _locale()), required=True,
                                   metadata={"type": "string", "description": "有效, 已过期, 已注销, 已撤销, 未生效 "
                                                                              "(in the reader's language)"}),
    "state_since": fields.Function(lambda c: _day(_state(c)[1]), required=True, metadata={
        "type": ["string", "null"], "format": "date", "description": "the day the state began"}),
}
_CERTIFICATE_EXTRA = {
    "id": fields.Integer(required=True), "issuer": fields.String(attribute="body.code", required=True, metadata={
        "description": "the issuing body's code"}), "url": _url("registers.certificate", certificate_id="id"),
    **_STATE}

CertificateOut = _out(CertificateFields, "CertificateOut", _CERTIFICATE_EXTRA)


class RecognisedOut(Schema):
    """A body that recognises a certificate today, and why (``services.check.Recognised.as_dict``)."""
    body = fields.String(required=True, metadata={"description": "the body's code"})
    name = fields.String(required=True)
    city = fields.String(required=True)
    reason = fields.String(required=True, metadata={"enum": ["own_body", "agreement"]})
    since = fields.String(required=True, metadata={"format": "date"})
    why = fields.String(required=True)
    agreement = fields.String(allow_none=True, required=True, metadata={"description": "the agreement's document"})


CertificateDetailOut = _out(CertificateFields, "CertificateDetailOut", {
    **_CERTIFICATE_EXTRA,
    "recognised_by": Computed(lambda c: answer_context()["recognised_by"], fields.List(fields.Nested(RecognisedOut)),
                              metadata={"description": "every body (so every city) that recognises it today, "
                                                       "and why"})})


class VerifyQuery(Schema):
    number = fields.String(required=True, validate=validate.Length(max=200), metadata={
        "description": "the certificate number; case, full-width characters and spaces do not matter"})
    credit_code = fields.String(validate=validate.Length(max=100), metadata={
        "description": "the holder's unified social credit code: needed only when two bodies use the same number"})


class VerifyIssuer(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    city = fields.String(required=True)


class VerificationOut(Schema):
    """What anyone may learn of a certificate by its number (docs/registers.md;
    ``services.check.Verification.as_dict``)."""
    number = fields.String(required=True)
    date = fields.String(required=True, metadata={"format": "date", "description": "today in Beijing"})
    state = fields.String(required=True, metadata={"enum": list(CERTIFICATE_STATES)})
    state_label = fields.String(required=True)
    since = fields.String(allow_none=True, required=True, metadata={"format": "date"})
    issuer = fields.Nested(VerifyIssuer, required=True)
    holder_name = fields.String(required=True, metadata={"description": "公示: public"})
    product_name = fields.String(required=True)
    issued_on = fields.String(required=True, metadata={"format": "date"})
    valid_until = fields.String(allow_none=True, required=True, metadata={"format": "date"})
    recognised_by = fields.List(fields.Nested(RecognisedOut), required=True)


class RecognitionEventOut(Schema):
    date = fields.Function(lambda e: _day(e["on"]), required=True, metadata={"type": ["string", "null"],
                                                                             "format": "date"})
    event = fields.String(attribute="kind", required=True,
                          metadata={"description": "effective | suspended | resumed | revoked"})
    text = fields.String(required=True)


RecognitionOut = _out(RecognitionFields, "RecognitionOut", {
    "id": fields.Integer(required=True),
    "recognising_body": fields.String(attribute="recognising_body.code", required=True),
    "issuing_body": fields.String(attribute="issuing_body.code", required=True),
    # the state today and the history are the services' (the view puts them in the answer's context)
    "state": fields.Function(lambda r: answer_context()["state"](r), required=True, metadata={
        "type": "string", "description": "in_force | not_yet | suspended | revoked"}),
    "revoked_on": fields.Date(allow_none=True, required=True), "revoke_reason": fields.String(required=True),
    "history": Computed(lambda r: answer_context()["history"](r), fields.List(fields.Nested(RecognitionEventOut))),
    "url": _url("registers.recognition", recognition_id="id")})

_SPACE_EXTRA = {
    "id": fields.Integer(required=True), **_localised_name(),
    "operator": fields.Nested(RegisterMember, allow_none=True, required=True),
    "city": fields.Nested(RegisterCity, allow_none=True, required=True),
    "is_example": fields.Boolean(required=True), "url": _url("registers.space", space_id="id")}
SpaceOut = _out(SpaceFields, "SpaceOut", _SPACE_EXTRA)


class SpaceResourceOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    url = _url("catalog.detail", resource_id="id")


SpaceDetailOut = _out(SpaceFields, "SpaceDetailOut", {
    **_SPACE_EXTRA, "resources": Computed(lambda s: answer_context()["resources"], fields.List(
        fields.Nested(SpaceResourceOut)), metadata={"description": "the resource-map entries linked to it that "
                                                                   "you may see"})})


def _page(item):
    return type(f"{item.__name__.removesuffix('Out')}Page", (Page,), {
        "items": fields.List(fields.Nested(item), required=True)})


BodyPage = _page(BodyOut)
CertificatePage = _page(CertificateOut)
RecognitionPage = _page(RecognitionOut)


class ProgressOut(Schema):
    """Registered trusted data spaces against the national expectation (``queries.data_space_progress``)."""
    total = fields.Integer(required=True)
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    counted = fields.Integer(required=True, metadata={"description": "in operation or under construction"})
    running = fields.Integer(required=True)
    target = fields.Integer(required=True)
    target_year = fields.Integer(required=True)
    share = fields.Float(required=True, metadata={"description": "counted / target"})


class SpacePage(_page(SpaceOut)):
    progress = fields.Nested(ProgressOut, required=True)


# ---------------------------------------------------------------- the API's query strings

class CertificateQuery(PageQuery):
    body = fields.String(metadata={"description": "the issuing body's code"})
    number = fields.String(metadata={"description": "the certificate number (any case or width)"})
    holder_uscc = fields.String(metadata={"description": "the holder's unified social credit code"})
    status = one_of(CERTIFICATE_STATUSES, metadata={"description": "the event recorded"})
    state = one_of(CERTIFICATE_STATES, metadata={"description": "what the certificate is today"})


class RecognitionQuery(PageQuery):
    body = fields.String(metadata={"description": "a body's code: the agreements it is party to"})


class SpaceQuery(PageQuery):
    kind = one_of(SPACE_KINDS)
    status = one_of(SPACE_STATUSES)


class CheckQuery(Schema):
    """Give ``body`` or ``city`` (one is required: the service names the one missing)."""
    certificate = fields.String(required=True, metadata={"description": "the certificate number"})
    body = fields.String(metadata={"description": "the body asked to recognise it (its code)"})
    city = fields.String(metadata={"description": "or the city asked (its name or area code): every body there"})
    issuer = fields.String(metadata={"description": "the issuing body's code, when several issued that number"})
    date = QueryDay(metadata={"description": "the day asked about (default today)"})


class CheckedCertificate(Schema):
    id = fields.Integer(required=True)
    number = fields.String(required=True)
    issuer = fields.String(required=True)


class CheckedAgreement(Schema):
    id = fields.Integer(required=True)
    document_ref = fields.String(required=True)
    mutual = fields.Boolean(required=True)
    recognising_body = fields.String(required=True)
    issuing_body = fields.String(required=True)
    effective_from = fields.String(required=True, metadata={"format": "date"})


CHECK_REASONS = ["own_body", "agreement", "no_agreement", "not_yet", "suspended", "agreement_revoked",
                 "certificate_not_issued", "certificate_cancelled", "certificate_revoked", "certificate_expired"]


class BodyCheckOut(Schema):
    """A body's answer (``services.check.CheckAnswer.as_dict``)."""
    recognised = fields.Boolean(required=True)
    reason = fields.String(required=True, metadata={"enum": CHECK_REASONS})
    message = fields.String(required=True, metadata={"description": "the answer in words, in the reader's language"})
    date = fields.String(required=True, metadata={"format": "date"})
    since = fields.String(allow_none=True, required=True, metadata={"format": "date"})
    certificate = fields.Nested(CheckedCertificate, required=True)
    body = fields.String(required=True)
    agreement = fields.Nested(CheckedAgreement, allow_none=True, required=True)


class CheckCity(Schema):
    adcode = fields.String(required=True)
    name = fields.String(required=True)


class CheckOut(BodyCheckOut):
    """The recognition check's answer: a body's (``body`` asked: ``reason``, ``since``, ``body``,
    ``agreement``) or a city's (``city`` asked: ``city`` and each body's answer in ``bodies``)."""
    reason = fields.String(metadata={"enum": CHECK_REASONS})
    since = fields.String(allow_none=True, metadata={"format": "date"})
    body = fields.String()
    agreement = fields.Nested(CheckedAgreement, allow_none=True)
    city = fields.Nested(CheckCity)
    bodies = fields.List(fields.Nested(BodyCheckOut))
