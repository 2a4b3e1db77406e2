"""Spreadsheets in and out, shared by the domains.

Writing: CSV (RFC 4180, UTF-8 with a BOM so Excel reads Chinese, ``,`` between cells, CRLF) and
XLSX; headers and rows in, bytes out. Cells are typed: numbers, dates and instants stay numbers,
dates and instants (an aware instant is ISO 8601 with its offset in CSV, and a date-time cell
showing the same text in XLSX), text is text. In CSV, text a spreadsheet would read as a formula
(leading = + - @, tab, carriage return, possibly after quotes) gets one more leading ``'`` (the
formula guard), which the CSV reader takes off again, so an exported file reads back exactly. An
XLSX text cell is typed as a string and never evaluated: it needs no guard and is written as it is.

Reading: ``read_rows`` reads an uploaded file defensively (size, zip bombs, formulas reported
and never evaluated, encodings). CSV is read as RFC 4180 with nothing guessed: UTF-8 with or
without BOM, or GB18030; ``,`` between cells unless the header row is separated by tabs or
``;`` only (or the file starts with Excel's ``sep=`` line); quotes, doubled quotes, separators and
line breaks inside quoted cells anywhere. A file that cannot be read fully is refused
(``UploadRejected``) naming the row and column of the first problem. ``cell_text`` and
``header_key`` normalise what a cell holds; row problems are collected as ``Problem`` (row number,
column, message) in a ``ParseResult``."""
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from flask_babel import gettext as _

from .exceptions import DomainError

MAX_ROWS = 20_000  # rows of one upload
MAX_COLUMNS = 60
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_ZIP_ENTRIES = 2_000
# Text a spreadsheet would take for a formula, also behind quotes a guard added before: the guard
# is one more ``'`` in front, so guarding and unguarding are exact inverses.
DANGEROUS = re.compile(r"^'*[=+\-@\t\r]")
GUARDED = re.compile(r"^'(?='*[=+\-@\t\r])")
DELIMITERS = (",", "\t", ";")  # in this order of precedence in a CSV file's header row


def neutralise(value):
    """The CSV formula guard: ``=1+1`` → ``'=1+1`` (and ``'=1`` → ``''=1``), other values as they are."""
    if isinstance(value, str) and DANGEROUS.match(value):
        return "'" + value
    return value


def unguard(text: str) -> str:
    """The inverse of ``neutralise`` for a CSV cell: one leading ``'`` before a formula-looking text removed."""
    return GUARDED.sub("", text, count=1)


