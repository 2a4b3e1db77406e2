"""Sorting names the way a Chinese reader expects: by Hanyu Pinyin (pypinyin), so
青岛 comes after 宁波 and before 厦门, not by code point. English pages sort by the
English name they show."""
from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=8192)
def pinyin_key(text: str) -> tuple:
    """A sort key for ``text``: its syllables without tones, then the text itself (so two names
    that read the same keep a stable order). Latin letters and digits sort as themselves."""
    text = text or ""
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars))
    return (" ".join(s.lower() for s in syllables), text)


def sort_by_pinyin(items, key=lambda item: item):
    """``items`` ordered by the pinyin of ``key(item)``."""
    return sorted(items, key=lambda item: pinyin_key(key(item) or ""))


def sort_for_locale(items, locale: str, key=lambda item: item.display_name):
    """``items`` in the order a reader of ``locale`` expects of the names shown: by pinyin on
    Chinese pages, alphabetically (case-insensitive) on English ones. ``key(item)(locale)`` is
    the shown name (by default the item's ``display_name``)."""
    if str(locale).startswith("en"):
        return sorted(items, key=lambda item: ((key(item)(locale) or "").casefold(), key(item)(locale) or ""))
    return sort_by_pinyin(items, key=lambda item: key(item)(locale))
