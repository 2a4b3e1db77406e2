"""The definition of each negotiation entity people write (``DossierFields``, ``VersionFields``,
``AmendmentFields``, ``StanceFields``, ``PricingModelFields``), made from its model, whose
columns declare each field's label and help (the kind and limit are the column's, the
vocabulary named there; see ``consortium.core.entity``), and the JSON shapes
dumped by /api/v1 and described in /api/v1/openapi.json, derived from them: a dossier
(``DossierOut``, with its participants, events and sign-on in ``DossierDetailOut``), a position
version, an amendment and a pricing model. Instants are ISO text as stored.

The services take the definitions' fields (``**written``/``**fields``: what a person writes on a
dossier, a move, an answer, a signature, an amendment and its decision, a stance, a term) and
their rules (limits, vocabularies, required) from the definitions, and write every defined field
to the row; the forms are generated from them, and the pages give a defined field they do not lay
out by hand an input and a line. Adding a field: the model, a migration and the translations (a
term's fields are stored in the version's JSON, no column: ``TermFields`` here, no migration)."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from consortium.core.api import Computed, Page, PageQuery, QueryDay, StrictBoolean, Whole, answer_context, one_of
from consortium.core.entity import Choice, Flag, Text, definition, described, input_schema, output_schema
from consortium.core.naming import named
from consortium.core.requests import DB_INT_MAX
from consortium.members.naming import person_label

from . import pricing
from .constants import OUTCOME_RESULTS, PRICING_KINDS, RED_LINE_BOUNDS, STANCES, STATUSES, TERM_TYPES
from .models import Amendment, Dossier, DossierEvent, Participant, PositionVersion, PricingModel, Signature, Stance
from .term_values import format_value


# ---- the definitions

# What the coordinator writes on a dossier; its quorum is kept as a fraction (two columns). The
# counterparty, the coordinator and the linked scenarios and entries are chosen from lists only
# known at run time (forms.DossierForm).
DossierFields = definition(Dossier, "DossierFields", extra={
    "quorum": Text(10, label=_l("Quorum for the sign-on"), required=True,
                   help=_l("“all”, or a fraction of the participants such as 2/3."))})


class TermFields(Schema):
    """One term of a position: a row of the position editor, an item of a version's ``terms``
    in the API. ``terms.clean_terms`` checks each term of a list with this definition (in its
    order: the name first, the key's message names it) and stores every field of it; the value
    is read by the term's type, and a choice's options are a list."""
    label = Text(200, label=_l("Term"), required=True)
    key = Text(60, label=_l("Term"))
    type = Choice(TERM_TYPES, label=_l("Kind"), required=True, plain=True)
    rationale = Text(10000, label=_l("Rationale"), multiline=True)
    red_line = Flag(label=_l("Red line"))
    bound = Choice(RED_LINE_BOUNDS, label=_l("Red line bound"), blank=_l("A floor (default)"), plain=True,
                   help=_l("For an amount, a percentage or a duration marked as a red line: whether the outcome "
                           "may not fall below it (a floor) or rise above it (a ceiling)."))


# What accompanies a saved position besides its terms (``TermFields``).
VersionFields = definition(PositionVersion, "VersionFields")
# A participant's amendment to one term of the current version, and what the coordinator writes
# when deciding it (the fields marked ``metadata=DECISION``). The value (kept in ``proposed_value``)
# is read by the term's own type (``terms.parse_value``); its limit is the longest text a term takes.
AmendmentFields = definition(Amendment, "AmendmentFields", extra={
    "value": Text(10000, label=_l("Proposed value"), required=True, multiline=True)},
    place=(("value", "reason"),))


def decision_fields(definition) -> tuple[str, ...]:
    """The fields of an amendment's definition the coordinator writes when deciding it."""
    return tuple(name for name, f in described(definition).items() if f.metadata.get("decision"))


def proposal_fields(definition) -> tuple[str, ...]:
    """The fields of an amendment's definition the participant writes when proposing it."""
    return tuple(name for name in described(definition) if name not in decision_fields(definition))


EventFields = definition(DossierEvent, "EventFields")  # a move of the dossier along its statuses
ParticipantFields = definition(Participant, "ParticipantFields")  # a member's part in a dossier
SignatureFields = definition(Signature, "SignatureFields")  # a member's answer to the sign-on
StanceFields = definition(Stance, "StanceFields")  # on the position or one of its terms
PricingModelFields = definition(PricingModel, "PricingModelFields")  # a model of the register


# ---- the answers


def _stamp(value):
    return value.isoformat() if value is not None else None


_ANY = {}  # a term value or a schedule: any JSON


class CounterpartyRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


_DOSSIER_REFS = {
    "id": fields.Integer(required=True),
    "status": fields.String(required=True),
    "counterparty": fields.Nested(CounterpartyRef, required=True),
    "coordinator": fields.String(attribute="coordinator.code", required=True),
    "quorum": fields.String(attribute="quorum_label", required=True),
    "current_version": fields.Integer(required=True),
    "illustrative": fields.Boolean(attribute="is_illustrative", required=True),
}
DossierOut = output_schema(DossierFields, "DossierOut", _DOSSIER_REFS, exclude=("subject",))


ParticipantOut = output_schema(ParticipantFields, "ParticipantOut", {
    "member": fields.String(attribute="member.code", required=True),
    "name": fields.Function(lambda p: named(p.member), required=True,
                            metadata={"type": "string", "description": "the member's name in the reader's language (the English name on English requests where the data has one)"}),
    "status": fields.String(required=True),
})


DossierEventOut = output_schema(EventFields, "DossierEventOut", {
    "from_": fields.String(attribute="from_status", data_key="from", allow_none=True, required=True),
    "to": fields.String(attribute="to_status", required=True),
    "at": fields.Function(lambda e: _stamp(e.created_at), required=True,
                          metadata={"type": "string", "description": "ISO 8601, UTC"}),
    "actor": fields.String(attribute="actor_label", required=True),
})


class SignOnRef(Schema):
    version = fields.Integer(attribute="sign_on_version", allow_none=True, required=True)
    deadline = fields.Date(attribute="sign_on_deadline", allow_none=True, required=True)


DossierDetailOut = output_schema(DossierFields, "DossierDetailOut", {
    **_DOSSIER_REFS,
    "participants": fields.List(fields.Nested(ParticipantOut), required=True),
    "events": fields.List(fields.Nested(DossierEventOut), required=True),
    "scenario_ids": fields.Function(lambda d: [s.id for s in d.scenarios], required=True,
                                    metadata={"type": "array", "items": {"type": "integer"}}),
    "resource_ids": fields.Function(lambda d: [r.id for r in d.resources], required=True,
                                    metadata={"type": "array", "items": {"type": "integer"}}),
    "sign_on": fields.Function(lambda d: SignOnRef().dump(d), required=True, metadata={
        "type": "object", "properties": {"version": {"type": ["integer", "null"]},
                                         "deadline": {"type": ["string", "null"], "format": "date"}}}),
})


class DossierPage(Page):
    items = fields.List(fields.Nested(DossierOut), required=True)


class DossierQuery(PageQuery):
    status = one_of(STATUSES)
    q = fields.String(metadata={"description": "part of the title"})


class VersionLine(Schema):
    number = fields.Integer(required=True)
    created_at = fields.Function(lambda v: v.created_at.isoformat(), required=True,
                                 metadata={"type": "string", "description": "ISO 8601"})
    author = fields.Function(lambda v: person_label(v.author_label), required=True,
                             metadata={"type": "string", "description": "the person as stored and the organisation in the reader's language"})
    note = fields.String(required=True)
    terms = fields.Function(lambda v: len(v.terms), required=True,
                            metadata={"type": "integer", "description": "how many terms"})


class VersionsOut(Schema):
    current = fields.Integer(attribute="current_version", required=True)
    items = fields.List(fields.Nested(VersionLine), required=True)


class DiffQuery(Schema):
    from_ = Whole(data_key="from", required=True, validate=validate.Range(min=1, max=DB_INT_MAX),
                           metadata={"description": "the older version's number"})
    to = Whole(required=True, validate=validate.Range(min=1, max=DB_INT_MAX),
                        metadata={"description": "the newer version's number"})


class FieldChange(Schema):
    field = fields.String(required=True, metadata={"description": "the field's name, in the reader's language"})
    old = fields.String(required=True)
    new = fields.String(required=True)


class TermChange(Schema):
    change = fields.String(required=True, metadata={"enum": ["added", "changed", "removed"]})
    key = fields.String(required=True)
    label = fields.String(required=True)
    red_line = fields.Boolean(required=True)
    old = fields.String(metadata={"description": "a removed term's value, in words"})
    new = fields.String(metadata={"description": "an added term's value, in words"})
    fields_ = fields.List(fields.Nested(FieldChange), data_key="fields", attribute="fields", required=True,
                          metadata={"description": "what changed in a changed term"})


class DiffOut(Schema):
    from_ = fields.Integer(data_key="from", attribute="from", required=True)
    to = fields.Integer(required=True)
    changes = fields.List(fields.Nested(TermChange), required=True)


VersionOut = output_schema(VersionFields, "VersionOut", {
    "number": fields.Integer(required=True),
    "created_at": fields.Function(lambda v: _stamp(v.created_at), required=True,
                                  metadata={"type": "string", "description": "ISO 8601, UTC"}),
    "author": fields.Function(lambda v: person_label(v.author_label), required=True,
                              metadata={"type": "string", "description": "the person as stored and the organisation in the reader's language"}),
    "terms": fields.Function(lambda v: [dict(t, text=format_value(t)) for t in v.terms], required=True,
                             metadata={"type": "array", "items": {"type": "object"},
                                       "description": "each term as stored, with its readable ``text``"}),
})


AmendmentOut = output_schema(AmendmentFields, "AmendmentOut", {
    "id": fields.Integer(required=True),
    "term": fields.String(attribute="term_key", required=True),
    "base_version": fields.Integer(required=True),
    # the value as the term's type reads it (a number, a schedule…), not the text typed
    "value": fields.Function(lambda a: a.proposed_value.get("value"), required=True, metadata=_ANY),
    "member": fields.String(attribute="member.code", required=True),
    "status": fields.String(required=True),
    "result_version": fields.Integer(allow_none=True, required=True),
})


class AmendmentList(Schema):
    items = fields.List(fields.Nested(AmendmentOut), required=True)


PricingModelOut = output_schema(PricingModelFields, "PricingModelOut", {
    "id": fields.Integer(required=True),
    "member": fields.Function(lambda m: m.member.code if m.member else None, required=True,
                              metadata={"type": ["string", "null"]}),
    # kept as data (tiers, stages), not the text typed in the form
    "schedule": fields.Raw(required=True, metadata={"type": "object"}),
    "summary": fields.Function(lambda m: pricing.describe(m.kind, m.schedule), required=True,
                               metadata={"type": "string"}),
}, keys={"is_illustrative": "illustrative"})


StanceOut = output_schema(StanceFields, "StanceOut", {
    # stances are read as plain rows (a meter reads ~1,200): the API adds the organisation's
    # code and whether the stance is on the current version
    "member": fields.Function(lambda s: answer_context()["codes"].get(s.member_id), required=True,
                              metadata={"type": ["string", "null"]}),
    "current": fields.Function(lambda s: s.version == answer_context()["current"], required=True,
                               metadata={"type": "boolean", "description": "on the current version"}),
    "term": fields.String(attribute="term_key", required=True),
    "version": fields.Integer(required=True),
    "by": fields.Function(lambda s: person_label(s.author_label), required=True,
                          metadata={"type": "string", "description": "the person as stored and the organisation in the reader's language"}),
    "at": fields.Function(lambda s: _stamp(s.created_at), required=True,
                          metadata={"type": "string", "description": "ISO 8601, UTC"}),
})


class StanceWritten(Schema):
    member = fields.String(attribute="member.code", required=True)
    term = fields.String(attribute="term_key", required=True)
    stance = fields.String(required=True, metadata={"enum": list(STANCES)})
    version = fields.Integer(required=True)


class StanceList(Schema):
    version = fields.Integer(required=True)
    consensus = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()),
                            required=True, metadata={"description": "per term key ('' = the whole position): "
                                                                    "support, reserve, oppose, unanswered, stale, total"})
    items = fields.List(fields.Nested(StanceOut), required=True)


