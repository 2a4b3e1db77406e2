"""The workspace's JSON shape (/api/v1/me/workspace): the same sections as the page."""
from datetime import date, datetime

from marshmallow import Schema, fields

from consortium.core.clock import iso_utc


def _when(item):
    if isinstance(item.when, datetime):
        return iso_utc(item.when)
    return item.when.isoformat() if isinstance(item.when, date) else None


class ItemOut(Schema):
    text = fields.String(required=True)
    url = fields.String(allow_none=True, required=True)
    detail = fields.String(required=True)
    when = fields.Function(_when, required=True, metadata={
        "type": ["string", "null"], "description": "a day (YYYY-MM-DD) or an instant (ISO 8601, UTC)"})
    flag = fields.String(allow_none=True, required=True, metadata={"description": "a short warning"})
    badge = fields.String(allow_none=True, required=True, metadata={"description": "a short status"})


class SectionOut(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    waiting = fields.Boolean(required=True, metadata={"description": "waits on the user (等待我处理)"})
    total = fields.Integer(allow_none=True, required=True)
    items = fields.List(fields.Nested(ItemOut), required=True)


class WorkspaceOut(Schema):
    sections = fields.List(fields.Nested(SectionOut), required=True)
