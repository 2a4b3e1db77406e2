"""What the harvest API reads and answers (the OpenAPI description reads these)."""
from flask import url_for
from marshmallow import Schema, fields, validate

from consortium.core.api import Computed, StrictBoolean, instant
from consortium.jobs.schemas import JobOut

from .constants import COUNTS, KINDS, MAX_ARCHIVE_AFTER, RUN_STATES, SCHEDULES, SOURCE_STATES
from .reasons import REASONS, RECORD_REASONS
from .services import run_timeout


class SourceCreate(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(list(KINDS)), metadata={
        "description": "dcat: a DCAT-AP catalogue (Turtle, JSON-LD, RDF/XML; Hydra paging followed); ckan: a CKAN "
                       "site or its package_search address; spreadsheet: an XLSX or CSV file in the import template"})
    url = fields.String(required=True, validate=validate.Length(min=1, max=500),
                        metadata={"description": "A public http(s) address"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    schedule = fields.String(load_default="manual", validate=validate.OneOf(list(SCHEDULES)))
    member = fields.String(metadata={"description": "The member's code (the secretariat; others: their own member)"})
    archive_after = fields.Integer(strict=True, load_default=2, validate=validate.Range(min=1, max=MAX_ARCHIVE_AFTER),
                                   metadata={"description": "Archive an entry missing from this many runs in a row"})
    run_timeout_minutes = fields.Integer(strict=True, allow_none=True, load_default=None, metadata={
        "description": "The source's own time limit for a run, in whole minutes from 1 to the site's "
                       "HARVEST_RUN_TIMEOUT (its maximum); null: the site's limit"})
    make_public = StrictBoolean(load_default=False, metadata={
        "description": "Entries this source creates are public (else visible to members only)"})
    vocabulary_maps = fields.Dict(keys=fields.String(), values=fields.Dict(), metadata={
        "description": "{field: {source value: portal code}} for domain, openness, frequency, circulation_modes "
                       "(a list of codes allowed), licence; the empty key is used when the source gives no value"})


class SourceUpdate(Schema):
    url = fields.String(validate=validate.Length(min=1, max=500))
    name = fields.String(validate=validate.Length(min=1, max=120))
    schedule = fields.String(validate=validate.OneOf(list(SCHEDULES)))
    archive_after = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ARCHIVE_AFTER))
    make_public = StrictBoolean()
    run_timeout_minutes = fields.Integer(strict=True, allow_none=True, metadata={
        "description": "The source's own time limit for a run, in whole minutes from 1 to the site's "
                       "HARVEST_RUN_TIMEOUT (its maximum); null: the site's limit"})
    vocabulary_maps = fields.Dict(keys=fields.String(), values=fields.Dict())


class Decision(Schema):
    comment = fields.String(load_default="", validate=validate.Length(max=2000),
                            metadata={"description": "Required to refuse; shown to the member"})


class PreviewRequest(Schema):
    limit = fields.Integer(strict=True, load_default=50, validate=validate.Range(min=1, max=1000),
                           metadata={"description": "How many of the first records to look at"})


class SourceOut(Schema):
    """A harvest source (``HarvestSource`` dumped)."""
    id = fields.Integer(required=True)
    member = fields.Function(lambda s: s.member.code, required=True,
                             metadata={"type": "string", "description": "The member's code"})
    kind = fields.String(required=True, validate=validate.OneOf(list(KINDS)))
    name = fields.String(required=True)
    url = fields.String(required=True)
    schedule = fields.String(required=True, validate=validate.OneOf(list(SCHEDULES)))
    state = fields.String(required=True, validate=validate.OneOf(list(SOURCE_STATES)))
    state_label = fields.Function(lambda s: str(SOURCE_STATES[s.state]), required=True,
                                  metadata={"type": "string", "description": "The state in the reader's language"})
    decision_comment = fields.String(required=True)
    decided_at = instant("decided_at")
    archive_after = fields.Integer(required=True)
    make_public = fields.Boolean(required=True)
    run_timeout_minutes = fields.Integer(required=True, allow_none=True, metadata={
        "description": "The source's own run time limit in minutes; null: the site's"})
    run_time_limit_seconds = fields.Function(run_timeout, required=True, metadata={
        "type": ["number", "null"], "description": "The limit its runs have now: its own, never more than the "
                                                   "site's (null: none)"})
    vocabulary_maps = fields.Function(lambda s: s.vocabulary_maps or {}, required=True,
                                      metadata={"type": "object", "description": "{field: {source value: code}}"})
    last_success_at = instant("last_success_at")
    page = fields.Function(lambda s: url_for("harvest.source", source_id=s.id), required=True,
                           metadata={"type": "string", "description": "The source's page"})


class SourceList(Schema):
    items = fields.List(fields.Nested(SourceOut), required=True)


class RecordReason(Schema):
    code = fields.String(required=True, validate=validate.OneOf(list(RECORD_REASONS)), metadata={
        "description": "A stable code of a record's reason"})
    params = fields.Dict(required=True, metadata={
        "description": "Its values: ``field``/``column`` name a field or an import column (shown as its label); "
                       "an object of languages (``{\"zh_CN\": …, \"en\": …}``) is a message of the portal's "
                       "rules in each language"})


class RecordReport(Schema):
    remote_id = fields.String(required=True)
    title = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(list(COUNTS)))
    reasons = fields.List(fields.String(), required=True, metadata={
        "description": "Why the record failed (or was archived), each in the reader's language"})
    reason_codes = fields.List(fields.Nested(RecordReason), required=True, metadata={
        "description": "The same reasons as stable codes and their values (empty for a report stored before "
                       "the codes)"})
    resource_id = fields.Integer(allow_none=True, required=True)


class RunOut(Schema):
    """A run or a preview (``HarvestRun`` dumped) with its counts and report."""
    id = fields.Integer(required=True)
    state = fields.String(required=True, validate=validate.OneOf(list(RUN_STATES)))
    dry_run = fields.Boolean(required=True)
    trigger = fields.String(required=True)
    reason_code = fields.Function(lambda r: r.reason_code or None, required=True, metadata={
        "type": ["string", "null"], "enum": [*REASONS, None],
        "description": "Why the run failed, as a stable code (null: it did not fail, or it failed before the "
                       "portal kept codes; then ``message`` is the sentence it stored)"})
    reason_params = fields.Function(lambda r: r.reason_params or {}, required=True, metadata={
        "type": "object", "description": "The code's values (the address, the HTTP status, the time limit in "
                                         "seconds …), as in the sentence; a message of the portal's own rules "
                                         "(an unreadable spreadsheet's) is an object of languages"})
    message = fields.Function(lambda r: r.reason, required=True, metadata={
        "type": "string", "description": "Why the run failed, in the reader's language (empty when it did not)"})
    records_seen = fields.Integer(required=True)
    created = fields.Integer(required=True)
    changed = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    archived = fields.Integer(required=True)
    restored = fields.Integer(required=True)
    failed = fields.Integer(required=True)
    records = Computed(lambda r: r.records(), fields.List(fields.Nested(RecordReport)), metadata={
        "description": "The failed records with their reasons (a preview: every record and its outcome)"})
    created_at = instant("created_at")
    started_at = instant("started_at")
    finished_at = instant("finished_at")
    job_id = fields.Integer(allow_none=True, required=True)


class RunList(Schema):
    items = fields.List(fields.Nested(RunOut), required=True)


class RunStarted(Schema):
    run = fields.Nested(RunOut, required=True)
    job = fields.Nested(JobOut, required=True, metadata={"description": "The job (as /api/v1/jobs/<id>)"})