class PricingModelList(Schema):
    items = fields.List(fields.Nested(PricingModelOut), required=True)


class QuorumOut(Schema):
    signed = fields.Integer(required=True)
    declined = fields.Integer(required=True)
    total = fields.Integer(required=True, metadata={"description": "active participants"})
    needed = fields.Integer(required=True)
    met = fields.Boolean(required=True)


SignatureOut = output_schema(SignatureFields, "SignatureOut", {
    "member": fields.String(attribute="member.code", required=True),
    "signed": fields.Boolean(required=True),
    "at": fields.Function(lambda s: s.created_at.isoformat(), required=True,
                          metadata={"type": "string", "description": "ISO 8601"}),
})


class StanceQuorumOut(Schema):
    """Stances on the current version: the rule for opening the sign-on."""
    current = fields.Integer(required=True, metadata={"description": "members with a stance on the current version"})
    needed = fields.Integer(required=True)
    total = fields.Integer(required=True, metadata={"description": "active participants"})
    stale = fields.Function(lambda q: len(q["stale"]), required=True, metadata={
        "type": "integer", "description": "members whose stance is on an earlier version (asked to restate)"})
    missing = fields.Function(lambda q: len(q["missing"]), required=True,
                              metadata={"type": "integer", "description": "members with no stance"})
    met = fields.Boolean(required=True)


