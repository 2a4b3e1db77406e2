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


def sort_for_locale(items, locale: str, name=None):
    """``items`` in the order a reader of ``locale`` expects of the names shown: by pinyin on
    Chinese pages, alphabetically (case-insensitive) on English ones. ``name(item)`` is the
    shown name (by default the item's ``display_name(locale)``)."""
    name = name or (lambda item: item.display_name(locale))
    if str(locale).startswith("en"):
        return sorted(items, key=lambda item: ((name(item) or "").casefold(), name(item) or ""))
    return sort_by_pinyin(items, key=name)


def search_text(*names: str) -> str:
    """What a picker's filter matches besides the shown label: the names given (Chinese and
    English), the pinyin of the Chinese ones, whole and by initials (青岛 → "qingdao qd"), so
    typing 青岛, qingdao or qd finds it whatever the page's language."""
    words = []
    for name in names:
        if not name:
            continue
        words.append(name)
        if any("\u4e00" <= ch <= "\u9fff" for ch in name):
            syllables = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
            words += ["".join(syllables), "".join(s[:1] for s in syllables)]
    return " ".join(words).lower()
