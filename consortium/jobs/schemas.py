"""The shapes of /api/v1/jobs (and of the job every start answers with): a ``Job`` row dumped."""
from flask import url_for
from marshmallow import Schema, fields

from consortium.core.api import Computed, instant

from .labels import state_label, summary
from .models import DONE, STATES


def _file(job) -> dict | None:
    if job.state != DONE or not job.file_name:
        return None
    return {"url": url_for("jobs_api.file", job_id=job.id), "name": job.download_name,
            "size": job.file_size, "content_type": job.content_type}


class JobFile(Schema):
    url = fields.String(required=True, metadata={"description": "Download link (only for the job's owner)."})
    name = fields.String(required=True, metadata={"description": "The file's name when downloaded."})
    size = fields.Integer(allow_none=True, required=True, metadata={"description": "Bytes."})
    content_type = fields.String(allow_none=True, required=True)


class JobOut(Schema):
    """A job: what it does, its state and progress, and its file's link when ready."""
    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"description": "What the job does, e.g. catalog.export."})
    title = fields.String(required=True, metadata={"description": "What was asked for, in words."})
    state = fields.String(required=True, metadata={"enum": list(STATES)})
    state_label = fields.Function(lambda job: state_label(job.state), required=True, metadata={
        "type": "string", "description": "The state in the reader's language."})
    percent = fields.Integer(required=True, metadata={"description": "0–100."})
    rows = fields.Integer(required=True, metadata={"description": "Rows written so far."})
    message = fields.Function(summary, required=True, metadata={
        "type": "string", "description": "For the user: why it failed, that it is retried, what a finished job "
                                         "did (in the reader's language when its kind writes it from its record)"})
    created_at = instant("created_at")
    started_at = instant("started_at")
    finished_at = instant("finished_at")
    expires_at = instant("expires_at", description="When the file is removed.")
    url = fields.Function(lambda job: url_for("jobs.detail", job_id=job.id), required=True,
                          metadata={"type": "string", "description": "The job's page."})
    api_url = fields.Function(lambda job: url_for("jobs_api.detail", job_id=job.id), required=True,
                              metadata={"type": "string"})
    cancel_url = fields.Function(lambda job: None if job.finished else url_for("jobs_api.cancel", job_id=job.id),
                                 required=True, metadata={"type": ["string", "null"],
                                                          "description": "POST here to cancel (while unfinished)."})
    file = Computed(_file, fields.Nested(JobFile, allow_none=True),
                    metadata={"description": "The file, once the job is done (while kept)."})


class JobList(Schema):
    """Your recent jobs, newest first."""
    items = fields.List(fields.Nested(JobOut), required=True)
