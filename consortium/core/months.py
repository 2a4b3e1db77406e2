"""Calendar months, as the portal's charts and timelines count them: ``YYYY-MM`` computed by
the database for a date column, and every month of a span (the empty ones included, so a
month without events shows as zero)."""
from datetime import date

from sqlalchemy import func

from consortium.extensions import db


def month_of(column):
    """YYYY-MM of a date column, computed by the database (SQLite or PostgreSQL)."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month from ``first``'s to ``last``'s."""
    months, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def months_between(first: str, last: str) -> list[str]:
    """Every YYYY-MM from ``first`` to ``last`` (both YYYY-MM)."""
    return [d.strftime("%Y-%m") for d in month_starts(date(int(first[:4]), int(first[5:7]), 1),
                                                      date(int(last[:4]), int(last[5:7]), 1))]
