"""Controlled vocabularies, one shape for all of them: a term has a code (what is stored), the
Chinese label users type and read, a translatable English label, and optionally the URI of an
outside vocabulary it maps to (DCAT-AP export) and a bit (terms stored together as a bit mask).

Readers never unpack tuples: ``vocab[code].zh``, ``vocab.label(code, locale)``, ``vocab.find(text)``."""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def msgid(value) -> str:
    """The English source text of a lazy label, whatever the current language."""
    args = getattr(value, "_args", None)
    return str(args[0]) if args else str(value)


@dataclass(frozen=True)
class Term:
    code: str
    zh: str
    en: object              # a lazy_gettext string: English msgid, Chinese in the zh catalogue
    uri: str | None = None
    bit: int | None = None

    def label(self, locale) -> str:
        return self.zh if str(locale).startswith("zh") else str(self.en)


class Vocabulary(Mapping):
    """An ordered, read-only mapping code → Term (``code in vocab``, ``list(vocab)`` work)."""

    def __init__(self, name: str, terms: Iterable[Term]):
        self.name = name
        self._terms = {term.code: term for term in terms}

    def __getitem__(self, code) -> Term:
        return self._terms[code]

    def __iter__(self):
        return iter(self._terms)

    def __len__(self):
        return len(self._terms)

    def __repr__(self):
        return f"Vocabulary({self.name!r}, {list(self._terms)!r})"

    def label(self, code, locale) -> str:
        """The label users see (Chinese in zh, English otherwise); an unknown code as itself."""
        term = self._terms.get(code)
        return code if term is None else term.label(locale)

    def find(self, text) -> str | None:
        """The code a person meant: the code itself, its Chinese or English label (or the label in
        the current language), ignoring
        case and surrounding spaces (spreadsheets, CLI); None when nothing matches."""
        wanted = str(text or "").strip().lower()
        if not wanted:
            return None
        for term in self._terms.values():
            if wanted in (term.code.lower(), term.zh.strip().lower(), msgid(term.en).strip().lower(),
                          str(term.en).strip().lower()):
                return term.code
        return None

    def choices(self, locale) -> list[tuple[str, str]]:
        return [(term.code, term.label(locale)) for term in self._terms.values()]

    def chinese_labels(self) -> list[str]:
        return [term.zh for term in self._terms.values()]

    # bit masks (only for vocabularies whose terms carry a bit)
    def codes_in(self, mask: int) -> list[str]:
        return [term.code for term in self._terms.values() if term.bit and mask & term.bit]

    def mask_of(self, codes) -> int:
        return sum(self._terms[code].bit for code in set(codes))
