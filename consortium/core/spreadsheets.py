"""One writer for tabular downloads (CSV with a BOM so Excel reads Chinese, and
XLSX), shared by the domains: headers and rows in, bytes out. Every text cell a
spreadsheet would read as a formula (leading = + - @, tab, carriage return) is
prefixed with a quote, and XLSX text cells are typed as strings."""
import csv
import io
import re

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
        writer.writerow(["" if v is None else neutralise(v if isinstance(v, str) else str(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


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
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
