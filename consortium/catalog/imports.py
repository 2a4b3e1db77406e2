"""Bulk import of a member's inventory from a spreadsheet (XLSX or CSV).

Three steps, shared by the web page and the CLI:

1. ``parse_upload(data, filename)`` reads the file defensively (size, row and
   cell limits, zip bombs, formulas, encodings) and returns normalised rows and
   every problem found, each with its row number, column and a translated message.
2. ``save_batch`` keeps the parsed rows server-side (a row of
   ``catalog_import_batches``, keyed by a random token bound to the user) until
   the user confirms; ``load_batch`` fetches it back.
3. ``apply_rows(actor, member, rows)`` upserts by (member, resource code) in the
   caller's transaction; unchanged entries are not touched (hence no audit rows).
"""
import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.core.import_batches import BatchStore, ImportPlan
from consortium.core.validation import clean_email
from consortium.extensions import db

from .constants import CIRCULATION_MODES, DOMAINS, FIELD_TYPES, FREQUENCIES, LICENCES, OPENNESS, mask_from_modes

from .import_batch import ImportBatch
from .models import DataResource
from .permissions import can_edit_for_member
from .services import clean_fields, clean_schema_fields

log = logging.getLogger(__name__)

MAX_ROWS = 20_000
MAX_BLANK_ROWS = 100_000  # a sheet may carry formatted empty rows; beyond this it is hostile
MAX_COLUMNS = 60
MAX_CELL_CHARS = 5_000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_ZIP_ENTRIES = 2_000

# field, Chinese header (the template's), English header, whether required.
# The export writes the same headers, so an exported file can be imported again.
COLUMNS = [
    ("code", "资源编码", "Resource code", True),
    ("title", "资源名称", "Title", True),
    ("description", "资源描述", "Description", False),
    ("keywords", "关键词", "Keywords", False),
    ("domain", "领域", "Domain", True),
    ("department", "数源单位", "Providing department", False),
    ("contact_name", "联系人", "Contact name", False),
    ("contact_email", "联系邮箱", "Contact e-mail", False),
    ("frequency", "更新频率", "Update frequency", True),
    ("record_count", "数据量（条）", "Records", False),
    ("size_mb", "数据大小（MB）", "Size (MB)", False),
    ("temporal_start", "时间范围起", "Time coverage from", False),
    ("temporal_end", "时间范围止", "Time coverage to", False),
    ("spatial_coverage", "空间范围", "Spatial coverage", False),
    ("openness", "开放属性", "Openness", True),
    ("circulation_modes", "流通模式", "Circulation modes", False),
    ("registration_no", "数据资产登记证书编号", "Registration certificate", False),
    ("formats", "数据格式", "Formats", False),
    ("has_api", "提供接口", "API available", False),
    ("data_updated_on", "数据更新日期", "Data last updated", False),
    ("is_public", "是否公开", "Public", False),
    ("contact_phone", "联系电话", "Contact phone", False),
    ("licence", "使用许可", "Licence", False),
    ("usage_conditions", "使用条件", "Usage conditions", False),
    ("schema_fields", "字段清单", "Fields", False),
]
FIELD_LABELS = {
    "code": _l("Resource code"), "title": _l("Title"), "description": _l("Description of the resource"),
    "keywords": _l("Keywords"), "domain": _l("Domain"), "department": _l("Providing department"),
    "contact_name": _l("Contact name"), "contact_email": _l("Contact e-mail"),
    "frequency": _l("Update frequency"), "record_count": _l("Records"), "size_mb": _l("Size (MB)"),
    "temporal_start": _l("Time coverage from"), "temporal_end": _l("Time coverage to"),
    "spatial_coverage": _l("Spatial coverage"), "openness": _l("Openness"),
    "circulation_modes": _l("Circulation modes"), "registration_no": _l("Registration certificate"),
    "formats": _l("Formats"), "has_api": _l("API available"), "data_updated_on": _l("Data last updated"),
    "is_public": _l("Public?"), "contact_phone": _l("Contact phone"), "licence": _l("Licence"),
    "usage_conditions": _l("Usage conditions"), "schema_fields": _l("Fields"),
}
# Columns the export adds for readers; the import recognises and ignores them.
EXPORT_ONLY = [("member", "成员单位", "Member"), ("province", "省份", "Province"), ("city", "城市", "City"),
               ("modified", "最后修改（北京时间）", "Last modified (Beijing time)")]
