"""The downloadable import template: the definition's columns (required ones starred), one
example row, a sheet of the values each vocabulary column accepts and a sheet of notes (how
lists, dates, the field list, samples and CSV files are written)."""
from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _

from consortium.core import spreadsheets
from consortium.core.entity import LIST_SEPARATOR, Choice, Choices

from ..constants import FIELD_TYPES
from ..constants import SAMPLE_MAX_ROWS
from ..field_list import COLUMN_LIST_HEADERS
from .columns import COLUMNS, FIELDS

EXAMPLE = {"code": "QD-JT-001", "title": "公交车辆实时位置", "description": "全市公交车辆 GPS 实时位置与到站预测",
           "keywords": "公交,实时位置", "domain": "交通", "department": "市交通运输局", "contact_name": "张三",
           "contact_email": "data@example.cn", "frequency": "实时", "record_count": 1200000, "size_mb": 350.5,
           "temporal_start": date(2023, 1, 1), "temporal_end": date(2025, 6, 30), "spatial_coverage": "青岛市",
           "openness": "有条件开放", "circulation_modes": "供方数据不出域,基于隐私计算", "formats": "CSV,API",
           "has_api": "是", "data_updated_on": date(2025, 6, 30), "is_public": "是",
           "contact_phone": "0532-8000 0000 转 123", "licence": "授权运营协议", "usage_conditions": "仅限在可信数据空间内使用",
           "schema_fields": "line_no,string,线路编号\nlon,decimal,经度（WGS84）\nlat,decimal,纬度（WGS84）",
           "sample_csv": "line_no,lon,lat\nK1,120.38,36.07\nK1,120.39,36.08",
           "download_url": "https://data.example.cn/files/bus-positions.csv"}


def notes() -> list[str]:
    """The template's notes (说明 · Notes), in the current language (an English page names the
    English form of the field list's header; both are accepted)."""
    zh_header, en_header = (",".join(h) for h in COLUMN_LIST_HEADERS)
    header = en_header if str(get_locale()).startswith("en") else zh_header
    return [
        _("One entry per row. Columns marked * are required. The resource code is unique within your "
          "organisation: importing a row with a code that exists updates that entry."),
        _("Lists (keywords, formats, circulation modes): items separated by %(sep)s, e.g. bus%(sep)sGPS "
          "(、 ， ; and ； are accepted too when importing).", sep=LIST_SEPARATOR),
        _("Dates: YYYY-MM-DD (a date cell is fine too). Yes/no columns: yes or no."),
        _("Field list: one field per line, written as name,type,description; a cell that holds a "
          "comma, a quote or a line break is put between double quotes, and a quote inside is written twice. "
          "A first line that is exactly %(header)s is a header; every other line is a field (also one "
          "called name). Types: see the Allowed values sheet.", header=header),
        _("Sample rows: a header line and at most %(n)d rows, as CSV.", n=SAMPLE_MAX_ROWS),
        _("Download URL: the address of the data file itself (http:// or https://), when there is one."),
        _("CSV files: UTF-8 (with or without BOM) or GB18030, RFC 4180: cells separated by commas (by "
          "semicolons or tabs when the header row is), quoted when they hold a separator, quote or line "
          "break. In CSV files this portal exports, text beginning with = + - or @ is preceded by an apostrophe "
          "(') so that spreadsheets do not run it as a formula; the import takes that apostrophe off again."),
        _("Exports add the member, province, city and last modification (ISO 8601, Beijing time, e.g. "
          "2025-11-26T10:05:00+08:00); the import checks the member, province and city and ignores the "
          "last modification."),
        _("XLSX files: the first sheet is read; formulas are not accepted (paste the values)."),
    ]


def template_xlsx(locale: str) -> bytes:
    zh = locale.startswith("zh")
    allowed = [((zh_h if zh else en), FIELDS[name].vocabulary.chinese_labels()) for name, zh_h, en, _r in COLUMNS
               if isinstance(FIELDS[name], (Choice, Choices))]
    allowed.append((_("Field types"), list(FIELD_TYPES)))
    return spreadsheets.template_xlsx(COLUMNS, [EXAMPLE.get(name) for name, *_rest in COLUMNS], locale,
                                      ("资源清单", "Resources"), allowed=allowed, notes=notes())
