"""Registration bodies, their certificates, recognition agreements (with their
suspensions: the history), trusted data spaces and their links to resource-map entries."""
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.catalog.constants import DOMAINS, modes_from_mask
from consortium.core.clock import utcnow
from consortium.core.entity import Choices, Text as TextField, ruled, shown
from consortium.core.exceptions import DomainError
from consortium.core.naming import BilingualName
from consortium.core.uscc import check_uscc
from consortium.extensions import db

from .constants import CERTIFICATE_STATUSES, SPACE_KINDS, SPACE_STATUSES


# ---------------------------------------------------------------- field kinds of the registers
# The fields people write are declared on the columns below (``shown``: see consortium.core.entity);
# schemas.py makes the definitions from them.

class CreditCode(TextField):
    """A unified social credit code: the form takes up to ``max_length`` characters (spaces are
    dropped), the rule is the code's own (18 characters and the check digit, GB 32100-2015)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return ruled(check_uscc, super()._deserialize(value, attr, data, **kwargs), attr)


class StoredCodes(Choices):
    """Several codes of a vocabulary, stored comma-separated in the vocabulary's order
    (``DataSpace.domains``): a service's load gives that text (an API body's, the list of codes the
    service is handed), shown in JSON as codes with labels."""

    def _deserialize(self, value, attr, data, **kwargs):
        codes = super()._deserialize(value if self.json else _codes(value), attr, data, **kwargs)
        return codes if self.json else ",".join(code for code in self.vocabulary if code in codes)

    def to_json(self, value, locale):
        return super().to_json(_codes(value), locale)

    def to_cell(self, value, locale):
        return super().to_cell(_codes(value), locale)


def _codes(value) -> list[str]:
    return [c for c in value.split(",") if c] if isinstance(value, str) else list(value or [])


def _body_code(value, name):
    code = value.lower()
    if not all(c.isascii() and (c.isalnum() or c in "-_") for c in code):
        raise DomainError(_("Use lower-case Latin letters, digits and hyphens."), field=name)
    return code


class RegistrationBody(BilingualName, db.Model):
    """A data-asset registration body (登记机构) of a city, optionally operated by a member."""

    __tablename__ = "registration_bodies"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True, info=shown(  # given once, when it is recorded
        _l("Code"), required=True, normalise=_body_code,
        help=_l("Lower-case Latin letters, digits and hyphens; used in links and the API.")))
    name: Mapped[str] = mapped_column(String(120), unique=True, info=shown(_l("Name"), required=True))
    name_en: Mapped[str] = mapped_column(String(160), default="", info=shown(_l("English name")))
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    register_url: Mapped[str] = mapped_column(String(300), default="",  # its own public register, as text
                                              info=shown(_l("Address of its public register")))
    is_example: Mapped[bool] = mapped_column(default=False)  # illustrative demo row (示例)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    city = relationship("City", lazy="joined")
    member = relationship("Member", lazy="joined")

    @property
    def audit_label(self) -> str:
        return self.name


class Certificate(db.Model):
    """A data-asset registration certificate (登记证书) issued by a body to an enterprise."""

    __tablename__ = "registration_certificates"
    __audited__ = True
    # one certificate per body and number, whatever its case or width (services.certificates.number_key)
    __table_args__ = (UniqueConstraint("body_id", "number_key", name="uq_registration_certificates_body_number_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("registration_bodies.id"))  # indexed by the unique pair
    # In the order of the form and of the import's columns.
    number: Mapped[str] = mapped_column(String(60), info=shown(  # as written on the certificate
        _l("Certificate number"), required=True, column=("证书编号", "Certificate number")))
    number_key: Mapped[str] = mapped_column(String(60), index=True)  # what lookups match: NFKC, no spaces, upper case
    holder_name: Mapped[str] = mapped_column(String(200), info=shown(
        _l("Holder enterprise"), required=True, column=("持有企业", "Holder enterprise")))
    holder_uscc: Mapped[str] = mapped_column(String(18), index=True, info=shown(  # 统一社会信用代码
        _l("Unified social credit code"), kind=CreditCode, max_length=40, required=True,
        column=("统一社会信用代码", "Unified social credit code"),
        help=_l("18 characters; the last one is a check digit (GB 32100-2015).")))
    product_name: Mapped[str] = mapped_column(String(200), info=shown(
        _l("Data product"), required=True, column=("数据产品", "Data product")))
    issued_on: Mapped[date] = mapped_column(info=shown(_l("Issued on"), required=True, column=("发证日期", "Issued on")))
    valid_until: Mapped[date | None] = mapped_column(info=shown(_l("Valid until"), column=("有效期至", "Valid until")))
    status: Mapped[str] = mapped_column(String(20), default="valid", info=shown(
        _l("Status"), choices=CERTIFICATE_STATUSES, column=("状态", "Status"), unknown=_l("Unknown status: %(value)s")))
    status_changed_on: Mapped[date | None] = mapped_column(info=shown(  # when it was cancelled or revoked
        _l("Cancelled or revoked on"), column=("注销或撤销日期", "Cancelled or revoked on")))
    status_reason: Mapped[str] = mapped_column(String(300), default="", info=shown(_l("Reason"),
                                                                                   column=("原因", "Reason")))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    body = relationship("RegistrationBody", lazy="joined")

    @property
    def audit_label(self) -> str:
        return f"{self.number} {self.product_name}"


class Recognition(db.Model):
    """Body A (recognising) accepts body B's (issuing) certificates from ``effective_from``;
    a mutual agreement covers both directions. Revocation is final; suspensions are
    periods (``RecognitionSuspension``) and together with the agreement form its history."""

    __tablename__ = "recognitions"
    __audited__ = True
    __table_args__ = (
        Index("ix_recognitions_pair", "recognising_body_id", "issuing_body_id"),
        Index("ix_recognitions_reverse_pair", "issuing_body_id", "recognising_body_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recognising_body_id: Mapped[int] = mapped_column(ForeignKey("registration_bodies.id"))
    issuing_body_id: Mapped[int] = mapped_column(ForeignKey("registration_bodies.id"))
    mutual: Mapped[bool] = mapped_column(default=False, info=shown(_l("Mutual: each accepts the other's certificates")))
    effective_from: Mapped[date] = mapped_column(index=True, info=shown(_l("In force from"), required=True))
    document_ref: Mapped[str] = mapped_column(String(200), info=shown(_l("Document reference"), required=True))
    revoked_on: Mapped[date | None]
    revoke_reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recognising_body = relationship("RegistrationBody", foreign_keys=[recognising_body_id], lazy="joined")
    issuing_body = relationship("RegistrationBody", foreign_keys=[issuing_body_id], lazy="joined")
    suspensions = relationship("RecognitionSuspension", back_populates="recognition",
                               order_by="RecognitionSuspension.starts_on", cascade="all, delete-orphan")

    @property
    def audit_label(self) -> str:
        arrow = "⇄" if self.mutual else "→"
        return f"{self.recognising_body.name} {arrow} {self.issuing_body.name}"


class RecognitionSuspension(db.Model):
    """A period in which an agreement is suspended: from ``starts_on`` (not in force that
    day) until ``ends_on`` (in force again that day), open while ``ends_on`` is empty."""

    __tablename__ = "recognition_suspensions"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    recognition_id: Mapped[int] = mapped_column(ForeignKey("recognitions.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date]
    reason: Mapped[str] = mapped_column(String(300))
    ends_on: Mapped[date | None]
    resume_reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recognition = relationship("Recognition", back_populates="suspensions")

    @property
    def audit_label(self) -> str:
        return f"#{self.recognition_id} {self.starts_on}"


class DataSpace(BilingualName, db.Model):
    """A trusted data space (可信数据空间)."""

    __tablename__ = "data_spaces"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True, info=shown(_l("Name"), required=True))
    name_en: Mapped[str] = mapped_column(String(200), default="", info=shown(_l("English name")))
    kind: Mapped[str] = mapped_column(String(20), index=True, info=shown(
        _l("Kind"), choices=SPACE_KINDS, required=True, unknown=_l("Choose the kind of space.")))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id"), index=True)
    domains: Mapped[str] = mapped_column(String(300), default="", info=shown(  # comma-separated DOMAINS codes
        _l("Domains served"), kind=StoredCodes, choices=DOMAINS, unknown=_l("Unknown domain: %(value)s")))
    circulation_mask: Mapped[int] = mapped_column(default=0)  # catalog CIRCULATION_MODES bits
    status: Mapped[str] = mapped_column(String(20), index=True, info=shown(
        _l("Status"), choices=SPACE_STATUSES, required=True, unknown=_l("Choose the status.")))
    launched_on: Mapped[date | None] = mapped_column(info=shown(_l("Launched on")))
    description: Mapped[str] = mapped_column(Text, default="", info=shown(_l("Description"), max_length=5000,
                                                                          multiline=True))
    is_example: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    operator = relationship("Member", lazy="joined")
    city = relationship("City", lazy="joined")

    @property
    def domain_list(self) -> list[str]:
        return [d for d in (self.domains or "").split(",") if d]

    @property
    def circulation_modes(self) -> list[str]:
        return modes_from_mask(self.circulation_mask or 0)

    @property
    def audit_label(self) -> str:
        return self.name


class DataSpaceResource(db.Model):
    """A resource-map entry is available in a data space."""

    __tablename__ = "data_space_resources"
    __audited__ = True

    space_id: Mapped[int] = mapped_column(ForeignKey("data_spaces.id", ondelete="CASCADE"), primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("data_resources.id", ondelete="CASCADE"), primary_key=True,
                                             index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def audit_label(self) -> str:
        return f"space {self.space_id} · resource {self.resource_id}"


class CertificateImportBatch(db.Model):
    """Parsed, validated certificate rows kept between preview and confirmation (the
    resource map's rule): a random token bound to the uploading user, for one body."""

    __tablename__ = "certificate_import_batches"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("registration_bodies.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(200), default="")
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(index=True)
