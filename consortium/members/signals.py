"""What happens to a member that other domains react to. The members domain sends
these after flushing its change; subscribers (the resource map) adjust their own rows
in the same transaction, and the caller commits once."""
from blinker import Namespace

_signals = Namespace()

# sender: the Member; keyword: actor
member_suspended = _signals.signal("member-suspended")
member_reinstated = _signals.signal("member-reinstated")
# sender: the Member (already in its new city); keywords: actor, old_city_id
member_moved = _signals.signal("member-moved")

# Asked before a member's name is accepted: sender: the name (stripped). A receiver returns why the
# name is refused (a translated message) or None: the counterparty register refuses a member named
# like a counterparty.
name_refused = _signals.signal("member-name-refused")
