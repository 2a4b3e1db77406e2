from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from consortium.extensions import db


class ImportBatch(db.Model):
    """A parsed, validated upload kept server-side between the preview and the
    confirmation of a bulk import. The id is a random token, bound to the user
    who uploaded the file; it expires after ``core.import_batches.BATCH_TTL``."""

    __tablename__ = "catalog_import_batches"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(200), default="")
    payload: Mapped[str] = mapped_column(Text)  # JSON list of normalised rows
    created_at: Mapped[datetime] = mapped_column(index=True)  # naive UTC, set by imports.py
