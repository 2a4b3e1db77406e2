"""The downloadable import template: the definition's columns (required ones starred), one
example row, and a sheet of the values each vocabulary column accepts."""
from datetime import date

from flask_babel import gettext as _

from consortium.core import spreadsheets
from consortium.core.entity import Choice, Choices

from ..constants import FIELD_TYPES
from .columns import COLUMNS, FIELDS

EXAMPLE = {"code": "QD-JT-001", "title": "公交车辆实时位置", "description": "全市公交车辆 GPS 实时位置与到站预测",
           "keywords": "公交、实时位置", "domain": "交通", "department": "市交通运输局", "contact_name": "张三",
           "contact_email": "data@example.cn", "frequency": "实时", "record_count": 1200000, "size_mb": 350.5,
           "temporal_start": date(2023, 1, 1), "temporal_end": date(2025, 6, 30), "spatial_coverage": "青岛市",
           "openness": "有条件开放", "circulation_modes": "供方数据不出域、基于隐私计算", "formats": "CSV,API",
           "has_api": "是", "data_updated_on": date(2025, 6, 30), "is_public": "是", "contact_phone": "0532-00000000",
           "licence": "授权运营协议", "usage_conditions": "仅限在可信数据空间内使用",
           "schema_fields": "line_no,string,线路编号\nlon,decimal,经度\nlat,decimal,纬度"}


def template_xlsx(locale: str) -> bytes:
    zh = locale.startswith("zh")
    allowed = [((zh_h if zh else en), FIELDS[name].vocabulary.chinese_labels()) for name, zh_h, en, _r in COLUMNS
               if isinstance(FIELDS[name], (Choice, Choices))]
    allowed.append((_("Field types"), list(FIELD_TYPES)))
    return spreadsheets.template_xlsx(COLUMNS, [EXAMPLE.get(name) for name, *_rest in COLUMNS], locale,
                                      ("资源清单", "Resources"), allowed=allowed)
