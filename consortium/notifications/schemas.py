"""What the notifications API reads and answers (the OpenAPI description reads these)."""
from marshmallow import Schema, fields, validate

from consortium.core.api import Computed, DbId, Page, PageQuery, QueryFlag, instant
from consortium.core.entity import Coded

from . import registry


class NotificationQuery(PageQuery):
    kind = fields.String(validate=validate.Length(max=100), metadata={
        "description": "Only this kind (a code from the answer's ``kind.code``)"})
    needs_action = QueryFlag(metadata={"description": "true: only the kinds that ask you to act"})
    unread = QueryFlag(metadata={"description": "true: only unread notifications"})


class _Target(Schema):
    type = fields.String(attribute="target_type", allow_none=True, required=True,
                         metadata={"description": "e.g. dossier, access_request"})
    id = fields.Integer(attribute="target_id", allow_none=True, required=True)


def _kind(n):
    kind = registry.get_kind(n.kind)
    return {"code": n.kind, "label": str(kind.label) if kind else n.kind}


def _needs_action(n) -> bool:
    kind = registry.get_kind(n.kind)
    return bool(kind and kind.action)


class NotificationOut(Schema):
    id = fields.Integer(required=True)
    kind = Computed(_kind, fields.Nested(Coded))
    message = fields.Function(registry.message_of, required=True, metadata={
        "type": "string", "description": "What happened, in the reader's language"})
    text = fields.Function(registry.detail_of, required=True, metadata={
        "type": "string", "description": "The sender's note or reason (a reason the portal wrote: in the reader's "
                                         "language)"})
    url = fields.Function(registry.url_of, required=True, metadata={
        "type": ["string", "null"], "description": "The page of its object"})
    target = Computed(lambda n: n, fields.Nested(_Target),
                      metadata={"description": "The object it concerns (groups)"})
    needs_action = fields.Function(_needs_action, required=True, metadata={"type": "boolean"})
    action_section = fields.Function(lambda n: k.action if (k := registry.get_kind(n.kind)) else None,
                                     required=True, metadata={
        "type": ["string", "null"],
        "description": "The workspace section where it is acted on (``/api/v1/me/workspace``)"})
    created_by = fields.Function(registry.sender_of, required=True, metadata={
        "type": "string", "description": "The member (or secretariat user) that sent it, in the reader's language"})
    created_at = instant("created_at", description="ISO 8601, UTC")
    read_at = instant("read_at", description="ISO 8601, UTC; null: unread")


class NotificationPage(Page):
    items = fields.List(fields.Nested(NotificationOut), required=True)
    total = fields.Integer(required=True, metadata={"description": "Visible notifications matching the filters "
                                                                   "(among the newest 5,000)"})
    unread = fields.Integer(required=True, metadata={"description": "Unread visible notifications (the badge)"})


class MarkReadBody(Schema):
    ids = fields.List(DbId(), validate=validate.Length(max=1000),
                      metadata={"description": "The notifications to mark; absent: all unread"})


class MarkReadOut(Schema):
    marked = fields.Integer(required=True)
    unread = fields.Integer(required=True)
