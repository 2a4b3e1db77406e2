import csv
import io
import re
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import utcnow
from consortium.core.entity import LIST_SEPARATOR, Email, Link, shown
from consortium.core.exceptions import DomainError
from consortium.core.requests import check_code
from consortium.extensions import db

from .constants import (CONTACT, DATA, DOMAINS, FREQUENCIES, LICENCES, OPENNESS, SAMPLE, SAMPLE_MAX_ROWS, USE, WHAT,
                        modes_from_mask)
from .field_list import ColumnList


def _code(value, name):
    check_code(value)
    return value


def _listed(value, name):
    """A list typed with any of , ， 、 ; ； between its items: stored once each, separated by the
    one list separator (``LIST_SEPARATOR``), as exports write it and the API splits it."""
    return LIST_SEPARATOR.join(dict.fromkeys(k.strip() for k in re.split(r"[,，、;；]", value) if k.strip()))


def _sample(value, name):
    """A small CSV preview: a header and at most SAMPLE_MAX_ROWS rows."""
    rows = [r for r in csv.reader(io.StringIO(value)) if any(c.strip() for c in r)]
    if len(rows) > SAMPLE_MAX_ROWS + 1:
        raise DomainError(_("A sample has at most %(n)d rows below its header.", n=SAMPLE_MAX_ROWS), field=name)
    return value


