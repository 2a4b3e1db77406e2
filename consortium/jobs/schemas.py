"""The shapes of /api/v1/jobs (and of the job every start answers with)."""
from marshmallow import Schema, fields

from .models import STATES


class JobFile(Schema):
    url = fields.String(metadata={"description": "Download link (only for the job's owner)."})
    name = fields.String(metadata={"description": "The file's name when downloaded."})
    size = fields.Integer(metadata={"description": "Bytes."})
    content_type = fields.String()


class JobOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "What the job does, e.g. catalog.export."})
    title = fields.String(metadata={"description": "What was asked for, in words."})
    state = fields.String(metadata={"enum": list(STATES)})
    state_label = fields.String(metadata={"description": "The state in the reader's language."})
    percent = fields.Integer(metadata={"description": "0–100."})
    rows = fields.Integer(metadata={"description": "Rows written so far."})
    message = fields.String(metadata={"description": "For the user: why it failed, that it is retried, …"})
    created_at = fields.String(metadata={"format": "date-time"})
    started_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    finished_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    expires_at = fields.String(allow_none=True, metadata={"format": "date-time",
                                                          "description": "When the file is removed."})
    url = fields.String(metadata={"description": "The job's page."})
    api_url = fields.String()
    cancel_url = fields.String(allow_none=True, metadata={"description": "POST here to cancel (while unfinished)."})
    file = fields.Nested(JobFile, allow_none=True)


class JobList(Schema):
    items = fields.List(fields.Nested(JobOut))
