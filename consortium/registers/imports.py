"""Spreadsheet import of a body's certificates, with the resource map's rules: the file
is read by the kernel's defensive reader (``core.spreadsheets``: size, zip bombs, formulas,
encodings), every problem is listed with its row, a preview shows what confirming will
do, and confirming writes all rows or none. Rows are keyed by certificate number:
a known number updates that certificate, a new one adds it."""
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consortium.core import spreadsheets
from consortium.core.spreadsheets import (MAX_ROWS, ParseResult, Problem, UploadRejected, cell_date, cell_text,
                                          header_key, read_header, read_rows)
from consortium.core.import_batches import BatchStore, ImportPlan
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.extensions import db

from . import permissions
from .services import certificates as certificate_services
from .constants import CERTIFICATE_STATUSES, code_for
from .models import Certificate, CertificateImportBatch


# field, Chinese header, English header, required
COLUMNS = [
    ("number", "证书编号", "Certificate number", True),
    ("holder_name", "持有企业", "Holder enterprise", True),
    ("holder_uscc", "统一社会信用代码", "Unified social credit code", True),
    ("product_name", "数据产品", "Data product", True),
    ("issued_on", "发证日期", "Issued on", True),
    ("valid_until", "有效期至", "Valid until", False),
    ("status", "状态", "Status", False),
    ("status_changed_on", "注销或撤销日期", "Cancelled or revoked on", False),
    ("status_reason", "原因", "Reason", False),
]
FIELD_LABELS = {"number": _l("Certificate number"), "holder_name": _l("Holder enterprise"),
                "holder_uscc": _l("Unified social credit code"), "product_name": _l("Data product"),
                "issued_on": _l("Issued on"), "valid_until": _l("Valid until"), "status": _l("Status"),
                "status_changed_on": _l("Cancelled or revoked on"), "status_reason": _l("Reason")}
HEADERS = {}
for _field, _zh, _en, _req in COLUMNS:
    for _h in (_zh, _en, _field):
        HEADERS[header_key(_h)] = _field
DATE_FIELDS = ("issued_on", "valid_until", "status_changed_on")


def _parse_row(cells: dict, row_no: int, problems: list) -> dict | None:
    raw = {name: cell_text(value) for name, value in cells.items()}
    values = dict(raw)
    for name in DATE_FIELDS:
        if raw.get(name):
            try:
                values[name] = cell_date(cells[name])
            except ValueError:
                problems.append(Problem(row_no, str(FIELD_LABELS[name]), _("Enter a date as YYYY-MM-DD.")))
                return None
    if raw.get("status"):
        code = code_for(CERTIFICATE_STATUSES, raw["status"])
        if code is None:
            problems.append(Problem(row_no, str(FIELD_LABELS["status"]), _(
                "Unknown status %(value)s: use 有效, 注销 or 撤销.", value=raw["status"])))
            return None
        values["status"] = code
    try:
        return certificate_services.certificate_values(values)
    except DomainError as e:
        problems.append(Problem(row_no, str(FIELD_LABELS.get(e.field, "")), e.message))
        return None


def parse_upload(data: bytes, filename: str = "") -> ParseResult:
    """Read and validate a whole file; UploadRejected when the file itself is unreadable."""
    result = ParseResult()
    header = None
    seen: dict[str, int] = {}
    for row_no, row in enumerate(read_rows(data, filename), start=1):
        if not any(cell_text(v) for v in row):
            continue
        if header is None:
            header = row
            columns = read_header(row, row_no, HEADERS, [f for f, _zh, _en, required in COLUMNS if required],
                                  lambda f: str(FIELD_LABELS[f]), result)
            if columns is None:
                return result
            continue
        if len(result.rows) + len(result.problems) >= MAX_ROWS:
            raise UploadRejected(_("The file has too many rows (at most %(n)d).", n=MAX_ROWS))
        cells = {name: row[index] if index < len(row) else None for index, name in columns.items()}
        values = _parse_row(cells, row_no, result.problems)
        if values is None:
            continue
        first = seen.get(values["number"])
        if first is not None:
            result.problems.append(Problem(row_no, str(FIELD_LABELS["number"]), _(
                "Duplicate certificate number %(number)s (already on row %(first)d).",
                number=values["number"], first=first)))
            continue
        seen[values["number"]] = row_no
        values["_row"] = row_no
        result.rows.append(values)
    if header is None:
        raise UploadRejected(_("The file is empty."))
    if not result.rows and not result.problems:
        result.problems.append(Problem(None, "", _("The file has a header row but no entries.")))
    return result


# ---------------------------------------------------------------- preview batches

BATCHES = BatchStore(CertificateImportBatch, "body_id", date_fields=DATE_FIELDS)


def save_batch(actor, body, rows: list[dict], filename: str) -> str:
    return BATCHES.save(actor, body, rows, filename)


def load_batch(actor, token: str):
    """The batch and its rows, only for the user who uploaded it and only while fresh."""
    return BATCHES.load(actor, token)


def discard_batch(batch) -> None:
    BATCHES.discard(batch)


def claim_batch(batch) -> bool:
    """False when another confirmation of the same preview got it first."""
    return BATCHES.claim(batch)


def _existing(body, numbers) -> dict:
    found = {}
    numbers = list(numbers)
    for start in range(0, len(numbers), 500):
        for c in db.session.scalars(select(Certificate).where(Certificate.body_id == body.id,
                                                              Certificate.number.in_(numbers[start:start + 500]))):
            found[c.number] = c
    return found


def plan_import(body, rows) -> ImportPlan:
    plan = ImportPlan()
    existing = _existing(body, [r["number"] for r in rows])
    for row in rows:
        certificate = existing.get(row["number"])
        if certificate is None:
            plan.created.append(row)
            continue
        changes = {k: (getattr(certificate, k), v) for k, v in row.items()
                   if not k.startswith("_") and getattr(certificate, k) != v}
        (plan.updated.append((row, changes)) if changes else plan.unchanged.append(row))
    return plan


def apply_rows(actor, body, rows) -> ImportPlan:
    """Flushes only: the caller commits or rolls back, so the import is all or nothing."""
    if actor is not None and not permissions.can_manage_body(actor, body):
        raise PermissionDenied(_("Only the operating member's users and the secretariat record this body's "
                                 "certificates."))
    from consortium.audit.services import set_actor
    set_actor(actor)
    plan = plan_import(body, rows)
    existing = _existing(body, [row["number"] for row, _c in plan.updated])
    for row in plan.created:
        db.session.add(Certificate(body_id=body.id, **{k: v for k, v in row.items() if not k.startswith("_")}))
    for row, changes in plan.updated:
        for name, (_old, new) in changes.items():
            setattr(existing[row["number"]], name, new)
    db.session.flush()
    return plan


def template_xlsx(locale: str) -> bytes:
    return spreadsheets.template_xlsx(
        COLUMNS, ["QDDR-2025-0001", "青岛示例科技有限公司（示例）", "91370200MA3C5L1Y4U", "海洋气象数据产品",
                  date(2025, 6, 1), date(2028, 5, 31), "有效", None, None],
        locale, ("登记证书", "Certificates"), width=22)
