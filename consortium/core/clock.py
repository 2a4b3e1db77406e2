"""The one clock: every instant is a timezone-aware UTC datetime, in Python and in the database.

- ``utcnow()`` is the only "now" the application reads; every timestamp column defaults to it
  (``default=utcnow``), never to the database's ``now()`` (whose zone is the server's setting).
- ``UTCDateTime`` is the column type of every ``Mapped[datetime]`` (see ``extensions.Base``):
  ``timestamptz`` on PostgreSQL, naive UTC text on SQLite; it always hands back aware UTC.
- Everything shown or exported is Beijing time (``DISPLAY_ZONE``) and says so.
"""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

UTC = timezone.utc
DISPLAY_ZONE = "Asia/Shanghai"  # every time shown or exported is Beijing time, and says so
LOCAL = ZoneInfo(DISPLAY_ZONE)


def utcnow() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """``value`` as an aware UTC datetime. A naive value is taken to be UTC already."""
    if value is None:
        return None
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp column holding an instant: aware UTC in, aware UTC out.

    Binding: an aware datetime is converted to UTC; a NAIVE datetime is taken to be UTC (the
    convention of the stored data before this type existed, and of SQLite's CURRENT_TIMESTAMP).
    PostgreSQL stores ``timestamptz``; SQLite, which keeps no zone, stores the naive UTC text.
    Reading: always an aware datetime in UTC, whatever the session's TimeZone.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, datetime):  # a date: midnight UTC
            value = datetime.combine(value, time.min)
        value = as_utc(value)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return as_utc(value)

    @property
    def python_type(self):
        return datetime


def utc_start_of_local_day(day: date) -> datetime:
    """00:00 Beijing time of ``day`` as an aware UTC datetime (for filtering stored timestamps)."""
    return datetime.combine(day, time.min, LOCAL).astimezone(UTC)


def local_datetime(value: datetime) -> datetime:
    """A stored instant in Beijing time (naive input is taken as UTC)."""
    return as_utc(value).astimezone(LOCAL)


def local_today() -> date:
    """Today's date in Beijing."""
    return utcnow().astimezone(LOCAL).date()


def local_text(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    """A stored instant as Beijing-time text, for exports (whose headers say Beijing time)."""
    if value is None:
        return ""
    return local_datetime(value).strftime(fmt)


def iso_utc(value: datetime | None) -> str | None:
    """An instant for JSON: ISO 8601 in UTC with a ``Z`` (naive input is taken as UTC)."""
    if value is None:
        return None
    return as_utc(value).isoformat().replace("+00:00", "Z")
