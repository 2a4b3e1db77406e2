"""Searchable pickers: the choices of a select (members, cities, scenarios, bodies…) in the
order the page's reader expects (by pinyin in Chinese, by English name in English), each
option carrying what its filter matches (``data-search``: Chinese and English names and
pinyin). ``static/js/picker.js`` adds a filter to every ``select[data-picker]`` (a list of
checkboxes for a multiple choice); without JavaScript the select works as it is."""
from collections.abc import Callable, Iterable

from wtforms.fields.choices import SelectChoice

from .collation import search_text, sort_for_locale


def picker_choices(items: Iterable, locale: str, *, value: Callable, label: Callable | None = None,
                   names: Callable | None = None, blank: str | None = None) -> list[SelectChoice]:
    """Choices for ``items``: ``value(item)`` submitted, ``label(item)`` shown (default: the
    item's name in ``locale``), sorted for ``locale``; ``names(item)`` lists what the filter
    matches besides the label (default: the item's Chinese and English names). ``blank``: a
    first, empty choice with this text."""
    label = label or (lambda item: item.display_name(locale))
    names = names or (lambda item: [getattr(item, f, "") for f in getattr(item, "bilingual_fields", ())])
    shown = [(item, str(label(item))) for item in items]
    ordered = sort_for_locale(shown, locale, name=lambda pair: pair[1])
    choices = [SelectChoice("", blank)] if blank is not None else []
    return choices + [SelectChoice(str(value(item)), text, render_kw={"data-search": search_text(*names(item))})
                      for item, text in ordered]


SEARCHABLE_FROM = 8  # a shorter list is read at a glance: no filter box


def make_picker(field, choices: list) -> None:
    """Give a bound select field its choices and, from ``SEARCHABLE_FROM`` choices on (or when
    it is a multiple choice: checkboxes rather than ctrl-click), mark it for ``picker.js``."""
    field.choices = choices
    if len(choices) >= SEARCHABLE_FROM or getattr(field, "type", "") == "SelectMultipleField":
        field.render_kw = {**(field.render_kw or {}), "data-picker": ""}
