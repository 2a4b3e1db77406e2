"""Member pickers (consortium.core.pickers): every form choosing a member names it in the
page's language with its city, sorted by pinyin in Chinese and by English name in English,
and finds it by its Chinese or English name, pinyin, code or city."""
from consortium.core.pickers import picker_choices


def member_choices(members, locale: str, *, value=lambda m: m.id, with_city: bool = True, blank: str | None = None):
    def label(m):
        return f"{m.display_name(locale)} · {m.city.display_name(locale)}" if with_city else m.display_name(locale)
    return picker_choices(members, locale, value=value, label=label, blank=blank,
                          names=lambda m: [m.name, m.name_en, m.code, m.city.name, m.city.name_en])
