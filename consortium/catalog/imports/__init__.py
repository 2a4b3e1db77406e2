"""Bulk import of a member's inventory from a spreadsheet (XLSX or CSV).

Three steps, shared by the web page and the CLI:

1. ``parse_upload(data, filename, member)`` (``rows``) reads the file defensively with the
   kernel's reader (size, row and cell limits, zip bombs, formulas, encodings) and returns rows
   read with the entry's definition and every problem, each with its row number, column and a
   translated message.
2. ``save_batch`` keeps the parsed rows server-side (a row of ``catalog_import_batches``, keyed
   by a random token bound to the user) until the user confirms; ``load_batch`` fetches it back.
3. ``apply_rows(actor, member, rows)`` upserts by (member, resource code) in the caller's
   transaction; unchanged entries are not touched (hence no audit rows).

The columns come from the definition (``columns``); the template from ``template``."""
import logging

from flask_babel import gettext as _
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.core.entity import Day
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.core.import_batches import BatchStore, ImportPlan
from consortium.core.spreadsheets import ParseResult, Problem, UploadRejected  # noqa: F401
from consortium.extensions import db

from ..import_batch import ImportBatch
from ..models import DataResource
from ..permissions import can_edit_for_member
from .columns import COLUMNS, EXPORT_ONLY, FIELD_LABELS, FIELDS, MODEL_FIELDS, column_title  # noqa: F401
from .rows import MAX_ROWS, parse_upload  # noqa: F401
from .template import template_xlsx  # noqa: F401

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- batches

BATCHES = BatchStore(ImportBatch, "member_id", date_fields=tuple(n for n, *_r in COLUMNS if isinstance(FIELDS[n], Day)))


def save_batch(actor, member, rows: list[dict], filename: str) -> str:
    """Keep validated rows until the user confirms; returns the batch token."""
    return BATCHES.save(actor, member, rows, filename)


def load_batch(actor, token: str):
    """The batch and its rows, only for the user who uploaded it and only while fresh."""
    return BATCHES.load(actor, token)


def discard_batch(batch) -> None:
    BATCHES.discard(batch)


def claim_batch(batch) -> bool:
    """False when another confirmation of the same preview got it first."""
    return BATCHES.claim(batch)


# ---------------------------------------------------------------- writing

def _same(old, new) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        return old is not None and new is not None and abs(float(old) - float(new)) < 1e-9
    return old == new


def _existing(member) -> dict:
    return {r.code: r for r in db.session.scalars(select(DataResource).where(DataResource.member_id == member.id))}


def plan_import(member, rows: list[dict]) -> ImportPlan:
    """What confirming would do, without changing anything."""
    plan = ImportPlan()
    existing = _existing(member)
    for row in rows:
        resource = existing.get(row["code"])
        if resource is None:
            plan.created.append(row)
            continue
        changes = {name: (getattr(resource, name), row[name]) for name in MODEL_FIELDS
                   if not _same(getattr(resource, name), row[name])}
        if resource.status != "active":
            changes["status"] = (resource.status, "active")
        (plan.updated.append((row, changes)) if changes else plan.unchanged.append(row))
    return plan


def apply_rows(actor, member, rows: list[dict]) -> ImportPlan:
    """Upsert by (member, resource code). Flushes only; the caller commits or
    rolls back, so the import is all or nothing. ``actor=None`` is the CLI."""
    if actor is not None and not can_edit_for_member(actor, member):
        raise PermissionDenied(_("You may only import entries for your own member organisation."))
    if not member.is_active:
        raise DomainError(_("This member is suspended; its entries cannot be changed."))
    set_actor(actor)
    plan = plan_import(member, rows)
    existing = _existing(member)
    for row in plan.created:
        db.session.add(DataResource(member_id=member.id, city_id=member.city_id, code=row["code"], status="active",
                                    **{name: row[name] for name in MODEL_FIELDS}))
    for row, changes in plan.updated:
        resource = existing[row["code"]]
        for name, (_old, new) in changes.items():
            setattr(resource, name, new)
    db.session.flush()
    log.info("import into member %s by user %s: %d created, %d updated, %d unchanged", member.code,
             getattr(actor, "id", "cli"), len(plan.created), len(plan.updated), len(plan.unchanged))
    return plan


def import_file(actor, member, data: bytes, filename: str = "") -> tuple[ParseResult, ImportPlan | None]:
    """Parse and, when the file has no problem at all, apply it (used by the CLI)."""
    result = parse_upload(data, filename, member)
    if not result.ok:
        return result, None
    return result, apply_rows(actor, member, result.rows)