class SignOnOut(Schema):
    version = fields.Integer(attribute="dossier.sign_on_version", allow_none=True, required=True,
                             metadata={"description": "the version put to sign-on"})
    deadline = fields.Date(attribute="dossier.sign_on_deadline", allow_none=True, required=True)
    quorum = fields.Nested(QuorumOut, required=True)
    stances = fields.Nested(StanceQuorumOut, required=True)
    override = fields.Function(lambda s: s["dossier"].sign_on_override or None, required=True, metadata={
        "type": ["string", "null"], "description": "why the sign-on was opened without the stances' quorum"})
    signatures = fields.List(fields.Nested(SignatureOut), required=True)


class TermOutcomeOut(Schema):
    term = fields.String(attribute="term_key", required=True)
    result = fields.String(required=True, metadata={"enum": list(OUTCOME_RESULTS)})
    obtained = fields.String(required=True)


class BreachOut(Schema):
    """A red line the outcome breaches."""
    term = fields.String(attribute="key", required=True)
    label = fields.String(required=True)
    message = fields.String(required=True)


class AcknowledgementOut(Schema):
    """The coordinator's reason for closing below red lines."""
    at = fields.Function(lambda e: e.created_at.isoformat(), required=True,
                         metadata={"type": "string", "description": "ISO 8601"})
    by = fields.String(attribute="actor_label", required=True)
    reason = fields.String(attribute="acknowledgement", required=True)
    terms = fields.List(fields.String(), attribute="breached", required=True)


