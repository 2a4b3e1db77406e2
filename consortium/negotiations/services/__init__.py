"""The rules of a joint negotiation, one module per aggregate: dossiers, participants,
the position and its versions, amendments, stances, the sign-on, the outcome, and the
register of pricing models. Plain functions with an explicit actor; they flush and raise
domain exceptions; the caller commits. Nothing here logs dossier content.

Other domains, scripts and tests may keep reading ``services.X``: the public names are
re-exported here. Code inside the negotiations package imports from the submodule."""
from .amendments import decide_amendment, list_amendments, propose_amendment
from .common import current_stances
from .dossiers import create_dossier, get_dossier, list_dossiers, list_invitations, transition, update_dossier
from .outcome import breaches, notify_due_reviews, outcomes, record_outcome
from .participants import invite, respond, withdraw
from .positions import current_position, diff_versions, get_version, save_position, versions
from .pricing_models import get_pricing_model, list_pricing_models, save_pricing_model
from .sign_on import call_sign_on, cancel_sign_on, complete_sign_on, quorum_status, remind_sign_on, sign, signatures
from .stances import consensus, record_stance, stance_history, stance_quorum

__all__ = [
    "breaches", "call_sign_on", "cancel_sign_on", "complete_sign_on", "consensus", "create_dossier", "current_position",
    "current_stances", "decide_amendment", "diff_versions", "get_dossier", "get_pricing_model", "get_version",
    "invite", "list_amendments", "list_dossiers", "list_invitations", "list_pricing_models", "notify_due_reviews",
    "outcomes", "propose_amendment", "quorum_status", "record_outcome", "record_stance", "remind_sign_on", "respond",
    "save_position", "save_pricing_model", "sign", "signatures", "stance_history", "stance_quorum", "transition",
    "update_dossier", "versions", "withdraw",
]
