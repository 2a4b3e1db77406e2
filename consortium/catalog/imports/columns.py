"""The import's columns, read from the entry's definition (``schemas.ResourceFields``): each
field with a spreadsheet column is imported and exported under its Chinese and English header,
so an exported file imports again unchanged."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from consortium.core.entity import columns as definition_columns
from consortium.core.entity import described
from consortium.core.spreadsheets import header_key

from ..schemas import ResourceFields

FIELDS = described(ResourceFields)
# field, Chinese header (the template's), English header, whether required.
COLUMNS = definition_columns(ResourceFields)
# Columns the export adds for readers; the import checks the owner's and ignores the rest.
EXPORT_ONLY = [("member", "成员单位", "Member"), ("province", "省份", "Province"), ("city", "城市", "City"),
               ("modified", "最后修改（北京时间）", "Last modified (Beijing time)")]
OWNER_COLUMNS = {"member": _l("Member"), "province": _l("Province"), "city": _l("City")}
# What a row writes on the model: every imported field but the key (code); modes are a bit mask.
MODEL_FIELDS = tuple("circulation_mask" if name == "circulation_modes" else name
                     for name, *_rest in COLUMNS if name != "code")

HEADERS = {}
for _field, _zh, _en, _req in COLUMNS:
    for _h in (_zh, _en, _field):
        HEADERS[header_key(_h)] = _field
for _field, _zh, _en in EXPORT_ONLY:
    for _h in (_zh, _en, _field):  # owner columns of an export are checked, never silently dropped
        HEADERS.setdefault(header_key(_h), "_" + _field if _field in OWNER_COLUMNS else "_ignored")
HEADERS[header_key("最后修改")] = HEADERS[header_key("Last modified")] = "_ignored"  # exports before 2026-11
HEADERS[header_key("数据量")] = "record_count"
HEADERS[header_key("数据大小")] = "size_mb"


def column_title(name: str, locale=None) -> str:
    """A field's column as the reader's spreadsheet names it (Chinese or English header)."""
    zh = str(locale or get_locale()).startswith("zh")
    for field_name, zh_h, en_h, _req in COLUMNS:
        if field_name == name:
            return zh_h if zh else en_h
    return str(OWNER_COLUMNS.get(name, name))


class _Labels(dict):
    """field → column title in the current language (for the preview's problem table)."""

    def __missing__(self, key):
        return column_title(key)


FIELD_LABELS = _Labels()
