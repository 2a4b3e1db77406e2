"""How the registers' audit rows read: the fields of each definition (``schemas``) with their
labels and vocabularies, plus the columns the definitions do not hold (references, dates the
services set)."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import ModelLabels, defined, name_of
from consortium.catalog.constants import DOMAINS
from consortium.catalog.labels import modes_text
from consortium.catalog.models import DataResource
from consortium.geo.models import City
from consortium.members.models import Member

from .models import DataSpace, Recognition, RegistrationBody
from .schemas import BodyFields, CertificateFields, RecognitionFields, SpaceFields


def _domains(stored):
    return "、".join(DOMAINS.label(c, str(get_locale())) for c in str(stored or "").split(",") if c) or "—"


def models(sender, **kwargs):
    common = {"id": _l("ID"), "created_at": _l("Created at")}
    body, member, city = name_of(RegistrationBody), name_of(Member), name_of(City)
    fields, values = defined(BodyFields)
    yield ModelLabels("RegistrationBody", _l("Registration body"), fields={
        **common, **fields, "city_id": _l("City"), "member_id": _l("Member"), "is_example": _l("Illustrative")},
        values={**values, "city_id": city, "member_id": member})
    fields, values = defined(CertificateFields)
    yield ModelLabels("Certificate", _l("Registration certificate"), fields={
        **common, **fields, "body_id": _l("Registration body"), "number_key": _l("Certificate number, as matched")},
        values={**values, "body_id": body})
    fields, values = defined(RecognitionFields)
    yield ModelLabels("Recognition", _l("Recognition agreement"), fields={
        **common, **fields, "recognising_body_id": _l("Recognising body"), "issuing_body_id": _l("Issuing body"),
        "revoked_on": _l("Revoked on"), "revoke_reason": _l("Reason for the revocation")},
        values={**values, "recognising_body_id": body, "issuing_body_id": body})
    yield ModelLabels("RecognitionSuspension", _l("Suspension of a recognition agreement"), fields={
        **common, "recognition_id": _l("Recognition agreement"), "starts_on": _l("Suspended from"),
        "reason": _l("Reason"), "ends_on": _l("Resumed on"), "resume_reason": _l("Reason for resuming")},
        values={"recognition_id": name_of(Recognition, "document_ref")})
    fields, values = defined(SpaceFields)
    yield ModelLabels("DataSpace", _l("Trusted data space"), fields={
        **common, **fields, "circulation_mask": fields["circulation_modes"], "operator_id": _l("Operator"),
        "city_id": _l("City"), "is_example": _l("Illustrative")},
        values={**values, "domains": _domains, "circulation_mask": modes_text, "operator_id": member, "city_id": city})
    yield ModelLabels("DataSpaceResource", _l("Resource-map entry in a data space"), fields={
        "space_id": _l("Trusted data space"), "resource_id": _l("Resource-map entry"), "created_at": _l("Created at")},
        values={"space_id": name_of(DataSpace), "resource_id": name_of(DataResource, "title")})
