"""Export of a search result as CSV (UTF-8 with BOM, so Excel opens Chinese) and XLSX, written
by the kernel's spreadsheet writer (typed cells; the CSV formula guard). Only what the actor
may see: the rows come from ``search.build_select(actor, params)``, which applies
``visible_clause``. The columns are the definition's, under the import template's headers, so
an exported file imports again exactly (export → import → export gives the same cells); the
reader's columns (member, province, city, last modified as ISO 8601 in Beijing time, +08:00)
follow. Multi-valued cells use the one list separator (``core.entity.LIST_SEPARATOR``)."""
import functools
import operator

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from consortium.core import spreadsheets
from consortium.core.clock import local_datetime
from consortium.core.entity import Choice, Choices, Flag
from consortium.extensions import db
from consortium.geo.models import City
from consortium.members.models import Member

from .constants import modes_from_mask
from .imports.columns import COLUMNS, EXPORT_ONLY, FIELDS
from .models import DataResource

MAX_EXPORT_ROWS = 100_000


def headers(locale: str) -> list[str]:
    zh = locale.startswith("zh")
    return ([zh_h if zh else en for _f, zh_h, en, _r in COLUMNS]
            + [zh_h if zh else en for _f, zh_h, en in EXPORT_ONLY])


def field_cells(locale: str):
    """A function giving the definition's columns of one entry (vocabularies as labels, in
    ``locale``); ``record`` is an entry or a row of its columns (``ROW_COLUMNS``). Made once per
    export: each field's ``to_cell`` as it is, its result kept per value for the fields with few
    values (vocabularies, flags, the modes' bit mask), so a label is looked up once per export
    rather than once per cell (in English each lookup is a translation)."""
    convert = []
    for name, *_rest in COLUMNS:
        field = FIELDS[name]
        if name == "circulation_modes":
            def cell(mask, field=field):
                return field.to_cell(modes_from_mask(mask or 0), locale)
        else:
            def cell(value, field=field):
                return field.to_cell(value, locale)
        convert.append(functools.cache(cell) if isinstance(field, (Choice, Choices, Flag)) else cell)
    values = operator.attrgetter(*_ATTRIBUTES)
    return lambda record: [to_cell(value) for to_cell, value in zip(convert, values(record))]


def reader_cells(member: str, province: str, city: str, updated_at) -> list:
    return [member, province, city, local_datetime(updated_at).replace(microsecond=0) if updated_at else None]


def reader_columns(locale: str):
    """A function giving the reader's columns of an entry or a plain row (``ROW_COLUMNS``):
    members' and places' names in ``locale`` come from one lookup each, made once per export."""
    members = {m.id: m.display_name(locale) for m in db.session.scalars(select(Member))}
    places = {c.id: (c.province.display_name(locale), c.display_name(locale))
              for c in db.session.scalars(select(City).options(joinedload(City.province)))}
    return lambda r: reader_cells(members[r.member_id], *places.get(r.city_id, ("", "")), r.updated_at)


def row_values(records, locale: str):
    """Entries, or plain rows of ``ROW_COLUMNS``, as the import template's columns followed by
    the reader's columns."""
    cells, reader = field_cells(locale), reader_columns(locale)
    for r in records:
        yield cells(r) + reader(r)


# The attributes the columns are read from, and the columns an export reads (plain rows: no
# entry objects are built, ~4× faster).
_ATTRIBUTES = tuple("circulation_mask" if name == "circulation_modes" else name for name, *_rest in COLUMNS)
ROW_COLUMNS = tuple(getattr(DataResource, name) for name in _ATTRIBUTES) + (
    DataResource.id, DataResource.member_id, DataResource.city_id, DataResource.updated_at)


def iter_resources(stmt):
    """The rows of a search's statement (``select(DataResource)…``, its filters and order kept)
    as plain rows of the export's columns."""
    return db.session.execute(stmt.with_only_columns(*ROW_COLUMNS).limit(MAX_EXPORT_ROWS)
                              .execution_options(yield_per=1000))


def to_csv(resources, locale: str) -> bytes:
    return spreadsheets.to_csv(headers(locale), row_values(resources, locale))


def to_xlsx(resources, locale: str) -> bytes:
    return spreadsheets.to_xlsx(headers(locale), row_values(resources, locale),
                                "资源清单" if locale.startswith("zh") else "Resources")
