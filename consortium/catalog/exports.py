"""Export of a search result as CSV (UTF-8 with BOM, so Excel opens Chinese) and XLSX, written
by the kernel's spreadsheet writer (typed cells; the CSV formula guard). Only what the actor
may see: the rows come from ``search.build_select(actor, params)``, which applies
``visible_clause``. The columns are the definition's, under the import template's headers, so
an exported file imports again exactly (export → import → export gives the same cells); the
reader's columns (member, province, city, last modified as ISO 8601 in Beijing time, +08:00)
follow. Multi-valued cells use the one list separator (``core.entity.LIST_SEPARATOR``)."""
from consortium.core import spreadsheets
from consortium.core.clock import local_datetime
from consortium.extensions import db

from .constants import modes_from_mask
from .imports.columns import COLUMNS, EXPORT_ONLY, FIELDS
from .models import DataResource

MAX_EXPORT_ROWS = 100_000


def headers(locale: str) -> list[str]:
    zh = locale.startswith("zh")
    return ([zh_h if zh else en for _f, zh_h, en, _r in COLUMNS]
            + [zh_h if zh else en for _f, zh_h, en in EXPORT_ONLY])


def field_cells(record, locale: str) -> list:
    """The definition's columns of one entry (vocabularies as labels, in ``locale``). ``record``
    is an entry or a row of its columns (``ROW_COLUMNS``)."""
    return [FIELDS[name].to_cell(modes_from_mask(record.circulation_mask or 0) if name == "circulation_modes"
                                 else getattr(record, name), locale) for name, *_rest in COLUMNS]


def reader_cells(member: str, province: str, city: str, updated_at) -> list:
    return [member, province, city, local_datetime(updated_at).replace(microsecond=0) if updated_at else None]


def row_values(resource, locale: str) -> list:
    """One entry as the import template's columns followed by the reader's columns."""
    city = resource.city
    return field_cells(resource, locale) + reader_cells(
        resource.member.display_name(locale), city.province.display_name(locale) if city else "",
        city.display_name(locale) if city else "", resource.updated_at)


# The columns a large export reads (plain rows: no entry objects are built, ~4× faster).
ROW_COLUMNS = tuple(getattr(DataResource, "circulation_mask" if name == "circulation_modes" else name)
                    for name, *_rest in COLUMNS) + (DataResource.id, DataResource.member_id,
                                                     DataResource.city_id, DataResource.updated_at)


def iter_resources(stmt):
    return db.session.scalars(stmt.limit(MAX_EXPORT_ROWS).execution_options(yield_per=1000))


def to_csv(resources, locale: str) -> bytes:
    return spreadsheets.to_csv(headers(locale), (row_values(r, locale) for r in resources))


def to_xlsx(resources, locale: str) -> bytes:
    return spreadsheets.to_xlsx(headers(locale), (row_values(r, locale) for r in resources),
                                "资源清单" if locale.startswith("zh") else "Resources")
