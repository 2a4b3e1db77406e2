"""An authorisation application's one definition, and those of the two answers recorded on it
(the authority's decision, a withdrawal): the services clean with them and the forms are
generated from them (see ``consortium.core.entity``). Adding a field: this file, the model, a
migration and the translations."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from consortium.core.api import QueryDay
from consortium.core.entity import Day, Text, input_schema, output_schema
from consortium.core.exceptions import DomainError


def _links(value, name):
    """Attachments are links, one per line."""
    links = [x.strip() for x in value.splitlines() if x.strip()]
    bad = [x for x in links if not x.lower().startswith(("http://", "https://"))]
    if bad:
        raise DomainError(_("Attachments are links starting with http:// or https:// (one per line): %(x)s",
                            x=bad[0][:80]), field=name)
    return "\n".join(links)


class ApplicationFields(Schema):
    resources = Text(5000, required=True, multiline=True, label=_l("Data resources requested"),
                     help=_l("The entries and fields the scenario needs, one per line."))
    scope = Text(5000, multiline=True, label=_l("Scope of use"),
                 help=_l("Purpose, users, period, where the data is processed."))
    authority = Text(200, required=True, label=_l("Authority deciding"), help=_l("e.g. 温州市数据局"))
    reference_no = Text(80, label=_l("Reference number"))
    submitted_on = Day(required=True, label=_l("Submitted on"))
    attachments = Text(5000, multiline=True, normalise=_links, label=_l("Attachments (links, one per line)"))


class DecisionFields(Schema):
    """Stored on the application: ``note`` in its ``decision_note`` column."""
    decided_on = Day(required=True, label=_l("Decided on"))
    reference_no = Text(80, label=_l("Reference number of the approval"))
    note = Text(5000, multiline=True, attribute="decision_note",
                label=_l("Conditions or reasons given by the authority"))


class WithdrawalFields(Schema):
    """Stored on the application: ``note`` in its ``decision_note`` column."""
    withdrawn_on = Day(required=True, label=_l("Withdrawn on"))
    note = Text(2000, multiline=True, attribute="decision_note", label=_l("Why is it withdrawn?"))


# what clients send and receive (the OpenAPI document reads these)
ApplicationCreate = input_schema(ApplicationFields, "AuthorisationApplicationBody", {
    "attachments": fields.List(fields.String(), metadata={"description": "links starting with http:// or https://"}),
    "submitted_on": QueryDay(allow_none=True, metadata={"description": "YYYY-MM-DD; today when left out"}),
}, creating=True, ignore_unknown=True)

ApplicationOut = output_schema(ApplicationFields, "AuthorisationApplicationOut", {
    "id": fields.Integer(required=True),
    "replication_id": fields.Integer(required=True),
    "status": fields.String(required=True),
    "status_label": fields.String(required=True),
    "attachments": fields.List(fields.String(), attribute="attachment_list", required=True),
    "decided_on": fields.Date(allow_none=True, required=True),
    "withdrawn_on": fields.Date(allow_none=True, required=True),
    "decision_note": fields.String(required=True),
})


class ApplicationList(Schema):
    items = fields.List(fields.Nested(ApplicationOut), required=True)
