"""What the counterparty register asks the domains above it: sections of a counterparty's page
(the negotiations domain lists the dossiers the viewer may see). A domain connects a module-level
receiver in its ``init_app``."""
from blinker import Namespace

_signals = Namespace()

# sender: the Counterparty; keyword: user. Returns a section (Markup) or "" / None, after applying
# its own visibility rule.
page_panels = _signals.signal("counterparty-page-panels")
