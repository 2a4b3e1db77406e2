"""The JSON shapes of joint negotiations and pricing models (marshmallow), dumped by
/api/v1 and described in /api/v1/openapi.json: a dossier (``DossierOut``, with its
participants, events and sign-on in ``DossierDetailOut``), a position version, an
amendment and a pricing model. Instants are ISO text as stored."""
from marshmallow import Schema, fields

from . import pricing
from . import terms as term_rules


def _stamp(value):
    return value.isoformat() if value is not None else None


_ANY = {}  # a term value or a schedule: any JSON


class CounterpartyRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class DossierOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True)
    counterparty = fields.Nested(CounterpartyRef, required=True)
    coordinator = fields.String(attribute="coordinator.code", required=True)
    deadline = fields.Date(allow_none=True, required=True)
    quorum = fields.String(attribute="quorum_label", required=True)
    current_version = fields.Integer(required=True)
    illustrative = fields.Boolean(attribute="is_illustrative", required=True)


class ParticipantOut(Schema):
    member = fields.String(attribute="member.code", required=True)
    name = fields.String(attribute="member.name", required=True)
    status = fields.String(required=True)
    reason = fields.String(required=True)


class DossierEventOut(Schema):
    from_ = fields.String(attribute="from_status", data_key="from", allow_none=True, required=True)
    to = fields.String(attribute="to_status", required=True)
    at = fields.Function(lambda e: _stamp(e.created_at), required=True,
                         metadata={"type": "string", "description": "ISO 8601, UTC"})
    actor = fields.String(attribute="actor_label", required=True)
    note = fields.String(required=True)


class SignOnRef(Schema):
    version = fields.Integer(attribute="sign_on_version", allow_none=True, required=True)
    deadline = fields.Date(attribute="sign_on_deadline", allow_none=True, required=True)


class DossierDetailOut(DossierOut):
    subject = fields.String(required=True)
    participants = fields.List(fields.Nested(ParticipantOut), required=True)
    events = fields.List(fields.Nested(DossierEventOut), required=True)
    scenario_ids = fields.Function(lambda d: [s.id for s in d.scenarios], required=True,
                                   metadata={"type": "array", "items": {"type": "integer"}})
    resource_ids = fields.Function(lambda d: [r.id for r in d.resources], required=True,
                                   metadata={"type": "array", "items": {"type": "integer"}})
    sign_on = fields.Function(lambda d: SignOnRef().dump(d), required=True, metadata={
        "type": "object", "properties": {"version": {"type": ["integer", "null"]},
                                         "deadline": {"type": ["string", "null"], "format": "date"}}})


class DossierPage(Schema):
    items = fields.List(fields.Nested(DossierOut), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


class VersionOut(Schema):
    number = fields.Integer(required=True)
    created_at = fields.Function(lambda v: _stamp(v.created_at), required=True,
                                 metadata={"type": "string", "description": "ISO 8601, UTC"})
    author = fields.String(attribute="author_label", required=True)
    note = fields.String(required=True)
    terms = fields.Function(lambda v: [dict(t, text=term_rules.format_value(t)) for t in v.terms], required=True,
                            metadata={"type": "array", "items": {"type": "object"},
                                      "description": "each term as stored, with its readable ``text``"})


class AmendmentOut(Schema):
    id = fields.Integer(required=True)
    term = fields.String(attribute="term_key", required=True)
    base_version = fields.Integer(required=True)
    value = fields.Function(lambda a: a.proposed_value.get("value"), required=True, metadata=_ANY)
    reason = fields.String(required=True)
    member = fields.String(attribute="member.code", required=True)
    status = fields.String(required=True)
    decision_reason = fields.String(required=True)
    result_version = fields.Integer(allow_none=True, required=True)


class AmendmentList(Schema):
    items = fields.List(fields.Nested(AmendmentOut), required=True)


class PricingModelOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    member = fields.Function(lambda m: m.member.code if m.member else None, required=True,
                             metadata={"type": ["string", "null"]})
    schedule = fields.Raw(required=True, metadata={"type": "object"})
    description = fields.String(required=True)
    source = fields.String(required=True)
    illustrative = fields.Boolean(attribute="is_illustrative", required=True)
    summary = fields.Function(lambda m: pricing.describe(m.kind, m.schedule), required=True,
                              metadata={"type": "string"})


class PricingModelList(Schema):
    items = fields.List(fields.Nested(PricingModelOut), required=True)
