"""Registration bodies, their certificates, recognition agreements (with their
suspensions: the history), trusted data spaces and their links to resource-map entries."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.catalog.constants import modes_from_mask
from consortium.core.clock import utcnow
from consortium.core.naming import BilingualName
from consortium.extensions import db


class RegistrationBody(BilingualName, db.Model):
    """A data-asset registration body (登记机构) of a city, optionally operated by a member."""

    __tablename__ = "registration_bodies"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_en: Mapped[str] = mapped_column(String(160), default="")
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    register_url: Mapped[str] = mapped_column(String(300), default="")  # its own public register, as text
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
    number: Mapped[str] = mapped_column(String(60))  # as written on the certificate
    number_key: Mapped[str] = mapped_column(String(60), index=True)  # what lookups match: NFKC, no spaces, upper case
    holder_name: Mapped[str] = mapped_column(String(200))
    holder_uscc: Mapped[str] = mapped_column(String(18), index=True)  # 统一社会信用代码
    product_name: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date]
    valid_until: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="valid")  # CERTIFICATE_STATUSES
    status_changed_on: Mapped[date | None]  # when it was cancelled or revoked
    status_reason: Mapped[str] = mapped_column(String(300), default="")
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
    mutual: Mapped[bool] = mapped_column(default=False)
    effective_from: Mapped[date] = mapped_column(index=True)
    document_ref: Mapped[str] = mapped_column(String(200))
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
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20), index=True)  # SPACE_KINDS
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id"), index=True)
    domains: Mapped[str] = mapped_column(String(300), default="")  # comma-separated catalog DOMAINS codes
    circulation_mask: Mapped[int] = mapped_column(default=0)  # catalog CIRCULATION_MODES bits
    status: Mapped[str] = mapped_column(String(20), index=True)  # SPACE_STATUSES
    launched_on: Mapped[date | None]
    description: Mapped[str] = mapped_column(Text, default="")
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
