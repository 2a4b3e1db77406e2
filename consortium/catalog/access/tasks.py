"""What the job engine does for access requests by itself: every day after midnight Beijing
time, remind both parties of the periods of use ending within a week (once per request)."""
from consortium.extensions import db
from consortium.jobs import periodic_task

from .services import send_expiry_reminders


@periodic_task("catalog.access_reminders", hour="16", minute="1")  # 00:01 in Beijing
def remind_of_ending_periods() -> int:
    count = send_expiry_reminders()
    db.session.commit()
    return count