OWNER_COLUMNS = {"member": _l("Member"), "province": _l("Province"), "city": _l("City")}
MAX_LENGTH = {c.key: c.type.length for c in DataResource.__table__.columns
              if getattr(c.type, "length", None)}
MAX_LENGTH["description"] = MAX_CELL_CHARS
TEXT_FIELDS = ("code", "title", "description", "keywords", "department", "contact_name", "contact_email",
               "spatial_coverage", "registration_no", "formats", "contact_phone", "usage_conditions")
MODEL_FIELDS = ("title", "description", "keywords", "domain", "department", "contact_name", "contact_email",
                "frequency", "record_count", "size_mb", "temporal_start", "temporal_end", "spatial_coverage",
                "openness", "circulation_mask", "registration_no", "formats", "has_api", "data_updated_on",
                "is_public", "contact_phone", "licence", "usage_conditions", "schema_fields")
TRUE_WORDS = {"是", "有", "公开", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "无", "不公开", "n", "no", "false", "0", ""}
SPLIT_MODES = re.compile(r"[、,，;；/|\n]+")
NEUTRALISED = re.compile(r"^'(?=[=+\-@\t\r])")


@dataclass
class Problem:
    row: int | None  # spreadsheet row number (the header is row 1); None for the whole file
    column: str
    message: str


@dataclass
class ParseResult:
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


class UploadRejected(DomainError):
    """The file as a whole cannot be read (not a spreadsheet, too big, hostile)."""


# ---------------------------------------------------------------- reading files

def _header_key(text) -> str:
    return re.sub(r"[\s*＊:：_]+", "", str(text or "")).lower()


HEADERS = {}
for _field, _zh, _en, _req in COLUMNS:
    for _h in (_zh, _en, _field):
        HEADERS[_header_key(_h)] = _field
for _field, _zh, _en in EXPORT_ONLY:
    for _h in (_zh, _en, _field):  # owner columns of an export are checked, never silently dropped
        HEADERS.setdefault(_header_key(_h), "_" + _field if _field in OWNER_COLUMNS else "_ignored")
for _h in ("最后修改", "Last modified"):  # the header before it named the zone
    HEADERS.setdefault(_header_key(_h), "_ignored")
HEADERS[_header_key("数据量")] = "record_count"
HEADERS[_header_key("数据大小")] = "size_mb"


