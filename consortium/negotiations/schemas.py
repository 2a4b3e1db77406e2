"""The one definition of each negotiation entity people write (``DossierFields``,
``VersionFields``, ``AmendmentFields``, ``StanceFields``, ``PricingModelFields``: each field's
kind, limit, vocabulary, label and help, see ``consortium.core.entity``), and the JSON shapes
dumped by /api/v1 and described in /api/v1/openapi.json, derived from them: a dossier
(``DossierOut``, with its participants, events and sign-on in ``DossierDetailOut``), a position
version, an amendment and a pricing model. Instants are ISO text as stored.

The services take the definitions' fields (``**written``/``**fields``: what a person writes on a
dossier, a move, an answer, a signature, an amendment and its decision, a stance, a term) and
their rules (limits, vocabularies, required) from the definitions, and write every defined field
to the row; the forms are generated from them, and the pages give a defined field they do not lay
out by hand an input and a line. Adding a field: the definition, the model, a migration and the
translations (a term's fields are stored in the version's JSON: no column, no migration)."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from consortium.core.entity import Choice, Day, Flag, Text, described, input_schema

from . import pricing
from . import terms as term_rules
from .constants import PRICING_KINDS, RED_LINE_BOUNDS, STANCES, TERM_TYPES


# ---- the definitions

class DossierFields(Schema):
    """What the coordinator writes on a dossier. The counterparty, the coordinator and the
    linked scenarios and entries are chosen from lists only known at run time (forms.DossierForm)."""
    title = Text(200, label=_l("Title"), required=True)
    subject = Text(20000, label=_l("Subject"), multiline=True, help=_l("What is negotiated, and why together."))
    deadline = Day(label=_l("Deadline for the common position"))
    quorum = Text(10, label=_l("Quorum for the sign-on"), required=True,
                  help=_l("“all”, or a fraction of the participants such as 2/3."))


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


class VersionFields(Schema):
    """What accompanies a saved position besides its terms (``TermFields``)."""
    note = Text(5000, label=_l("Note"), multiline=True)


DECISION = {"decision": True}  # a field's metadata: the coordinator writes it when deciding


class AmendmentFields(Schema):
    """A participant's amendment to one term of the current version, and what the coordinator
    writes when deciding it (the fields marked ``metadata=DECISION``). The value is read by the
    term's own type (``terms.parse_value``); its limit is the longest text a term takes."""
    reason = Text(5000, label=_l("Reason"), required=True, multiline=True)  # checked first: its own message
    value = Text(10000, label=_l("Proposed value"), required=True, multiline=True)
    decision_reason = Text(5000, label=_l("Reason"), multiline=True, metadata=DECISION)


def decision_fields(definition) -> tuple[str, ...]:
    """The fields of an amendment's definition the coordinator writes when deciding it."""
    return tuple(name for name, f in described(definition).items() if f.metadata.get("decision"))


def proposal_fields(definition) -> tuple[str, ...]:
    """The fields of an amendment's definition the participant writes when proposing it."""
    return tuple(name for name in described(definition) if name not in decision_fields(definition))


class EventFields(Schema):
    """A move of the dossier along its statuses (the coordinator's note goes to the participants)."""
    note = Text(5000, label=_l("Note"), multiline=True)


class ParticipantFields(Schema):
    """A member's part in a dossier: the reason given when it answers an invitation or is withdrawn."""
    reason = Text(5000, label=_l("Reason"), multiline=True)


class SignatureFields(Schema):
    """A member's answer to the sign-on."""
    comment = Text(5000, label=_l("Comment"), multiline=True)


class StanceFields(Schema):
    """A member organisation's stance on the position or one of its terms."""
    stance = Choice(STANCES, label=_l("Stance"), required=True, plain=True,
                    unknown=_l("Choose support, support with reservations or oppose."))
    comment = Text(5000, label=_l("Comment"), multiline=True)


class PricingModelFields(Schema):
    """A pricing or revenue-share model of the register. ``schedule`` is written as text (one
    tier per line), read by ``pricing.schedule_from_text`` and kept as data."""
    name = Text(200, label=_l("Name"), required=True)
    kind = Choice(PRICING_KINDS, label=_l("Kind"), required=True, plain=True, unknown=_l("Unknown kind of model."))
    schedule = Text(5000, label=_l("Schedule"), required=True, multiline=True,
                    help=_l("One tier per line. Revenue share: upper bound, supplier %, operator % "
                            "(“200000 50 50”, last line “* 60 40”). Progressive charge: upper bound, "
                            "rate % (“1000000 3”, last “* 1”). Staged: name, start date, unit price "
                            "(“初创期 2025-01-01 0”)."))
    description = Text(5000, label=_l("Explanation"), multiline=True)
    source = Text(300, label=_l("Source"))
    is_illustrative = Flag(label=_l("Illustrative (示例)"))


