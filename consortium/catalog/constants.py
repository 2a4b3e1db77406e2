"""Controlled vocabularies of the resource map, with Chinese and English labels
and the EU vocabularies they map to for the DCAT-AP export."""
from flask_babel import lazy_gettext as _l

from consortium.core.vocab import Term, Vocabulary

# the entry form's sections, in order, and the sample rows an entry shows at most
WHAT, DATA, USE, CONTACT, SAMPLE = "what", "data", "use", "contact", "sample"
SECTIONS = {WHAT: _l("What it is"), DATA: _l("The data"), USE: _l("Openness and use"), CONTACT: _l("Contact"),
            SAMPLE: _l("Sample rows")}
SAMPLE_MAX_ROWS = 20

# The search's own facets (URL parameters); catalog.extras refuses an extra filter of the same name.
FACETS = ("province", "city", "member", "domain", "mode", "openness", "frequency")

EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
EU_FREQ = "http://publications.europa.eu/resource/authority/frequency/"

# Each term: code, Chinese label (as users type it), English label, and where it maps to an EU
# vocabulary, its URI for the DCAT-AP export.
DOMAINS = Vocabulary("domain", [
    Term("transport", "交通", _l("Transport"), EU_THEME + "TRAN"),
    Term("health", "医疗健康", _l("Health care"), EU_THEME + "HEAL"),
    Term("industry", "工业", _l("Industry"), EU_THEME + "ECON"),
    Term("tourism", "文旅", _l("Culture and tourism"), EU_THEME + "EDUC"),
    Term("finance", "金融", _l("Finance"), EU_THEME + "ECON"),
    Term("government", "政务", _l("Government services"), EU_THEME + "GOVE"),
    Term("market", "市场监管", _l("Market regulation"), EU_THEME + "ECON"),
    Term("urban", "城市治理", _l("Urban governance"), EU_THEME + "REGI"),
    Term("environment", "气象环境", _l("Weather and environment"), EU_THEME + "ENVI"),
    Term("education", "教育", _l("Education"), EU_THEME + "EDUC"),
    Term("agriculture", "农业", _l("Agriculture"), EU_THEME + "AGRI"),
    Term("energy", "能源", _l("Energy"), EU_THEME + "ENER"),
    Term("social", "社会保障", _l("Social security"), EU_THEME + "SOCI"),
    Term("science", "科技", _l("Science and technology"), EU_THEME + "TECH"),
])

FREQUENCIES = Vocabulary("frequency", [
    Term("realtime", "实时", _l("Real time"), EU_FREQ + "CONT"),
    Term("daily", "每日", _l("Daily"), EU_FREQ + "DAILY"),
    Term("weekly", "每周", _l("Weekly"), EU_FREQ + "WEEKLY"),
    Term("monthly", "每月", _l("Monthly"), EU_FREQ + "MONTHLY"),
    Term("quarterly", "每季度", _l("Quarterly"), EU_FREQ + "QUARTERLY"),
    Term("annual", "每年", _l("Annual"), EU_FREQ + "ANNUAL"),
    Term("irregular", "不定期", _l("Irregular"), EU_FREQ + "IRREG"),
])

OPENNESS = Vocabulary("openness", [
    Term("open", "无条件开放", _l("Open without conditions")),
    Term("conditional", "有条件开放", _l("Open on conditions")),
    Term("authorised", "授权运营", _l("Authorised operation")),
    Term("closed", "不予开放", _l("Not open")),
])

# The four circulation scenarios of the 2025 trusted-data-space white paper,
# stored together as a bit mask on DataResource.circulation_mask.
CIRCULATION_MODES = Vocabulary("circulation_mode", [
    Term("in_domain", "供方数据不出域", _l("Data stays in the supplier's domain"), bit=1),
    Term("privacy", "基于隐私计算", _l("Privacy-preserving computation"), bit=2),
    Term("central", "数据汇聚至中心节点", _l("Data pooled at a central node"), bit=4),
    Term("demand_side", "产品在需方开发", _l("Product developed on the demand side"), bit=8),
])

# Usage conditions / licences an entry can name. CC BY 4.0 by the IRI Creative Commons' own RDF
# gives it; the portal's terms by its pages /licences/<code> (``dcat.licence_iri``); custom terms
# are the entry's own text. Written as dct:license in DCAT.
LICENCES = Vocabulary("licence", [
    Term("open_terms", "无条件开放数据使用条款", _l("Terms for unconditionally open data")),
    Term("cc_by_4", "CC BY 4.0", _l("CC BY 4.0"), "http://creativecommons.org/licenses/by/4.0/"),
    Term("authorised_agreement", "授权运营协议", _l("Authorised-operation agreement")),
    Term("custom", "自定义条款", _l("Custom terms")),
])

# What the portal's own terms are, on their pages /licences/<code> (the IRIs DCAT gives them).
LICENCE_NOTES = {
    "open_terms": _l("The terms under which a member offers public data that is open without conditions: "
                     "anyone may obtain and use the data without applying. An entry's usage conditions "
                     "give any particulars its provider asks for, such as naming the source."),
    "authorised_agreement": _l("The data is provided under an authorised-operation agreement made with "
                               "the providing member for a stated application scenario, one scenario, one "
                               "application, one approval. Members apply on the entry's page; the entry's usage "
                               "conditions say what the agreement covers."),
    "custom": _l("Terms the providing member writes itself for one entry: they are the entry's usage conditions, "
                 "shown on its page and given as the description of its licence in the open catalogue."),
}

FIELD_TYPES = {"string": _l("Text"), "integer": _l("Whole number"), "decimal": _l("Decimal number"),
               "date": _l("Date"), "datetime": _l("Date and time"), "boolean": _l("Yes/no"),
               "geometry": _l("Geometry / coordinates"), "other": _l("Other")}

RESOURCE_STATUSES = {"active": _l("Active"), "retired": _l("Retired"),
                     "suspended": _l("Hidden: its member is suspended"),
                     "archived": _l("Archived: no longer listed by its source")}


def label(vocabulary, code: str, locale: str) -> str:
    """The label users see: Chinese in zh, English otherwise."""
    return vocabulary.label(code, locale)


def modes_from_mask(mask: int) -> list[str]:
    return CIRCULATION_MODES.codes_in(mask)


def mask_from_modes(codes) -> int:
    return CIRCULATION_MODES.mask_of(codes)
