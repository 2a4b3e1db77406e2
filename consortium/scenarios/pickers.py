"""Scenario pickers (consortium.core.pickers): a seed scenario named in the page's language
with its group, sorted by pinyin in Chinese and by English title in English, found by its
Chinese or English title, pinyin or group."""
from consortium.core.pickers import picker_choices


def scenario_choices(scenarios, locale: str, *, blank: str | None = None):
    return picker_choices(scenarios, locale, value=lambda s: s.id, blank=blank,
                          label=lambda s: f"{s.display_name(locale)} · {s.group.display_name(locale)}",
                          names=lambda s: [s.title, s.title_en, s.group.name, s.group.name_en])
