"""Names kept in Chinese and English."""
from flask_babel import get_locale


class BilingualName:
    """``display_name(locale)``: the English name on English pages where one exists,
    the Chinese one otherwise. A model whose columns are not ``name``/``name_en``
    says which in ``bilingual_fields``."""

    bilingual_fields = ("name", "name_en")

    def display_name(self, locale: str) -> str:
        zh, en = (getattr(self, field) for field in self.bilingual_fields)
        return en if locale == "en" and en else zh


def page_locale() -> str:
    """The reader's language as ``display_name`` takes it: ``en`` or ``zh_CN`` (the request's,
    or the one forced while an e-mail is composed)."""
    return "en" if str(get_locale()).startswith("en") else "zh_CN"


def named(obj) -> str:
    """An object's name in the reader's language ("" for None)."""
    return obj.display_name(page_locale()) if obj is not None else ""
