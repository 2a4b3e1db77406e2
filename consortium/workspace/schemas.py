"""The workspace's JSON shape (/api/v1/me/workspace): the same sections as the page."""
from datetime import date, datetime

from marshmallow import Schema, fields

from consortium.core.clock import iso_utc


def _when(value):
    if isinstance(value, datetime):
        return iso_utc(value)
    return value.isoformat() if isinstance(value, date) else None


class ItemOut(Schema):
    text = fields.String(required=True)
    url = fields.String(allow_none=True, required=True)
    detail = fields.String(required=True)
    when = fields.Function(lambda item: _when(item.when), required=True, metadata={
        "type": ["string", "null"], "description": "a day (YYYY-MM-DD) or an instant (ISO 8601, UTC)"})
    flag = fields.String(allow_none=True, required=True, metadata={"description": "a short warning"})
    badge = fields.String(allow_none=True, required=True, metadata={"description": "a short status"})
    action = fields.String(required=True, metadata={"description": "what to do there (答复申请, 表态, 联署 …)"})
    due = fields.Function(lambda item: _when(item.due), required=True, metadata={
        "type": ["string", "null"], "description": "the day it is due by (YYYY-MM-DD, Beijing), if any"})


class SectionOut(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    waiting = fields.Boolean(required=True, metadata={"description": "waits on the user (等待我处理)"})
    total = fields.Integer(allow_none=True, required=True)
    items = fields.List(fields.Nested(ItemOut), required=True)


class WorkspaceOut(Schema):
    sections = fields.List(fields.Nested(SectionOut), required=True)
