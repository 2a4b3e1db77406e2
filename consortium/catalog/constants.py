"""Controlled vocabularies of the resource map, with Chinese and English labels
and the EU vocabularies they map to for the DCAT-AP export."""
from flask_babel import lazy_gettext as _l

EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
EU_FREQ = "http://publications.europa.eu/resource/authority/frequency/"

# code: (Chinese label as users type it, translatable label, EU data theme)
DOMAINS = {
    "transport": ("交通", _l("Transport"), EU_THEME + "TRAN"),
    "health": ("医疗健康", _l("Health care"), EU_THEME + "HEAL"),
    "industry": ("工业", _l("Industry"), EU_THEME + "ECON"),
    "tourism": ("文旅", _l("Culture and tourism"), EU_THEME + "EDUC"),
    "finance": ("金融", _l("Finance"), EU_THEME + "ECON"),
    "government": ("政务", _l("Government services"), EU_THEME + "GOVE"),
    "market": ("市场监管", _l("Market regulation"), EU_THEME + "ECON"),
    "urban": ("城市治理", _l("Urban governance"), EU_THEME + "REGI"),
    "environment": ("气象环境", _l("Weather and environment"), EU_THEME + "ENVI"),
    "education": ("教育", _l("Education"), EU_THEME + "EDUC"),
    "agriculture": ("农业", _l("Agriculture"), EU_THEME + "AGRI"),
    "energy": ("能源", _l("Energy"), EU_THEME + "ENER"),
    "social": ("社会保障", _l("Social security"), EU_THEME + "SOCI"),
    "science": ("科技", _l("Science and technology"), EU_THEME + "TECH"),
}

FREQUENCIES = {
    "realtime": ("实时", _l("Real time"), EU_FREQ + "CONT"),
    "daily": ("每日", _l("Daily"), EU_FREQ + "DAILY"),
    "weekly": ("每周", _l("Weekly"), EU_FREQ + "WEEKLY"),
    "monthly": ("每月", _l("Monthly"), EU_FREQ + "MONTHLY"),
    "quarterly": ("每季度", _l("Quarterly"), EU_FREQ + "QUARTERLY"),
    "annual": ("每年", _l("Annual"), EU_FREQ + "ANNUAL"),
    "irregular": ("不定期", _l("Irregular"), EU_FREQ + "IRREG"),
}

OPENNESS = {
    "open": ("无条件开放", _l("Open without conditions")),
    "conditional": ("有条件开放", _l("Open on conditions")),
    "authorised": ("授权运营", _l("Authorised operation")),
    "closed": ("不予开放", _l("Not open")),
}

# The four circulation scenarios of the 2025 trusted-data-space white paper.
# Stored as a bit mask on DataResource.circulation_mask.
CIRCULATION_MODES = {
    "in_domain": (1, "供方数据不出域", _l("Data stays in the supplier's domain")),
    "privacy": (2, "基于隐私计算", _l("Privacy-preserving computation")),
    "central": (4, "数据汇聚至中心节点", _l("Data pooled at a central node")),
    "demand_side": (8, "产品在需方开发", _l("Product developed on the demand side")),
}

# Usage conditions / licences an entry can name (code: Chinese label, English label, URI for dct:license).
LICENCES = {
    "open_terms": ("无条件开放数据使用条款", _l("Terms for unconditionally open data"), None),
    "cc_by_4": ("CC BY 4.0", _l("CC BY 4.0"), "https://creativecommons.org/licenses/by/4.0/"),
    "authorised_agreement": ("授权运营协议", _l("Authorised-operation agreement"), None),
    "custom": ("自定义条款", _l("Custom terms"), None),
}

FIELD_TYPES = {"string": _l("Text"), "integer": _l("Whole number"), "decimal": _l("Decimal number"),
               "date": _l("Date"), "datetime": _l("Date and time"), "boolean": _l("Yes/no"),
               "geometry": _l("Geometry / coordinates"), "other": _l("Other")}

RESOURCE_STATUSES = {"active": _l("Active"), "retired": _l("Retired"),
                     "suspended": _l("Hidden: its member is suspended")}


def label(vocabulary: dict, code: str, locale: str) -> str:
    """The label users see: Chinese in zh, English otherwise."""
    entry = vocabulary.get(code)
    if entry is None:
        return code
    if vocabulary is CIRCULATION_MODES:
        return entry[1] if locale.startswith("zh") else str(entry[2])
    return entry[0] if locale.startswith("zh") else str(entry[1])


def modes_from_mask(mask: int) -> list[str]:
    return [code for code, (bit, *_rest) in CIRCULATION_MODES.items() if mask & bit]


def mask_from_modes(codes) -> int:
    return sum(CIRCULATION_MODES[c][0] for c in set(codes))