def _read_xlsx(data: bytes):
    """Rows of the first sheet as tuples; formulas are reported, never evaluated."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRejected(_("This file is not a spreadsheet we can read. Upload an .xlsx or .csv file.")) from None
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if len(infos) > MAX_ZIP_ENTRIES or total > MAX_UNZIPPED_BYTES or total / packed > MAX_ZIP_RATIO:
        raise UploadRejected(_("This file unpacks to far more data than a spreadsheet of this size should "
                               "(a possible zip bomb). It was not read."))
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise UploadRejected(_("This file is not a spreadsheet we can read. Upload an .xlsx or .csv file."))
    import openpyxl  # defusedxml is installed, so openpyxl parses the XML defensively
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(max_col=MAX_COLUMNS):
            yield tuple(_xlsx_value(c) for c in row)
        book.close()
    except UploadRejected:
        raise
    except Exception:  # openpyxl raises many kinds on malformed archives
        raise UploadRejected(_("This file is not a spreadsheet we can read. Upload an .xlsx or .csv file.")) from None


class Formula(str):
    """Marks a cell that holds a formula; the row parser reports it."""


def _xlsx_value(cell):
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")
                                                   and getattr(cell, "data_type", None) != "s"):
        return Formula(str(value))
    return value


def _decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UploadRejected(_("The file's text encoding could not be recognised. Save it as UTF-8 or "
                               "GB18030 CSV, or as .xlsx.")) from None


def _read_csv(data: bytes):
    text = _decode_csv(data)
    if "\x00" in text:
        raise UploadRejected(_("This file is not a spreadsheet we can read. Upload an .xlsx or .csv file."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            yield tuple(row[:MAX_COLUMNS])
    except csv.Error:
        raise UploadRejected(_("The CSV file is malformed (for example an unclosed quote).")) from None


def _rows_of(data: bytes, filename: str):
    if not data:
        raise UploadRejected(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadRejected(_("Old .xls workbooks are not supported. Save the file as .xlsx and upload it again."))
    if (filename or "").lower().endswith((".xlsx", ".xlsm")):
        raise UploadRejected(_("This file is not a spreadsheet we can read. Upload an .xlsx or .csv file."))
    return _read_csv(data)


# ---------------------------------------------------------------- cell parsing

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    text = str(value).strip()
    return NEUTRALISED.sub("", text)  # our own export protects = + - @ with a quote


def _vocabulary(vocab: dict, value: str):
    wanted = value.strip().lower()
    for code, entry in vocab.items():
        labels = (entry[1], entry[2]) if vocab is CIRCULATION_MODES else (entry[0], entry[1])
        if wanted == code.lower() or any(wanted == str(lab).strip().lower() for lab in labels):
            return code
    return None


def _parse_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?", text)
    if not match:
        raise ValueError
    return date(int(match[1]), int(match[2]), int(match[3]))


def _parse_int(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        number = int(value)
    else:
        text = _text(value).replace(",", "").replace("，", "")
        if not text:
            return None
        number = int(float(text)) if re.fullmatch(r"\d+(\.0+)?", text) else int(text)
    if number < 0 or number > 9_000_000_000_000_000_000:
        raise ValueError
    return number


def _parse_float(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = _text(value).replace(",", "")
        if not text:
            return None
        number = float(text)
    if not (0 <= number < 1e15):
        raise ValueError
    return number


def _parse_bool(value):
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError


def _parse_row(cells: dict, row_no: int, problems: list) -> dict:
    """One spreadsheet row → the model's values; problems appended with row and column."""
    before = len(problems)

    def problem(field_name, message):
        problems.append(Problem(row_no, str(FIELD_LABELS[field_name]), message))

    out = {}
    for name, raw in cells.items():
        if isinstance(raw, Formula):
            problem(name, _("Formulas are not accepted; paste the values instead (%(f)s).", f=raw[:40]))
            cells[name] = None
    for name in TEXT_FIELDS:
        text = _text(cells.get(name))
        limit = MAX_LENGTH.get(name, MAX_CELL_CHARS)
        if len(text) > limit:
            problem(name, _("Too long: at most %(n)d characters.", n=limit))
            text = text[:limit]
        out[name] = text
    if not out["code"]:
        problem("code", _("The resource code is missing."))
    if not out["title"]:
        problem("title", _("The title is missing."))
    if out["contact_email"]:
        try:
            out["contact_email"] = clean_email(out["contact_email"], "contact_email")
        except DomainError:
            problem("contact_email", _("Not an e-mail address: %(v)s", v=out["contact_email"][:80]))
    out["keywords"] = ",".join(k.strip() for k in re.split(r"[、,，;；]+", out["keywords"]) if k.strip())

    for name, vocab in (("domain", DOMAINS), ("frequency", FREQUENCIES), ("openness", OPENNESS)):
        text = _text(cells.get(name))
        out[name] = _vocabulary(vocab, text) if text else None
        if not text:
            problem(name, _("This column is required."))
        elif out[name] is None:
            choices = "、".join(entry[0] for entry in vocab.values())
            problem(name, _("Unknown value “%(v)s”. Use one of: %(choices)s", v=text, choices=choices))

    licence_text = _text(cells.get("licence"))
    out["licence"] = _vocabulary(LICENCES, licence_text) if licence_text else ""
    if out["licence"] is None:
        out["licence"] = ""
        problem("licence", _("Unknown value “%(v)s”. Use one of: %(choices)s", v=licence_text,
                             choices="、".join(entry[0] for entry in LICENCES.values())))
    try:
        out["schema_fields"] = clean_schema_fields(_text(cells.get("schema_fields")))
    except DomainError as e:
        out["schema_fields"] = []
        problem("schema_fields", e.message)

    modes = []
    for part in SPLIT_MODES.split(_text(cells.get("circulation_modes"))):
        if part.strip():
            code = _vocabulary(CIRCULATION_MODES, part)
            if code is None:
                choices = "、".join(entry[1] for entry in CIRCULATION_MODES.values())
                problem("circulation_modes", _("Unknown value “%(v)s”. Use one of: %(choices)s",
                                               v=part.strip(), choices=choices))
            else:
                modes.append(code)
    out["circulation_mask"] = mask_from_modes(modes)

    for name, parser, message in (
            ("record_count", _parse_int, _("Not a whole number of records: %(v)s")),
            ("size_mb", _parse_float, _("Not a size in MB: %(v)s")),
            ("temporal_start", _parse_date, _("Not a date (use YYYY-MM-DD): %(v)s")),
            ("temporal_end", _parse_date, _("Not a date (use YYYY-MM-DD): %(v)s")),
            ("data_updated_on", _parse_date, _("Not a date (use YYYY-MM-DD): %(v)s")),
            ("has_api", _parse_bool, _("Write 是 or 否: %(v)s")),
            ("is_public", _parse_bool, _("Write 是 or 否: %(v)s"))):
        try:
            out[name] = parser(cells.get(name))
        except (ValueError, TypeError, OverflowError):
            out[name] = None
            problem(name, message % {"v": _text(cells.get(name))[:40]})
    out["has_api"] = bool(out["has_api"])
    out["is_public"] = bool(out["is_public"])
    if out["temporal_start"] and out["temporal_end"] and out["temporal_start"] > out["temporal_end"]:
        problem("temporal_end", _("The time coverage ends before it starts."))
    if len(problems) == before:  # the row reads well: hold it to the same rules as the entry form
        try:
            clean = clean_fields({**{k: out[k] for k in MODEL_FIELDS if k != "circulation_mask"},
                                  "code": out["code"], "circulation_modes": modes})
        except DomainError as e:
            problem(e.field if e.field in FIELD_LABELS else "code", e.message)
        else:
            clean.pop("circulation_modes")
            out.update(clean)
    return out


