"""What happens to notifications that other domains react to (the mailer queues e-mails).
Sent after the notification is flushed; subscribers add their rows to the same transaction,
and the caller commits once."""
from blinker import Namespace

_signals = Namespace()

# sender: the Notification (flushed)
notification_created = _signals.signal("notification-created")
