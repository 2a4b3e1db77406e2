"""What happens to notifications that other domains react to (the mailer queues e-mails).
Sent after the notification is flushed; subscribers add their rows to the same transaction,
and the caller commits once."""
from blinker import Namespace

_signals = Namespace()

# sender: the Notification (flushed)
notification_created = _signals.signal("notification-created")

# Declarations, connected by each domain whose notifications point to its objects (sender: None):
# returns [registry.Kind, ...]: how each kind of notification reads and where it is acted on
kinds = _signals.signal("notification-kinds")
# returns {target type: can_see(user, target_id) -> bool}: who may still see a kind of target
targets = _signals.signal("notification-targets")
