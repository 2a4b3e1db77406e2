"""What the notifications API reads and answers (the OpenAPI description reads these)."""
from marshmallow import Schema, fields, validate

from consortium.core.entity import Coded


class NotificationQuery(Schema):
    page = fields.Integer(validate=validate.Range(min=1), metadata={"description": "Page number (from 1)"})
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), metadata={"description": "At most 200"})
    kind = fields.String(metadata={"description": "Only this kind (a code from the answer's ``kind.code``)"})
    needs_action = fields.Boolean(metadata={"description": "true: only the kinds that ask you to act"})
    unread = fields.Boolean(metadata={"description": "true: only unread notifications"})


class _Target(Schema):
    type = fields.String(allow_none=True, required=True, metadata={"description": "e.g. dossier, access_request"})
    id = fields.Integer(allow_none=True, required=True)


class NotificationOut(Schema):
    id = fields.Integer(required=True)
    kind = fields.Nested(Coded, required=True)
    message = fields.String(required=True, metadata={"description": "What happened, in the reader's language"})
    text = fields.String(required=True, metadata={"description": "The sender's note or reason"})
    url = fields.String(allow_none=True, required=True, metadata={"description": "The page of its object"})
    target = fields.Nested(_Target, required=True, metadata={"description": "The object it concerns (groups)"})
    needs_action = fields.Boolean(required=True)
    action_section = fields.String(allow_none=True, required=True, metadata={
        "description": "The workspace section where it is acted on (``/api/v1/me/workspace``)"})
    created_by = fields.String(required=True)
    created_at = fields.String(required=True, metadata={"description": "ISO 8601, UTC"})
    read_at = fields.String(allow_none=True, required=True, metadata={"description": "ISO 8601, UTC; null: unread"})


class NotificationPage(Schema):
    items = fields.List(fields.Nested(NotificationOut), required=True)
    total = fields.Integer(required=True, metadata={"description": "Visible notifications matching the filters "
                                                                   "(among the newest 5,000)"})
    unread = fields.Integer(required=True, metadata={"description": "Unread visible notifications (the badge)"})
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


class MarkReadBody(Schema):
    ids = fields.List(fields.Integer(), metadata={"description": "The notifications to mark; absent: all unread"})


class MarkReadOut(Schema):
    marked = fields.Integer(required=True)
    unread = fields.Integer(required=True)