def _owner_names(member) -> dict[str, set[str]]:
    city = member.city
    names = {"member": {member.name, member.name_en, member.code},
             "city": {city.name, city.name_en, city.adcode} if city else set(),
             "province": {city.province.name, city.province.name_en, city.province.code} if city else set()}
    return {k: {_place_key(v) for v in vals if v} for k, vals in names.items()}


def _place_key(value) -> str:
    """青岛市 = 青岛, 山东省 = 山东: compare place names without their administrative suffix."""
    return re.sub(r"(省|市|自治区|特别行政区|地区|自治州|盟)$", "", str(value).strip()).lower()


def _check_owner(cells: dict, member, row_no: int, problems: list):
    """The member, province and city columns of an exported file must name the importing
    member and its city: entries are always listed in their owner's city."""
    values = {name: _text(cells.pop("_" + name, None)) for name in OWNER_COLUMNS}
    if member is None:  # a parse without a member (syntax only); every import passes its member
        return
    names = _owner_names(member)
    for field_name, label_text in OWNER_COLUMNS.items():
        value = values[field_name]
        if value and _place_key(value) not in names[field_name]:
            where = f"{member.name} · {member.city.name}"
            problems.append(Problem(row_no, str(label_text), _(
                "“%(v)s” is not the %(col)s of the importing member (%(where)s). Entries are listed in their "
                "member's city: fix the value, or delete the column.", v=value[:60], col=str(label_text),
                where=where)))


