"""Spreadsheet imports keep the parsed rows server-side between the preview and the
confirmation: a row of a batch table, keyed by a random token bound to the user who
uploaded the file, gone after ``BATCH_TTL``. A domain's import names its batch model and
the column of the owner the rows are for (a member, a registration body)."""
import json
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import flash
from flask_babel import gettext as _
from sqlalchemy import delete

from consortium.extensions import db

from .clock import utcnow
from .exceptions import DomainError

BATCH_TTL = timedelta(hours=2)


@dataclass
class ImportPlan:
    """What confirming would do."""
    created: list = field(default_factory=list)    # row dicts
    updated: list = field(default_factory=list)    # (row, {field: (old, new)})
    unchanged: list = field(default_factory=list)  # row dicts


class BatchStore:
    def __init__(self, model, owner_column: str, date_fields=()):
        self.model, self.owner_column, self.date_fields = model, owner_column, tuple(date_fields)

    def save(self, actor, owner, rows: list[dict], filename: str) -> str:
        """Keep validated rows until the user confirms; returns the batch token (flushes)."""
        db.session.execute(delete(self.model).where(self.model.created_at < utcnow() - BATCH_TTL))
        token = secrets.token_urlsafe(24)
        payload = [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()} for row in rows]
        db.session.add(self.model(id=token, user_id=actor.id, filename=(filename or "")[:200],
                                  payload=json.dumps(payload, ensure_ascii=False), created_at=utcnow(),
                                  **{self.owner_column: owner.id}))
        db.session.flush()
        return token

    def load(self, actor, token: str):
        """The batch and its rows, only for the user who uploaded it and only while fresh."""
        batch = db.session.get(self.model, token or "")
        if batch is None or batch.user_id != getattr(actor, "id", None) or batch.created_at < utcnow() - BATCH_TTL:
            return None, []
        rows = [{k: (date.fromisoformat(v) if k in self.date_fields and v else v) for k, v in row.items()}
                for row in json.loads(batch.payload)]
        return batch, rows

    def discard(self, batch) -> None:
        db.session.delete(batch)
        db.session.flush()

    def claim(self, batch) -> bool:
        """Deletes the batch before its rows are applied; False when another request got it
        first (two confirmations of one preview: on PostgreSQL the second waits for the
        first's commit, then finds nothing to claim), so a preview is applied at most once."""
        batch_id = batch.id
        if batch in db.session:
            db.session.expunge(batch)  # deleted below by id, not by the ORM
        return db.session.execute(delete(self.model).where(self.model.id == batch_id)).rowcount == 1


def confirm_preview(importer, actor, token: str, owner_model):
    """The confirm step of a preview, the same for every import: the rows are applied once
    (claimed first), all or nothing, and the user is told what happened (flashed). Returns
    the owner the rows were applied to, or None when nothing was (back to the upload form).
    ``importer``: a domain's imports module (``BATCHES``, ``load_batch``, ``claim_batch``,
    ``apply_rows``)."""
    batch, rows = importer.load_batch(actor, token)
    if batch is None:
        flash(_("This preview has expired or does not exist. Upload the file again."), "warning")
        return None
    owner = db.session.get(owner_model, getattr(batch, importer.BATCHES.owner_column))
    if not importer.claim_batch(batch):  # confirmed twice at once: the other request applies it
        db.session.rollback()
        flash(_("This preview was already confirmed."), "info")
        return None
    try:
        plan = importer.apply_rows(actor, owner, rows)
        db.session.commit()
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "danger")
        return None
    flash(_("Import done: %(c)d new, %(u)d updated, %(n)d unchanged.",
            c=len(plan.created), u=len(plan.updated), n=len(plan.unchanged)), "success")
    return owner


def cancel_preview(importer, actor, token: str) -> None:
    batch, _rows = importer.load_batch(actor, token)
    if batch is not None:
        importer.discard_batch(batch)
        db.session.commit()
    flash(_("The import was cancelled; nothing was changed."), "info")