def to_csv(headers, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v if isinstance(v, str) else _plain(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(columns, example: list, locale: str, sheet_title: tuple[str, str], width: int = 18,
                  allowed: list[tuple[str, list]] | None = None, notes: list[str] | None = None) -> bytes:
    """An import template: the columns' headers in ``locale`` (``columns`` as (field, Chinese,
    English, required); required ones starred, bold), one example row and, with ``allowed``,
    a second sheet listing the values each vocabulary column accepts; with ``notes``, a sheet of
    notes (说明 · Notes), one paragraph a row."""
    import openpyxl  # here, not at the top: 0.2 s of start-up (tests/core/test_imports.py)
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
    if notes:
        sheet = book.create_sheet("说明" if zh else "Notes")
        sheet.column_dimensions["A"].width = 120
        for text in notes:
            sheet.append([text])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _aware(value) -> bool:
    return isinstance(value, datetime) and value.utcoffset() is not None


def _plain(value) -> str:
    """A non-text cell as CSV text: dates as ISO, an aware instant as ISO 8601 with its offset
    (``2025-11-26T10:05:00+08:00``), whole floats without ``.0``."""
    if _aware(value):
        return value.replace(microsecond=0).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def to_xlsx(headers, rows, sheet_title="Sheet") -> bytes:
    """An XLSX file written by XlsxWriter row by row (``constant_memory``: a row is on disk once
    written, so 100,000 rows need little memory; several times faster than openpyxl's writer).
    Nothing in a text cell is turned into a formula, a number or a link."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False,
                                     "default_date_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet(re.sub(r"[\[\]:*?/\\]", " ", sheet_title)[:31].strip("'") or "Sheet")
    bold = book.add_format({"bold": True})
    formats = {}  # number format → the book's format object

    def fmt(number_format):
        if number_format not in formats:
            formats[number_format] = book.add_format({"num_format": number_format})
        return formats[number_format]

    for col, text in enumerate(headers):
        sheet.write_string(0, col, str(text), bold)
    for row_no, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            _xlsx_cell(sheet, row_no, col, value, fmt)
    book.close()
    return out.getvalue()


def _xlsx_cell(sheet, row, col, value, fmt):
    """A typed cell: text typed as a string (never a formula, whatever it says; no guard needed),
    numbers as numbers, dates as dates; an aware instant as its wall-clock time in a date-time cell
    whose format shows the ISO 8601 text with the offset (Excel keeps no zone)."""
    if value is None or value == "":
        return
    if isinstance(value, str):
        sheet.write_string(row, col, value)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif _aware(value):
        offset = value.isoformat()[-6:]  # +08:00
        sheet.write_datetime(row, col, value.replace(tzinfo=None, microsecond=0),
                             fmt(f'yyyy-mm-dd"T"hh:mm:ss"{offset}"'))
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, value, fmt("yyyy-mm-dd hh:mm"))
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, fmt("yyyy-mm-dd"))
    elif isinstance(value, (int, float, Decimal)):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value))


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
    notes: list[Problem] = field(default_factory=list)  # what reading did that the preview says (row, column, text)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def header_key(text) -> str:
    """A header as compared: without spaces, stars, colons and underscores, lower case."""
    return re.sub(r"[\s*＊:：_]+", "", str(text or "")).lower()


def cell_text(value) -> str:
    """A cell as text without surrounding spaces: integers without ``.0``, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    return str(value).strip()


def read_header(row, row_no: int, headers: dict, required, title, result: ParseResult) -> dict[int, str] | None:
    """The columns of an import's header row: {index: field} for the headers known to ``headers``
    (``header_key`` → field; ``"_ignored"`` for columns read past on purpose). Unknown headers are
    listed in ``result.ignored_columns``. When a ``required`` field has no column, a problem naming
    them (by ``title(field)``) is added and None returned."""
    columns: dict[int, str] = {}
    for index, text in enumerate(row):
        key = headers.get(header_key(cell_text(text)))
        if index >= MAX_COLUMNS and cell_text(text):
            result.problems.append(Problem(row_no, column_letter(index + 1), _(
                "The file has more than %(n)d columns; delete the columns the template does not have.",
                n=MAX_COLUMNS)))
            return None
        if key is None or key == "_ignored":
            if cell_text(text):
                result.ignored_columns.append(cell_text(text))
        elif key not in columns.values():
            columns[index] = key
    missing = [title(f) for f in required if f not in columns.values()]
    if missing:
        result.problems.append(Problem(row_no, "", _(
            "The header row lacks required columns: %(cols)s. Download the template to see them.",
            cols="、".join(missing))))
        return None
    return columns


def unplaced_values(row, header, row_no: int, problems: list) -> None:
    """A problem for each value in a column whose header is empty (or past the header's last
    column): the import cannot say what it is, and never drops it silently."""
    for index, value in enumerate(row):
        if cell_text(value) and (index >= len(header) or not cell_text(header[index])):
            problems.append(Problem(row_no, column_letter(index + 1), _(
                "This value is in a column without a header, so it cannot be imported: %(v)s. Give the column "
                "its header from the template, or delete the value.", v=cell_text(value)[:40])))


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
    import openpyxl  # at use, for start-up (tests/core/test_imports.py); with defusedxml installed it parses safely
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1):  # one more: a value there is reported
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


def column_letter(index: int) -> str:
    """A 1-based column number as a spreadsheet names it: 1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _where(row: int, column: int, header=None) -> str:
    name = header[column - 1] if header and column <= len(header) and header[column - 1] else ""
    return (_("row %(row)d, column %(col)s (%(name)s)", row=row, col=column_letter(column), name=name) if name
            else _("row %(row)d, column %(col)s", row=row, col=column_letter(column)))


def _position(text: str) -> tuple[int, int]:
    """Where the end of ``text`` (a file read up to a problem) is: (record, column), 1-based."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or text.endswith(("\n", "\r")):
        return len(rows) + 1, 1
    return len(rows), max(1, len(rows[-1]))


def _decode_csv(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        if body is not data:  # a UTF-8 BOM, then bytes that are not UTF-8
            bad = error
        else:
            try:
                return data.decode("gb18030")
            except UnicodeDecodeError:
                bad = error
    row, column = _position(body[:bad.start].decode("utf-8"))
    raise UploadRejected(_("The file's text encoding could not be recognised (first unreadable byte at %(where)s). "
                           "Save it as UTF-8 or GB18030 CSV, or as .xlsx.", where=_where(row, column))) from None


def _delimiter(first_record: str) -> str:
    """The separator the header row uses: ``,`` when it has one outside quotes; otherwise a tab,
    otherwise ``;``; ``,`` for a header of one column."""
    outside, quoted = [], False
    for char in first_record:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(char)
    return next((d for d in DELIMITERS if d in outside), ",")


def _bad_quote(record: str, delimiter: str) -> tuple[int, bool]:
    """In a record the csv module refused: the column of the first bad quote, and whether it is
    an unclosed one (rather than text after a closing quote)."""
    column, i, n = 1, 0, len(record)
    while i < n:
        if record[i] == '"':  # a quoted cell
            i += 1
            while True:
                if i >= n:
                    return column, True
                if record[i] == '"':
                    if i + 1 < n and record[i + 1] == '"':
                        i += 2
                        continue
                    break
                i += 1
            i += 1
            if i < n and record[i] not in (delimiter, "\r", "\n"):
                return column, False
        else:
            while i < n and record[i] not in (delimiter, "\r", "\n"):
                i += 1
        if i < n and record[i] in "\r\n":
            return column, False  # the record ended before the error: should not happen
        i += 1
        column += 1
    return column, True


class _Lines:
    """A text's lines for csv.reader, remembering where the current record started."""

    def __init__(self, text: str):
        self.lines = io.StringIO(text, newline="").readlines()
        self.next = 0
        self.record_start = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.next >= len(self.lines):
            raise StopIteration
        self.next += 1
        return self.lines[self.next - 1]

    def record(self) -> str:
        return "".join(self.lines[self.record_start:self.next])


def _read_csv(data: bytes):
    """RFC 4180, nothing guessed (see the module's docstring); each cell as written, the formula
    guard of our own exports (``neutralise``) taken off."""
    text = _decode_csv(data)
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a long cell is the row parser's to report
    if "\x00" in text:
        raise UploadRejected(_("This file is not a spreadsheet we can read. Upload an .xlsx or .csv file."))
    lines = _Lines(text)
    first = next((line for line in lines.lines if line.strip()), "")
    hint = re.fullmatch(r"sep=(.)\r?\n?", lines.lines[0]) if lines.lines else None
    if hint and hint[1] in DELIMITERS:  # Excel's own way of saying which separator a file uses
        delimiter = hint[1]
        lines.next = lines.record_start = 1
    else:
        delimiter = _delimiter(first)
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    row_no, header = 0, None
    while True:
        lines.record_start = lines.next
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            record = lines.record()
            column, unclosed = _bad_quote(record, delimiter)
            where = _where(row_no + 1, column, header)
            if unclosed or "field larger" in str(error):
                message = _("The CSV file cannot be read: at %(where)s a quote opens a cell and is never closed. "
                            "Nothing was imported.", where=where)
            else:
                message = _("The CSV file cannot be read: at %(where)s a cell continues after its closing quote. "
                            "Inside a quoted cell write a quote as two quotes (\"\"). Nothing was imported.",
                            where=where)
            raise UploadRejected(message) from None
        row_no += 1
        cells = tuple(unguard(cell) for cell in row[:MAX_COLUMNS + 1])
        if header is None and any(c.strip() for c in cells):
            header = cells
        yield cells


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


