"""The one clock: UTC instants, stored naive in the database (as every timestamp column is)."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


DISPLAY_ZONE = "Asia/Shanghai"  # every time shown or exported is Beijing time, and says so


def utc_start_of_local_day(day) -> datetime:
    """00:00 Beijing time of ``day`` as a naive UTC datetime (for filtering stored timestamps)."""
    from datetime import time
    from zoneinfo import ZoneInfo
    local = datetime.combine(day, time.min, ZoneInfo(DISPLAY_ZONE))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def local_text(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    """A stored (naive UTC) datetime as Beijing-time text, for exports."""
    if value is None:
        return ""
    from zoneinfo import ZoneInfo
    return value.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(DISPLAY_ZONE)).strftime(fmt)
