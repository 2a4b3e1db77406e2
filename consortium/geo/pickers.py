"""The city picker (consortium.core.pickers): the 337 reference cities, named in the page's
language with their province, sorted by pinyin in Chinese and by English name in English, found
by their Chinese or English name, pinyin or province. Every form choosing a city uses it."""
from consortium.core.pickers import picker_choices

from .services import list_cities


def city_choices(locale: str, *, value=lambda c: c.id, blank: str | None = None):
    return picker_choices(
        list_cities(), locale, value=value, blank=blank,
        label=lambda c: f"{c.display_name(locale)} · {c.province.display_name(locale)}",
        names=lambda c: [c.name, c.name_en, c.province.name, c.province.name_en])
