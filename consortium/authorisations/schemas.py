"""An authorisation application's definition, and those of the two answers recorded on it (the
authority's decision, a withdrawal), made from the columns of its model, which declare them: the
services clean with them and the forms are generated from them (see ``consortium.core.entity``).
Adding a field: the model, a migration and the translations."""
from marshmallow import Schema, fields

from consortium.core.api import QueryDay
from consortium.core.entity import definition, input_schema, output_schema

from .models import AuthorisationApplication

ApplicationFields = definition(AuthorisationApplication, "ApplicationFields")
# Stored on the application, each ``note`` in its ``decision_note`` column.
DecisionFields = definition(AuthorisationApplication, "DecisionFields", part="decision")
WithdrawalFields = definition(AuthorisationApplication, "WithdrawalFields", part="withdrawal")


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
