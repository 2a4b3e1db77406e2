"""The one clock: UTC instants, stored naive in the database (as every timestamp column is)."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
