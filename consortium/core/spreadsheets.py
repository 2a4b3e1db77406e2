"""Spreadsheets in and out, shared by the domains.

Writing: CSV with a BOM so Excel reads Chinese, and XLSX; headers and rows in, bytes out. Every
text cell a spreadsheet would read as a formula (leading = + - @, tab, carriage return) is
prefixed with a quote, XLSX text cells are typed as strings, dates keep a date format.

Reading: ``read_rows`` reads an uploaded file defensively (size, zip bombs, formulas reported
and never evaluated, encodings), ``cell_text`` and ``header_key`` normalise what it holds; row
problems are collected as ``Problem`` (row number, column, message) in a ``ParseResult``."""
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

from .exceptions import DomainError

MAX_ROWS = 20_000  # rows of one upload
MAX_COLUMNS = 60
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_ZIP_ENTRIES = 2_000
NEUTRALISED = re.compile(r"^'(?=[=+\-@\t\r])")

DANGEROUS = re.compile(r"^[=+\-@\t\r]")


def neutralise(value):
    if isinstance(value, str) and DANGEROUS.match(value):
        return "'" + value
    return value


def to_csv(headers, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v if isinstance(v, str) else _plain(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(columns, example: list, locale: str, sheet_title: tuple[str, str], width: int = 18,
                  allowed: list[tuple[str, list]] | None = None) -> bytes:
    """An import template: the columns' headers in ``locale`` (``columns`` as (field, Chinese,
    English, required); required ones starred, bold), one example row and, with ``allowed``,
    a second sheet listing the values each vocabulary column accepts."""
    import openpyxl
    from openpyxl.styles import Font
    zh = locale.startswith("zh")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_title[0] if zh else sheet_title[1]
    sheet.append([(zh_h if zh else en) + ("*" if required else "") for _f, zh_h, en, required in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(example)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = width
    if allowed:
        values = book.create_sheet("可选值" if zh else "Allowed values")
        values.append([title for title, _v in allowed])
        for i in range(max(len(v) for _t, v in allowed)):
            values.append([v[i] if i < len(v) else None for _t, v in allowed])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _plain(value) -> str:
    """A non-text cell as CSV text: dates as ISO, whole floats without ``.0``."""
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def to_xlsx(headers, rows, sheet_title="Sheet") -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", sheet_title)[:31] or "Sheet")
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=neutralise(str(text)))
        cell.font = bold
        cell.data_type = "s"
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            elif isinstance(value, (date, datetime)):
                cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- reading

class UploadRejected(DomainError):
    """The file as a whole cannot be read (not a spreadsheet, too big, hostile)."""


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


def header_key(text) -> str:
    """A header as compared: without spaces, stars, colons and underscores, lower case."""
    return re.sub(r"[\s*＊:：_]+", "", str(text or "")).lower()


def cell_text(value) -> str:
    """A cell as text: integers without ``.0``, dates as ISO, our own export's
    formula-protecting quote removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    return NEUTRALISED.sub("", str(value).strip())


def read_header(row, row_no: int, headers: dict, required, title, result: ParseResult) -> dict[int, str] | None:
    """The columns of an import's header row: {index: field} for the headers known to ``headers``
    (``header_key`` → field; ``"_ignored"`` for columns read past on purpose). Unknown headers are
    listed in ``result.ignored_columns``. When a ``required`` field has no column, a problem naming
    them (by ``title(field)``) is added and None returned."""
    columns: dict[int, str] = {}
    for index, text in enumerate(row):
        key = headers.get(header_key(cell_text(text)))
        if key is None:
            if cell_text(text):
                result.ignored_columns.append(cell_text(text))
        elif key != "_ignored" and key not in columns.values():
            columns[index] = key
    missing = [title(f) for f in required if f not in columns.values()]
    if missing:
        result.problems.append(Problem(row_no, "", _(
            "The header row lacks required columns: %(cols)s. Download the template to see them.",
            cols="、".join(missing))))
        return None
    return columns


def cell_date(value):
    """A cell as a date: a date cell, or 2025-06-30, 2025/6/30, 2025.6.30, 2025年6月30日;
    None when empty; ValueError otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?", text)
    if not match:
        raise ValueError(text)
    return date(int(match[1]), int(match[2]), int(match[3]))


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


def read_rows(data: bytes, filename: str = ""):
    """The rows of an uploaded .xlsx (first sheet) or .csv file as tuples; UploadRejected when
    the file as a whole cannot be read safely."""
    if not data:
        raise UploadRejected(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadRejected(_("Old .xls workbooks are not supported. Save the file as .xlsx and upload it again."))
    if (filename or "").lower().endswith((".xlsx", ".xlsm")):
        raise UploadRejected(_("This file is not a spreadsheet we can read. Upload an .xlsx or .csv file."))
    return _read_csv(data)


