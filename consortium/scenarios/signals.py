"""What the scenarios domain asks the domains above it. A domain connects a module-level receiver in
its ``init_app``; the scenarios send these and act on what the receivers do or return."""
from blinker import Namespace

_signals = Namespace()

# sent before a replication changes stage; sender: the Replication; keyword: to_stage. A receiver
# refuses the change by raising DomainError (the authorisation step: 一场景一申请一审批).
stage_changing = _signals.signal("replication-stage-changing")
