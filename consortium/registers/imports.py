"""Spreadsheet import of a body's certificates, with the resource map's rules: the file
is read by the kernel's defensive reader (``core.spreadsheets``: size, zip bombs, formulas,
encodings), every problem is listed with its row, a preview shows what confirming will
do, and confirming writes all rows or none. Rows are keyed by certificate number:
a known number updates that certificate, a new one adds it."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.core import spreadsheets
from consortium.core.entity import Choice, Day, described
from consortium.core.entity import columns as definition_columns
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.core.import_batches import BatchStore, ImportPlan
from consortium.core.spreadsheets import (
    MAX_ROWS,
    ParseResult,
    Problem,
    UploadRejected,
    cell_date,
    cell_text,
    header_key,
    read_header,
    read_rows,
    unplaced_values,
)
from consortium.extensions import db

from . import permissions
from .constants import CERTIFICATE_STATUSES, code_for
from .models import Certificate, CertificateImportBatch
from .schemas import CertificateFields
from .services import certificates as certificate_services
from .services.certificates import number_key

# the columns are the definition's (schemas.CertificateFields): field, Chinese header, English header, required
COLUMNS = definition_columns(CertificateFields)
FIELD_LABELS = {name: f.label for name, f in described(CertificateFields).items()}
HEADERS = {}
for _field, _zh, _en, _req in COLUMNS:
    for _h in (_zh, _en, _field):
        HEADERS[header_key(_h)] = _field
DATE_FIELDS = tuple(name for name, f in described(CertificateFields).items() if isinstance(f, Day))
CHOICE_FIELDS = tuple(name for name, f in described(CertificateFields).items() if isinstance(f, Choice))
# the template's example row, by column (a column added later is left empty)
EXAMPLE = {"number": "QDDR-2025-0001", "holder_name": "青岛示例科技有限公司（示例）",
           "holder_uscc": "91370200MA3C5L1Y4U", "product_name": "海洋气象数据产品", "issued_on": date(2025, 6, 1),
           "valid_until": date(2028, 5, 31), "status": "有效"}


def _choice_cell(name, value) -> str:
    """A vocabulary cell: the code, its Chinese or English label."""
    if name == "status":  # the message users know for the status column
        code = code_for(CERTIFICATE_STATUSES, cell_text(value))
        if code is None:
            raise ValueError(_("Unknown status %(value)s: use 有效, 注销 or 撤销.", value=cell_text(value)))
        return code
    return described(CertificateFields)[name].from_cell(value)


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
    for name in CHOICE_FIELDS:
        if raw.get(name):
            try:
                values[name] = _choice_cell(name, cells[name])
            except ValueError as e:
                problems.append(Problem(row_no, str(FIELD_LABELS[name]), str(e)))
                return None
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
        unplaced_values(row, header, row_no, result.problems)
        cells = {name: row[index] if index < len(row) else None for index, name in columns.items()}
        values = _parse_row(cells, row_no, result.problems)
        if values is None:
            continue
        first = seen.get(number_key(values["number"]))
        if first is not None:
            result.problems.append(Problem(row_no, str(FIELD_LABELS["number"]), _(
                "Duplicate certificate number %(number)s (already on row %(first)d).",
                number=values["number"], first=first)))
            continue
        seen[number_key(values["number"])] = row_no
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
    """number_key -> the body's certificate: a row matches its certificate whatever the case or width."""
    found = {}
    keys = [number_key(n) for n in numbers]
    for start in range(0, len(keys), 500):
        for c in db.session.scalars(select(Certificate).where(Certificate.body_id == body.id,
                                                              Certificate.number_key.in_(keys[start:start + 500]))):
            found[c.number_key] = c
    return found


def plan_import(body, rows) -> ImportPlan:
    plan = ImportPlan()
    existing = _existing(body, [r["number"] for r in rows])
    for row in rows:
        certificate = existing.get(number_key(row["number"]))
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
    set_actor(actor)
    plan = plan_import(body, rows)
    existing = _existing(body, [row["number"] for row, _c in plan.updated])
    for row in plan.created:
        db.session.add(Certificate(body_id=body.id, number_key=number_key(row["number"]),
                                   **{k: v for k, v in row.items() if not k.startswith("_")}))
    for row, changes in plan.updated:
        for name, (_old, new) in changes.items():
            setattr(existing[number_key(row["number"])], name, new)
    db.session.flush()
    return plan


def template_xlsx(locale: str) -> bytes:
    return spreadsheets.template_xlsx(
        COLUMNS, [EXAMPLE.get(name) for name, *_rest in COLUMNS], locale, ("登记证书", "Certificates"), width=22)
