"""How the negotiation domain's audit rows read: the definitions' fields (``schemas``) with
their labels and vocabularies, plus the columns the services set."""
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import ModelLabels, defined, name_of, vocabulary
from consortium.auth.models import User
from consortium.counterparties.models import Counterparty
from consortium.members.models import Member

from .constants import AMENDMENT_STATUSES, OUTCOME_RESULTS, PARTICIPANT_STATUSES, STATUSES
from .models import Dossier
from .schemas import AmendmentFields, DossierFields, PricingModelFields, StanceFields, VersionFields


def models(sender, **kwargs):
    common = {"id": _l("ID"), "created_at": _l("Created at")}
    member, dossier, status = name_of(Member), name_of(Dossier, "title"), vocabulary(STATUSES)
    in_dossier = {"dossier_id": _l("Negotiation dossier"), "member_id": _l("Member"), "author_label": _l("Author")}
    links = {"dossier_id": dossier, "member_id": member}
    fields, values = defined(DossierFields)
    yield ModelLabels("Dossier", _l("Negotiation dossier"), fields={
        **common, **fields, "counterparty_id": _l("Platform company"), "coordinator_id": _l("Coordinator"),
        "status": _l("Status"), "quorum_num": _l("Quorum for the sign-on"), "quorum_den": _l("Quorum for the sign-on"),
        "current_version": _l("Current version"), "sign_on_version": _l("Version called for sign-on"),
        "sign_on_deadline": _l("Sign-on deadline"), "outcome_summary": _l("Outcome"), "review_on": _l("Review on"),
        "review_notified_on": _l("Review reminder sent on"), "is_illustrative": _l("Illustrative"),
        "sign_on_override": _l("Reason for opening the sign-on anyway"),
        "sign_on_reminded_on": _l("Sign-on reminder sent on"),
        "updated_at": _l("Updated at")},
        values={**values, "status": status, "counterparty_id": name_of(Counterparty), "coordinator_id": member})
    yield ModelLabels("DossierEvent", _l("Dossier event"), fields={
        **common, "dossier_id": _l("Negotiation dossier"), "from_status": _l("From status"),
        "to_status": _l("To status"), "actor_id": _l("Author"), "actor_label": _l("Author"), "note": _l("Note"),
        "acknowledgement": _l("Acknowledged by the coordinator"), "breached": _l("Red lines breached")},
        values={"dossier_id": dossier, "from_status": status, "to_status": status,
                "actor_id": name_of(User, "person_label")})
    yield ModelLabels("Participant", _l("Participant"), fields={
        "id": _l("ID"), **in_dossier, "status": _l("Status"), "reason": _l("Reason"), "invited_at": _l("Invited at"),
        "responded_at": _l("Answered at")},
        values={**links, "status": vocabulary(PARTICIPANT_STATUSES)})
    fields, values = defined(VersionFields)
    yield ModelLabels("PositionVersion", _l("Version of the common position"), fields={
        **common, **fields, "dossier_id": _l("Negotiation dossier"), "number": _l("Version"), "terms": _l("Terms"),
        "author_label": _l("Author")}, values={**values, "dossier_id": dossier})
    fields, values = defined(AmendmentFields)
    yield ModelLabels("Amendment", _l("Amendment"), fields={
        **common, **fields, **in_dossier, "term_key": _l("Term"), "base_version": _l("Version"),
        "proposed_value": fields["value"], "status": _l("Status"), "result_version": _l("Resulting version"),
        "decided_at": _l("Decided at")},
        values={**values, **links, "status": vocabulary(AMENDMENT_STATUSES)})
    fields, values = defined(StanceFields)
    yield ModelLabels("Stance", _l("Stance"), fields={
        **common, **fields, **in_dossier, "term_key": _l("Term"), "version": _l("Version")},
        values={**values, **links})
    yield ModelLabels("Signature", _l("Sign-on"), fields={
        **common, **in_dossier, "version": _l("Version"), "signed": _l("Signed"), "comment": _l("Comment")},
        values=links)
    yield ModelLabels("TermOutcome", _l("Outcome of a term"), fields={
        "id": _l("ID"), "dossier_id": _l("Negotiation dossier"), "term_key": _l("Term"), "result": _l("Result"),
        "obtained": _l("Obtained")}, values={"dossier_id": dossier, "result": vocabulary(OUTCOME_RESULTS)})
    fields, values = defined(PricingModelFields)
    yield ModelLabels("PricingModel", _l("Pricing model"), fields={
        **common, **fields, "member_id": _l("Member")}, values={**values, "member_id": member})
