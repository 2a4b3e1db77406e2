"""Reading an uploaded inventory: header row → columns, each row → the model's values with
every problem (row, column, message), with the definition's field kinds: each cell as written
(Chinese labels, 是/否, 2025年6月30日: the kind's ``from_cell``), then the row's values loaded by
the definition (``core.entity.clean_values``), the one validation path the entry form and the API
go through."""
import re

from flask_babel import gettext as _

from consortium.core.entity import clean_values
from consortium.core.exceptions import FieldErrors
from consortium.core.naming import named
from consortium.core.spreadsheets import (MAX_ROWS, Formula, ParseResult, Problem, UploadRejected, cell_text,
                                          read_header, read_rows, unplaced_values)

from ..constants import mask_from_modes
from ..field_list import column_list_note
from ..schemas import ResourceFields
from .columns import COLUMNS, FIELDS, HEADERS, OWNER_COLUMNS, column_title

MAX_BLANK_ROWS = 100_000  # a sheet may carry formatted empty rows; beyond this it is hostile
MAX_CELL_CHARS = 5_000
EMPTY = {"Text": "", "Flag": False, "Choices": [], "ColumnList": []}


def _parse_row(cells: dict, row_no: int, problems: list) -> dict:
    """One spreadsheet row → the model's values; problems appended with row and column."""
    def problem(field_name, message):
        problems.append(Problem(row_no, column_title(field_name), message))

    for name, raw in cells.items():
        if isinstance(raw, Formula):
            problem(name, _("Formulas are not accepted; paste the values instead (%(f)s).", f=raw[:40]))
            cells[name] = None
    read, empty, refused = {}, {}, {}
    for name, _zh, _en, required in COLUMNS:  # the cell as written (the spreadsheet reader)
        raw = cells.get(name)
        try:
            value = FIELDS[name].from_cell(raw)
        except ValueError as e:
            refused[name], empty[name] = str(e), None
            continue
        if value in (None, ""):
            empty[name] = value
            if required and not cell_text(raw):
                refused[name] = _("%(column)s is missing.", column=column_title(name))
        else:
            read[name] = value
    try:  # then the definition's load, the one the entry form and the API go through
        loaded = clean_values(ResourceFields, read)
    except FieldErrors as e:
        loaded = e.valid
        refused |= e.errors
    out = {name: loaded.get(name, empty.get(name)) for name, *_rest in COLUMNS}
    for name, *_rest in COLUMNS:  # in the columns' order
        if name in refused:
            problem(name, refused[name])
    for name, kind in FIELDS.items():  # a cell in error still leaves a value of the right type
        if name in out and out[name] is None:
            out[name] = EMPTY.get(type(kind).__name__, None)
    if out.get("temporal_start") and out.get("temporal_end") and out["temporal_start"] > out["temporal_end"]:
        problem("temporal_end", _("The time coverage ends before it starts."))
    out["circulation_mask"] = mask_from_modes(out.pop("circulation_modes", None) or [])
    return out


def _owner_names(member) -> dict[str, set[str]]:
    city = member.city
    names = {"member": {named(member), member.name_en, member.code},
             "city": {city.name, city.name_en, city.adcode} if city else set(),
             "province": {city.province.name, city.province.name_en, city.province.code} if city else set()}
    return {k: {_place_key(v) for v in vals if v} for k, vals in names.items()}


def _place_key(value) -> str:
    """青岛市 = 青岛, 山东省 = 山东: compare place names without their administrative suffix."""
    return re.sub(r"(省|市|自治区|特别行政区|地区|自治州|盟)$", "", str(value).strip()).lower()


def _check_owner(cells: dict, member, row_no: int, problems: list):
    """The member, province and city columns of an exported file must name the importing
    member and its city: entries are always listed in their owner's city."""
    values = {name: cell_text(cells.pop("_" + name, None)) for name in OWNER_COLUMNS}
    if member is None:  # a parse without a member (syntax only); every import passes its member
        return
    names = _owner_names(member)
    for field_name, label_text in OWNER_COLUMNS.items():
        value = values[field_name]
        if value and _place_key(value) not in names[field_name]:
            where = f"{named(member)} · {named(member.city)}"
            problems.append(Problem(row_no, str(label_text), _(
                "“%(v)s” is not the %(col)s of the importing member (%(where)s). Entries are listed in their "
                "member's city: fix the value, or delete the column.", v=value[:60], col=str(label_text),
                where=where)))


def parse_upload(data: bytes, filename: str = "", member=None, translate=None) -> ParseResult:
    """Read and validate a whole file for ``member``. Raises UploadRejected when the file
    itself is unreadable; cell and row problems are collected in the result. ``translate(field,
    cell)``, when given, rewrites each cell before it is read (a harvest source's vocabulary maps:
    its own words for the portal's)."""
    result = ParseResult()
    rows = read_rows(data, filename)
    header = None
    seen_codes: dict[str, int] = {}
    blank = 0
    for row_no, row in enumerate(rows, start=1):
        if header is None:
            if not any(cell_text(v) for v in row):
                blank += 1
                if blank > 20:
                    break
                continue
            header = row
            columns = read_header(row, row_no, HEADERS, [f for f, _zh, _en, required in COLUMNS if required],
                                  column_title, result)
            if columns is None:
                return result
            continue
        if not any(cell_text(v) for v in row):
            blank += 1
            if blank > MAX_BLANK_ROWS:
                raise UploadRejected(_("The file has too many rows (at most %(n)d).", n=MAX_ROWS))
            continue
        if len(result.rows) >= MAX_ROWS:
            raise UploadRejected(_("The file has too many rows (at most %(n)d).", n=MAX_ROWS))
        unplaced_values(row, header, row_no, result.problems)
        cells = {name: row[index] if index < len(row) else None for index, name in columns.items()}
        for name, value in cells.items():
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS * 2:
                cells[name] = value[:MAX_CELL_CHARS * 2]
        _check_owner(cells, member, row_no, result.problems)
        if translate is not None:
            cells = {name: translate(name, value) for name, value in cells.items()}
        values = _parse_row(cells, row_no, result.problems)
        note = column_list_note(cell_text(cells.get("schema_fields")))
        if note:
            result.notes.append(Problem(row_no, column_title("schema_fields"), note))
        values["_row"] = row_no
        if values["code"]:
            first = seen_codes.get(values["code"])
            if first is not None:
                result.problems.append(Problem(row_no, column_title("code"), _(
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