class DataResource(db.Model):
    """One entry of the joint city data-resource map, owned by a member (hence a city)."""

    __tablename__ = "data_resources"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("member_id", "code", name="uq_data_resources_member_code"),
        Index("ix_data_resources_city_domain", "city_id", "domain"),
        Index("ix_data_resources_updated_at_id", "updated_at", "id"),  # newest first (home page), reload
        # covers the visible-entry counts of dashboards (city × domain, openness, mode):
        # read from the index alone, never a row lookup per entry
        Index("ix_data_resources_visible_counts", "status", "city_id", "domain", "openness", "circulation_mask",
              "is_public"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    # The fields of the entry form and the spreadsheet columns, in their order (see consortium.core.entity;
    # the circulation modes, kept as a bit mask, are chosen in schemas.ResourceFields).
    code: Mapped[str] = mapped_column(String(60), info=shown(  # the member's own resource code
        _l("Resource code"), required=True, column=("资源编码", "Resource code"), section=WHAT, width=4,
        normalise=_code, help=_l("Your own code; unique within your organisation and used for re-imports."),
        metadata={"example": "QD-API-001"}))
    title: Mapped[str] = mapped_column(String(200), info=shown(
        _l("Resource name"), required=True, column=("资源名称", "Title"), section=WHAT, width=8,
        metadata={"example": "公交线路与站点数据"}))
    description: Mapped[str] = mapped_column(Text, default="", info=shown(
        _l("Description of the resource"), max_length=5000, column=("资源描述", "Description"), section=WHAT,
        width=12, multiline=True))
    keywords: Mapped[str] = mapped_column(String(500), default="", info=shown(  # comma separated
        _l("Keywords"), column=("关键词", "Keywords"), section=WHAT, width=12, normalise=_listed, as_list=True,
        help=_l("Separated by commas.")))
    domain: Mapped[str] = mapped_column(String(30), index=True, info=shown(
        _l("Domain"), choices=DOMAINS, required=True, column=("领域", "Domain"), section=WHAT,
        unknown=_l("Unknown domain: %(value)s"), metadata={"example": "transport"}))
    department: Mapped[str] = mapped_column(String(120), default="", info=shown(  # 数源单位
        _l("Data-providing department"), column=("数源单位", "Providing department"), section=WHAT))
    contact_name: Mapped[str] = mapped_column(String(100), default="", info=shown(
        _l("Contact person"), column=("联系人", "Contact name"), section=CONTACT, width=4))
    contact_email: Mapped[str] = mapped_column(String(200), default="", info=shown(
        _l("Contact e-mail"), kind=Email, column=("联系邮箱", "Contact e-mail"), section=CONTACT, width=4))
    frequency: Mapped[str] = mapped_column(String(20), index=True, info=shown(
        _l("Update frequency"), choices=FREQUENCIES, required=True, column=("更新频率", "Update frequency"),
        section=DATA, width=4, unknown=_l("Unknown update frequency: %(value)s"), metadata={"example": "daily"}))
    record_count: Mapped[int | None] = mapped_column(BigInteger, info=shown(
        _l("Records"), column=("数据量（条）", "Records"), section=DATA))
    size_mb: Mapped[float | None] = mapped_column(info=shown(_l("Size (MB)"), column=("数据大小（MB）", "Size (MB)"),
                                                             section=DATA))
    temporal_start: Mapped[date | None] = mapped_column(info=shown(
        _l("Time coverage from"), column=("时间范围起", "Time coverage from"), section=DATA))
    temporal_end: Mapped[date | None] = mapped_column(info=shown(
        _l("Time coverage to"), column=("时间范围止", "Time coverage to"), section=DATA))
    spatial_coverage: Mapped[str] = mapped_column(String(200), default="", info=shown(
        _l("Spatial coverage"), column=("空间范围", "Spatial coverage"), section=DATA, width=4))
    openness: Mapped[str] = mapped_column(String(20), index=True, info=shown(
        _l("Openness"), choices=OPENNESS, required=True, column=("开放属性", "Openness"), section=USE,
        unknown=_l("Unknown openness: %(value)s"), metadata={"example": "open"}))
    circulation_mask: Mapped[int] = mapped_column(default=0)
    registration_no: Mapped[str] = mapped_column(String(80), default="", info=shown(  # 数据资产登记证书编号
        _l("Data-asset registration certificate no."), column=("数据资产登记证书编号", "Registration certificate"),
        section=DATA))
    formats: Mapped[str] = mapped_column(String(200), default="", info=shown(  # comma separated: CSV, XLSX, JSON …
        _l("Formats"), column=("数据格式", "Formats"), section=DATA, as_list=True, normalise=_listed,
        help=_l("e.g. CSV, XLSX, JSON")))
    has_api: Mapped[bool] = mapped_column(default=False, info=shown(
        _l("Available through an API"), column=("提供接口", "API available"), section=DATA))
    data_updated_on: Mapped[date | None] = mapped_column(info=shown(  # when the data itself was last updated
        _l("Data last updated on"), column=("数据更新日期", "Data last updated"), section=DATA))
    is_public: Mapped[bool] = mapped_column(default=False, index=True, info=shown(
        _l("Public: visible to anonymous visitors and in the open catalogue"), column=("是否公开", "Public"),
        section=USE))
    contact_phone: Mapped[str] = mapped_column(String(40), default="", info=shown(
        _l("Contact phone"), column=("联系电话", "Contact phone"), section=CONTACT, width=4))
    licence: Mapped[str] = mapped_column(String(30), default="", info=shown(  # a LICENCES code, "" = not stated
        _l("Licence / usage conditions"), choices=LICENCES, column=("使用许可", "Licence"), section=USE,
        blank=_l("Not stated"), unknown=_l("Unknown licence: %(value)s")))
    usage_conditions: Mapped[str] = mapped_column(Text, default="", info=shown(  # custom terms, or notes
        _l("Usage conditions (text)"), max_length=4000, column=("使用条件", "Usage conditions"), section=USE,
        width=12, multiline=True, help=_l("Required for custom terms; otherwise optional notes.")))
    schema_fields: Mapped[list] = mapped_column(JSON, default=list, info=shown(  # [{"name", "type", "description"}]
        _l("Fields"), kind=ColumnList, column=("字段清单", "Fields")))
    sample_csv: Mapped[str] = mapped_column(Text, default="", info=shown(  # a few illustrative rows, CSV with a header
        _l("Sample rows (CSV)"), max_length=4000, column=("样例数据", "Sample rows"), multiline=True,
        normalise=_sample, section=SAMPLE, width=12, help=_l("Optional: a header line and a few illustrative rows.")))
    download_url: Mapped[str] = mapped_column(String(500), default="", info=shown(  # the data file's own address
        _l("Download link"), kind=Link, column=("下载地址", "Download URL"), section=DATA, width=12,
        help=_l("Optional: where the data file itself can be downloaded (http:// or https://)."),
        metadata={"example": "https://data.example.cn/files/bus-stops.csv"}))
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"), index=True)  # the owner's city, kept for facets
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)  # incremental facet reload; indexed with id below

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")  # optimistic lock

    __mapper_args__ = {"version_id_col": version}

    member = relationship("Member", lazy="joined")
    city = relationship("City", lazy="joined")

    @property
    def coverage_is_city(self) -> bool:
        """The spatial coverage names the entry's own city (青岛市 or 青岛): pages show the city, in
        the reader's language; the DCAT file its Location."""
        city = self.city
        return city is not None and (self.spatial_coverage or "").strip() in (city.name, city.name.removesuffix("市"))

    @property
    def circulation_modes(self) -> list[str]:
        return modes_from_mask(self.circulation_mask or 0)

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in (self.keywords or "").replace("，", ",").replace("、", ",").split(",") if k.strip()]

    @property
    def audit_label(self) -> str:
        return f"{self.code} {self.title}"


class SearchChange(db.Model):
    """Append-only log of changes the in-memory search columns must follow: written by
    database triggers (so no writer can skip it) on every insert, update or delete of an
    entry ("W"; deletes "D" with the entry's id) and on every change of a member's, city's
    or province's names ("N"). Writers only ever append: no row is shared between them.
    On PostgreSQL ``xid`` is the writing transaction's id (readers compare it with their
    snapshot's xmin); on SQLite, where writers commit one after another, ``id`` is in commit order.
    Rows older than a day are pruned (``catalog.search.columns.prune_changes``)."""

    __tablename__ = "catalog_changes"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused: SQLite readers compare max(id)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(1))
    resource_id: Mapped[int | None]
    xid: Mapped[int | None] = mapped_column(BigInteger, index=True)  # PostgreSQL: the writing transaction
    # written by triggers, so the database's clock: an instant either way (timestamptz; SQLite's UTC text)
    at: Mapped[datetime] = mapped_column(server_default=func.now())  # pruning scans the (small) table hourly