def parse_upload(data: bytes, filename: str = "", member=None) -> ParseResult:
    """Read and validate a whole file for ``member``. Raises UploadRejected when the file
    itself is unreadable; cell and row problems are collected in the result."""
    result = ParseResult()
    rows = _rows_of(data, filename)
    header = None
    columns: dict[int, str] = {}
    seen_codes: dict[str, int] = {}
    blank = 0
    for row_no, row in enumerate(rows, start=1):
        if header is None:
            if not any(_text(v) for v in row):
                blank += 1
                if blank > 20:
                    break
                continue
            header = row
            for index, title in enumerate(row):
                key = HEADERS.get(_header_key(_text(title)))
                if key is None:
                    if _text(title):
                        result.ignored_columns.append(_text(title))
                elif key != "_ignored" and key not in columns.values():
                    columns[index] = key
            missing = [str(FIELD_LABELS[f]) for f, _zh, _en, required in COLUMNS
                       if required and f not in columns.values()]
            if missing:
                result.problems.append(Problem(row_no, "", _(
                    "The header row lacks required columns: %(cols)s. Download the template to see them.",
                    cols="、".join(missing))))
                return result
            continue
        if not any(_text(v) for v in row):
            blank += 1
            if blank > MAX_BLANK_ROWS:
                raise UploadRejected(_("The file has too many rows (at most %(n)d).", n=MAX_ROWS))
            continue
        if len(result.rows) >= MAX_ROWS:
            raise UploadRejected(_("The file has too many rows (at most %(n)d).", n=MAX_ROWS))
        cells = {name: row[index] if index < len(row) else None for index, name in columns.items()}
        for name, value in cells.items():
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS * 2:
                cells[name] = value[:MAX_CELL_CHARS * 2]
        _check_owner(cells, member, row_no, result.problems)
        values = _parse_row(cells, row_no, result.problems)
        values["_row"] = row_no
        if values["code"]:
            first = seen_codes.get(values["code"])
            if first is not None:
                result.problems.append(Problem(row_no, str(FIELD_LABELS["code"]), _(
                    "Duplicate resource code %(code)s (already on row %(first)d).",
                    code=values["code"], first=first)))
            else:
                seen_codes[values["code"]] = row_no
        result.rows.append(values)
    if header is None:
        raise UploadRejected(_("The file is empty."))
    if not result.rows and not result.problems:
        result.problems.append(Problem(None, "", _("The file has a header row but no entries.")))
    return result


# ---------------------------------------------------------------- batches

BATCHES = BatchStore(ImportBatch, "member_id", date_fields=("temporal_start", "temporal_end", "data_updated_on"))


def save_batch(actor, member, rows: list[dict], filename: str) -> str:
    """Keep validated rows until the user confirms; returns the batch token."""
    return BATCHES.save(actor, member, rows, filename)


def load_batch(actor, token: str):
    """The batch and its rows, only for the user who uploaded it and only while fresh."""
    return BATCHES.load(actor, token)


def discard_batch(batch) -> None:
    BATCHES.discard(batch)


def claim_batch(batch) -> bool:
    """False when another confirmation of the same preview got it first."""
    return BATCHES.claim(batch)


# ---------------------------------------------------------------- writing

def _same(old, new) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        return old is not None and new is not None and abs(float(old) - float(new)) < 1e-9
    return old == new


