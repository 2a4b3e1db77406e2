"""Where the domains say how their audit rows read (``labels``). A domain connects a receiver in its
``init_app``; the receiver returns a list of ``labels.ModelLabels`` (a model it audits: its name in
words, its fields', how its values read) and ``labels.MoreValues`` (how a lower domain's ids read,
which only a higher domain knows)."""
from blinker import Namespace

_signals = Namespace()

# sender: None; returns [ModelLabels | MoreValues, ...]
model_labels = _signals.signal("audit-model-labels")
