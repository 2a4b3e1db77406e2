"""Export of a search result as CSV (UTF-8 with BOM, so Excel opens Chinese)
and XLSX. Only what the actor may see: the rows come from
``search.build_select(actor, params)``, which applies ``visible_clause``.

Every text cell that a spreadsheet would read as a formula (leading = + - @,
tab or carriage return) is prefixed with a quote. The headers are the import
template's, so an exported file can be imported again unchanged."""
import csv
import io
import re

from consortium.core.clock import local_datetime
from consortium.core.validation import is_finite
from consortium.extensions import db

from .constants import CIRCULATION_MODES, DOMAINS, FREQUENCIES, LICENCES, OPENNESS, label
from .imports import COLUMNS, EXPORT_ONLY

MAX_EXPORT_ROWS = 100_000
DANGEROUS = re.compile(r"^[=+\-@\t\r]")


def neutralise(value):
    """A cell safe to open in Excel, LibreOffice or Google Sheets."""
    if isinstance(value, str) and DANGEROUS.match(value):
        return "'" + value
    return value


def headers(locale: str) -> list[str]:
    zh = locale.startswith("zh")
    return ([zh_h if zh else en for _f, zh_h, en, _r in COLUMNS]
            + [zh_h if zh else en for _f, zh_h, en in EXPORT_ONLY])


def _yes_no(value: bool, locale: str) -> str:
    return ("是" if value else "否") if locale.startswith("zh") else ("yes" if value else "no")


def row_values(resource, locale: str) -> list:
    """One entry as the import template's columns (vocabularies as labels)."""
    sep = "、" if locale.startswith("zh") else ", "
    values = {
        "domain": label(DOMAINS, resource.domain, locale),
        "frequency": label(FREQUENCIES, resource.frequency, locale),
        "openness": label(OPENNESS, resource.openness, locale),
        "circulation_modes": sep.join(label(CIRCULATION_MODES, m, locale) for m in resource.circulation_modes),
        "has_api": _yes_no(resource.has_api, locale),
        "is_public": _yes_no(resource.is_public, locale),
        "temporal_start": resource.temporal_start, "temporal_end": resource.temporal_end,
        "data_updated_on": resource.data_updated_on,
        "licence": label(LICENCES, resource.licence, locale) if resource.licence else "",
        "schema_fields": "\n".join(",".join((f["name"], f["type"], f["description"]))
                                   for f in resource.schema_fields or []),
    }
    out = [values[name] if name in values else getattr(resource, name) for name, *_rest in COLUMNS]
    out = [None if not is_finite(v) and isinstance(v, float) else v for v in out]  # never write inf/NaN
    city = resource.city
    out += [resource.member.display_name(locale), city.province.display_name(locale) if city else "",
            city.display_name(locale) if city else "",
            local_datetime(resource.updated_at).replace(tzinfo=None, microsecond=0) if resource.updated_at else None]
    return out


def iter_resources(stmt):
    return db.session.scalars(stmt.limit(MAX_EXPORT_ROWS).execution_options(yield_per=1000))


def to_csv(resources, locale: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers(locale))
    for resource in resources:
        writer.writerow(["" if v is None else neutralise(v if isinstance(v, str) else _plain(v))
                         for v in row_values(resource, locale)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def to_xlsx(resources, locale: str) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("资源清单" if locale.startswith("zh") else "Resources")
    bold = Font(bold=True)
    header_cells = []
    for text in headers(locale):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for resource in resources:
        row = []
        for value in row_values(resource, locale):
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            elif hasattr(value, "isoformat"):
                cell.number_format = "yyyy-mm-dd hh:mm" if hasattr(value, "hour") else "yyyy-mm-dd"
            row.append(cell)
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
