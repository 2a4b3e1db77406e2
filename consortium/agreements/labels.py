"""How the agreements domain's audit rows read."""
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import ModelLabels, defined, name_of
from consortium.auth.models import User
from consortium.counterparties.models import Counterparty
from consortium.members.models import Member

from .schemas import AgreementFields


def models(sender, **kwargs):
    # the defined fields read as the form labels them, except where the history has shorter labels
    labels, values = defined(AgreementFields)
    yield ModelLabels("Agreement", _l("Co-operation agreement"), fields={
        "id": _l("ID"), "created_at": _l("Created at"), **labels, "documents": _l("Documents"),
        "is_public": _l("Public"), "proposed_by_id": _l("Proposed by"), "version": _l("Version")},
        values={**values, "proposed_by_id": name_of(User, "person_label")})
    yield ModelLabels("AgreementParty", _l("Agreement party"), fields={
        "id": _l("ID"), "agreement_id": _l("Agreement"), "member_id": _l("Member"),
        "counterparty_id": _l("Counterparty"), "confirmed_at": _l("Confirmed at"),
        "confirmed_by_id": _l("Confirmed by")},
        values={"member_id": name_of(Member), "counterparty_id": name_of(Counterparty),
                "confirmed_by_id": name_of(User, "person_label")})