class OutcomeOut(Schema):
    summary = fields.String(attribute="dossier.outcome_summary", required=True)
    review_on = fields.Date(attribute="dossier.review_on", allow_none=True, required=True)
    terms = fields.List(fields.Nested(TermOutcomeOut), required=True)
    breaches = fields.List(fields.Nested(BreachOut), required=True)
    acknowledgements = Computed(lambda o: [e for e in o["dossier"].events if e.breached and e.acknowledgement],
                                fields.List(fields.Nested(AcknowledgementOut)))


class CalculationQuery(Schema):
    amount = fields.String(required=True, metadata={"description": "the amount (yuan), a decimal number ≥ 0",
                                                    "example": "1000000"})
    on = QueryDay(metadata={"description": "a staged model: the stage in force on this day (default today)"})
    stage = fields.String(metadata={"description": "a staged model: the stage's name"})


class Band(Schema):
    from_ = fields.String(data_key="from", attribute="from", required=True)
    to = fields.String(allow_none=True, required=True, metadata={"description": "none: no upper bound"})
    portion = fields.String(required=True)
    supplier_share = fields.String(metadata={"description": "revenue share: the supplier's percentage"})
    operator_share = fields.String(metadata={"description": "revenue share: the operator's percentage"})
    supplier = fields.String()
    operator = fields.String()
    rate = fields.String(metadata={"description": "progressive: the band's rate (%)"})
    price = fields.String(metadata={"description": "staged: the unit price"})
    charge = fields.String()


class CalculationOut(Schema):
    """Amounts are decimal numbers written as text (no rounding on the way)."""
    model = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"enum": list(PRICING_KINDS)})
    amount = fields.String(required=True)
    breakdown = fields.List(fields.Nested(Band), required=True)
    totals = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    stage = fields.Dict(metadata={"description": "a staged model: the stage applied (name, from, price)"})


# ---- what clients send: each body is its definition's fields (described here for the OpenAPI
# document); the views read the defined fields by name and other keys are not read, so the
# bodies admit them (a client may send back a term as it received it, ``text`` included)

TermBody = input_schema(TermFields, "TermBody", {
    "value": fields.Raw(allow_none=True, metadata={"description": "the term's value, read by its type "
                                                                  "(a number, a date, a choice, a text)"}),
    "options": fields.List(fields.String(), metadata={"description": "a choice term's options"}),
}, creating=True, ignore_unknown=True)
VersionCreate = input_schema(VersionFields, "VersionCreateBody", {
    "base_version": fields.Integer(strict=True, required=True, validate=validate.Range(min=0, max=DB_INT_MAX),
                                   metadata={"description": "the version your changes start from"}),
    "terms": fields.List(fields.Nested(TermBody), required=True),
}, creating=True, ignore_unknown=True)
StanceCreate = input_schema(StanceFields, "StanceCreateBody", {
    "term": fields.String(metadata={"description": "a term's key; empty or absent: the whole position"}),
}, creating=True, ignore_unknown=True)
AmendmentCreate = input_schema(AmendmentFields, "AmendmentCreateBody", {
    "term": fields.String(required=True, metadata={"description": "the key of the term to amend"}),
    "value": fields.Raw(required=True, metadata={"description": "the proposed value, read by the term's type"}),
}, creating=True, exclude=decision_fields(AmendmentFields), ignore_unknown=True)
SignCreate = input_schema(SignatureFields, "SignOnBody", {
    "signed": StrictBoolean(required=True, metadata={"description": "true: sign the position; false: decline"}),
}, creating=True, ignore_unknown=True)
