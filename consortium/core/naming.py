"""Names kept in Chinese and English."""


class BilingualName:
    """``display_name(locale)``: the English name on English pages where one exists,
    the Chinese one otherwise. A model whose columns are not ``name``/``name_en``
    says which in ``bilingual_fields``."""

    bilingual_fields = ("name", "name_en")

    def display_name(self, locale: str) -> str:
        zh, en = (getattr(self, field) for field in self.bilingual_fields)
        return en if locale == "en" and en else zh
