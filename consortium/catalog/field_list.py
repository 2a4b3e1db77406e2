"""An entry's field list (字段清单): the name, type and description of each column of its data,
read from a spreadsheet cell or a pasted list, checked, and written back (``ColumnList``, the kind
of ``DataResource.schema_fields``)."""
import csv
import io
import re

from flask_babel import gettext as _
from marshmallow import fields, validate

from consortium.core.entity import Described, cell_text, ruled
from consortium.core.exceptions import DomainError

from .constants import FIELD_TYPES

SCHEMA_MAX_FIELDS = 300


# The field list's header line, as the import template's notes give it: a first line that is
# exactly one of these is a header; any other line is a field (a field may be called ``name``).
COLUMN_LIST_HEADERS = (("字段名", "类型", "说明"), ("name", "type", "description"))
# first words that an earlier reader took for a header; now they are fields, and the preview says so
LOOKS_LIKE_HEADER = {"字段名", "字段名称", "字段", "name", "field"}


def parse_column_list(text: str) -> list[dict]:
    """Fields from a field list written in a cell or pasted from a spreadsheet: one field per
    line, ``name,type,description`` read as CSV (RFC 4180: a cell with a comma, quote or line
    break is quoted, a quote doubled) or, when the first line has a tab outside quotes, as tab
    separated cells (what a spreadsheet's copy gives). Every line is a field, except blank lines
    and a first line that is exactly the template's header (``COLUMN_LIST_HEADERS``). A line
    with more than three cells is refused (its extra cells would be lost)."""
    text = (text or "").strip("\r\n")
    if not text.strip():
        return []
    first = text.splitlines()[0]
    outside = re.sub(r'"[^"]*"', "", first)
    delimiter = "\t" if "\t" in outside else ","
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        raise DomainError(_("The field list cannot be read: a quote is not closed, or text follows a closing "
                            "quote. Write one field a line as name,type,description; quote a cell that holds a "
                            "comma."), field="schema_fields") from None
    rows = []
    for n, cells in enumerate(lines, start=1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if not rows and tuple(cells) in COLUMN_LIST_HEADERS:
            continue
        if len(cells) > 3:
            raise DomainError(_("Line %(n)d of the field list has %(count)d cells; give name, type and description "
                                "(quote a description that holds a comma).", n=n, count=len(cells)),
                              field="schema_fields")
        cells += ["", ""]
        rows.append({"name": cells[0], "type": cells[1], "description": cells[2], "_line": True})
    return rows


def column_list_note(text: str) -> str | None:
    """What reading a field list did with its first line, for the import preview: taken as the
    header (the template's own), or kept as a field although it looks like a header word."""
    first = next((line for line in (text or "").splitlines() if line.strip()), "")
    cells = tuple(c.strip() for c in next(csv.reader([first], delimiter="\t" if "\t" in first else ","), []))
    if not cells:
        return None
    if cells in COLUMN_LIST_HEADERS:
        return _("The first line of the field list (%(line)s) is the template's header: it was not read as a field.",
                 line=",".join(cells))
    if cells[0].lower() in LOOKS_LIKE_HEADER:
        return _("The first line of the field list (%(line)s) was read as a field named %(name)s: only a line that is "
                 "exactly %(header)s is a header.", line=",".join(cells), name=cells[0],
                 header=" / ".join(",".join(h) for h in COLUMN_LIST_HEADERS))
    return None


def column_list_text(fields_: list[dict]) -> str:
    """A field list as a cell holds it: one field a line, ``name,type,description`` as CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for f in fields_ or []:
        writer.writerow([f["name"], f["type"], f["description"]])
    return out.getvalue().rstrip("\n")


TYPE_ALIASES = {"字符串": "string", "文本": "string", "字符": "string", "varchar": "string", "text": "string",
                "str": "string", "整数": "integer", "int": "integer", "bigint": "integer", "数值": "decimal",
                "小数": "decimal", "number": "decimal", "float": "decimal", "double": "decimal", "日期": "date",
                "时间": "datetime", "日期时间": "datetime", "timestamp": "datetime", "布尔": "boolean",
                "bool": "boolean", "是否": "boolean", "空间": "geometry", "坐标": "geometry", "其他": "other"}


def clean_schema_fields(value, name="schema_fields") -> list[dict]:
    """The field list: [{"name", "type", "description"}], names unique, type from FIELD_TYPES
    (Chinese spreadsheet words such as 字符串/整数/日期 are understood), empty rows dropped."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = parse_column_list(value)
    if not isinstance(value, list):
        raise DomainError(_("Send the fields as a list."), field=name)
    if len(value) > SCHEMA_MAX_FIELDS:
        raise DomainError(_("At most %(n)d fields.", n=SCHEMA_MAX_FIELDS), field=name)
    clean, seen = [], set()
    for n, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise DomainError(_("Field %(n)d is not a name/type/description record.", n=n), field=name)
        field_name = str(item.get("name") or "").strip()
        kind = str(item.get("type") or "").strip()
        description = str(item.get("description") or "").strip()
        if not (field_name or description) and not item.get("_line"):
            continue  # a blank row of the form (its type select always posts a value); a written line is kept
        if not field_name:
            raise DomainError(_("Field %(n)d has no name.", n=n), field=name)
        if len(field_name) > 100 or len(description) > 500:
            raise DomainError(_("Field %(name)s: name at most 100, description at most 500 characters.",
                                name=field_name[:100]), field=name)
        kind = TYPE_ALIASES.get(kind.lower(), kind.lower()) if kind else "string"
        if kind not in FIELD_TYPES:
            raise DomainError(_("Field %(name)s has an unknown type: %(type)s", name=field_name, type=kind),
                              field=name)
        if field_name in seen:
            raise DomainError(_("Field %(name)s is listed twice.", name=field_name), field=name)
        seen.add(field_name)
        clean.append({"name": field_name, "type": kind, "description": description})
    return clean


class ColumnList(Described, fields.List):
    """An entry's field list (字段清单): name, type and description of each column of the data.
    In a spreadsheet cell: one field per line, ``name,type,description`` as CSV (``parse_column_list``)."""

    def __init__(self, *, label, column=None, **kw):
        super().__init__(fields.Dict(keys=fields.String(), values=fields.String()),
                         validate=validate.Length(max=SCHEMA_MAX_FIELDS), **kw)
        self._describe(label, column, None, None, 12, False)

    def _deserialize(self, value, attr, data, **kwargs):
        """A list of name/type/description records (in an API body a list of objects), or their
        text as a cell or a form's text area holds it."""
        return ruled(clean_schema_fields, self._typed(value, attr, data, **kwargs), attr)

    def from_cell(self, value):
        try:
            return clean_schema_fields(cell_text(value))
        except DomainError as e:
            raise ValueError(e.message) from None

    def to_cell(self, value, locale):
        return column_list_text(value)

    def to_json(self, value, locale):
        return list(value or [])

    def out_field(self):
        return fields.List(fields.Dict(), required=True)