def derived_out(definition, name: str, extra: dict, *, exclude=(), keys=None) -> type[Schema]:
    """An answer's shape from a definition: its fields as the definition writes them in JSON
    (``out_field``), under another JSON key where ``keys`` says so, without ``exclude``, plus
    ``extra`` (ids, references, computed values; an extra field replaces a defined one)."""
    keys = keys or {}
    body = {}
    for field_name, field in described(definition).items():
        if field_name in exclude:
            continue
        body[field_name] = out = field.out_field()
        if field_name in keys:
            out.data_key = keys[field_name]
    return Schema.from_dict({**body, **extra}, name=name)


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
DossierOut = derived_out(DossierFields, "DossierOut", _DOSSIER_REFS, exclude=("subject",))


ParticipantOut = derived_out(ParticipantFields, "ParticipantOut", {
    "member": fields.String(attribute="member.code", required=True),
    "name": fields.String(attribute="member.name", required=True),
    "status": fields.String(required=True),
})


DossierEventOut = derived_out(EventFields, "DossierEventOut", {
    "from_": fields.String(attribute="from_status", data_key="from", allow_none=True, required=True),
    "to": fields.String(attribute="to_status", required=True),
    "at": fields.Function(lambda e: _stamp(e.created_at), required=True,
                          metadata={"type": "string", "description": "ISO 8601, UTC"}),
    "actor": fields.String(attribute="actor_label", required=True),
})


class SignOnRef(Schema):
    version = fields.Integer(attribute="sign_on_version", allow_none=True, required=True)
    deadline = fields.Date(attribute="sign_on_deadline", allow_none=True, required=True)


DossierDetailOut = derived_out(DossierFields, "DossierDetailOut", {
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


class DossierPage(Schema):
    items = fields.List(fields.Nested(DossierOut), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


VersionOut = derived_out(VersionFields, "VersionOut", {
    "number": fields.Integer(required=True),
    "created_at": fields.Function(lambda v: _stamp(v.created_at), required=True,
                                  metadata={"type": "string", "description": "ISO 8601, UTC"}),
    "author": fields.String(attribute="author_label", required=True),
    "terms": fields.Function(lambda v: [dict(t, text=term_rules.format_value(t)) for t in v.terms], required=True,
                             metadata={"type": "array", "items": {"type": "object"},
                                       "description": "each term as stored, with its readable ``text``"}),
})


AmendmentOut = derived_out(AmendmentFields, "AmendmentOut", {
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


PricingModelOut = derived_out(PricingModelFields, "PricingModelOut", {
    "id": fields.Integer(required=True),
    "member": fields.Function(lambda m: m.member.code if m.member else None, required=True,
                              metadata={"type": ["string", "null"]}),
    # kept as data (tiers, stages), not the text typed in the form
    "schedule": fields.Raw(required=True, metadata={"type": "object"}),
    "summary": fields.Function(lambda m: pricing.describe(m.kind, m.schedule), required=True,
                               metadata={"type": "string"}),
}, keys={"is_illustrative": "illustrative"})


StanceOut = derived_out(StanceFields, "StanceOut", {
    # stances are read as plain rows (a meter reads ~1,200): the API adds the organisation's
    # code and whether the stance is on the current version
    "member": fields.String(allow_none=True, required=True),
    "current": fields.Boolean(required=True),
    "term": fields.String(attribute="term_key", required=True),
    "version": fields.Integer(required=True),
    "by": fields.String(attribute="author_label", required=True),
    "at": fields.Function(lambda s: _stamp(s.created_at), required=True,
                          metadata={"type": "string", "description": "ISO 8601, UTC"}),
})


class StanceList(Schema):
    version = fields.Integer(required=True)
    consensus = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()),
                            required=True, metadata={"description": "per term key ('' = the whole position): "
                                                                    "support, reserve, oppose, unanswered, stale, total"})
    items = fields.List(fields.Nested(StanceOut), required=True)


class PricingModelList(Schema):
    items = fields.List(fields.Nested(PricingModelOut), required=True)


# ---- what clients send: each body is its definition's fields (described here for the OpenAPI
# document); the views read the defined fields by name and other keys are not read, so the
# bodies admit them (a client may send back a term as it received it, ``text`` included)

TermBody = input_schema(TermFields, "TermBody", {
    "value": fields.Raw(allow_none=True, metadata={"description": "the term's value, read by its type "
                                                                  "(a number, a date, a choice, a text)"}),
    "options": fields.List(fields.String(), metadata={"description": "a choice term's options"}),
}, creating=True, ignore_unknown=True)
VersionCreate = input_schema(VersionFields, "VersionCreateBody", {
    "base_version": fields.Integer(required=True, metadata={"description": "the version your changes start from"}),
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
    "signed": fields.Boolean(required=True, metadata={"description": "true: sign the position; false: decline"}),
}, creating=True, ignore_unknown=True)