def _existing(member) -> dict:
    return {r.code: r for r in db.session.scalars(select(DataResource).where(DataResource.member_id == member.id))}


def plan_import(member, rows: list[dict]) -> ImportPlan:
    """What confirming would do, without changing anything."""
    plan = ImportPlan()
    existing = _existing(member)
    for row in rows:
        resource = existing.get(row["code"])
        if resource is None:
            plan.created.append(row)
            continue
        changes = {name: (getattr(resource, name), row[name]) for name in MODEL_FIELDS
                   if not _same(getattr(resource, name), row[name])}
        if resource.status != "active":
            changes["status"] = (resource.status, "active")
        (plan.updated.append((row, changes)) if changes else plan.unchanged.append(row))
    return plan


def apply_rows(actor, member, rows: list[dict]) -> ImportPlan:
    """Upsert by (member, resource code). Flushes only; the caller commits or
    rolls back, so the import is all or nothing. ``actor=None`` is the CLI."""
    if actor is not None and not can_edit_for_member(actor, member):
        raise PermissionDenied(_("You may only import entries for your own member organisation."))
    if not member.is_active:
        raise DomainError(_("This member is suspended; its entries cannot be changed."))
    set_actor(actor)
    plan = plan_import(member, rows)
    existing = _existing(member)
    for row in plan.created:
        db.session.add(DataResource(member_id=member.id, city_id=member.city_id, code=row["code"], status="active",
                                    **{name: row[name] for name in MODEL_FIELDS}))
    for row, changes in plan.updated:
        resource = existing[row["code"]]
        for name, (_old, new) in changes.items():
            setattr(resource, name, new)
    db.session.flush()
    log.info("import into member %s by user %s: %d created, %d updated, %d unchanged", member.code,
             getattr(actor, "id", "cli"), len(plan.created), len(plan.updated), len(plan.unchanged))
    return plan


def import_file(actor, member, data: bytes, filename: str = "") -> tuple[ParseResult, ImportPlan | None]:
    """Parse and, when the file has no problem at all, apply it (used by the CLI)."""
    result = parse_upload(data, filename, member)
    if not result.ok:
        return result, None
    return result, apply_rows(actor, member, result.rows)


# ---------------------------------------------------------------- template

def template_xlsx(locale: str) -> bytes:
    """The downloadable template: headers, one example row and a sheet of allowed values."""
    import openpyxl
    from openpyxl.styles import Font
    zh = locale.startswith("zh")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "资源清单" if zh else "Resources"
    sheet.append([(zh_h if zh else en) + ("*" if required else "") for _f, zh_h, en, required in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["QD-JT-001", "公交车辆实时位置", "全市公交车辆 GPS 实时位置与到站预测", "公交、实时位置",
                  "交通", "市交通运输局", "张三", "data@example.cn", "实时", 1200000, 350.5,
                  date(2023, 1, 1), date(2025, 6, 30), "青岛市", "有条件开放", "供方数据不出域、基于隐私计算",
                  "", "CSV,API", "是", date(2025, 6, 30), "是", "0532-00000000", "授权运营协议",
                  "仅限在可信数据空间内使用", "line_no,string,线路编号\nlon,decimal,经度\nlat,decimal,纬度"])
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 18
    values = book.create_sheet("可选值" if zh else "Allowed values")
    values.append([_("Domain"), _("Update frequency"), _("Openness"), _("Circulation modes"), _("Licence"),
                   _("Field types")])
    lists = [[e[0] for e in DOMAINS.values()], [e[0] for e in FREQUENCIES.values()],
             [e[0] for e in OPENNESS.values()], [e[1] for e in CIRCULATION_MODES.values()],
             [e[0] for e in LICENCES.values()], list(FIELD_TYPES)]
    for i in range(max(len(x) for x in lists)):
        values.append([x[i] if i < len(x) else None for x in lists])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
