"""Numbers as people write them in Chinese documents: ``50万``, ``1.2亿``, ``３０００``, ``300,000``,
``300000元``, ``五十万``. Returns an exact Decimal; the unit multiplications are done in Decimal
(never through a float), and Chinese numerals are read by cn2an."""
import re
import unicodedata
from decimal import Decimal, InvalidOperation

UNITS = {"百": Decimal(100), "千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000),
         "万亿": Decimal(10**12)}
_WITH_UNIT = re.compile(r"([+-]?\d+(?:\.\d+)?)(万亿|亿|万|千|百)")
_SEPARATORS = re.compile(r"[,，'’_\s]")
_CURRENCY = re.compile(r"^(?:¥|￥|CNY|RMB)|(?:元|人民币|CNY|RMB)$", re.I)


def parse_decimal(raw) -> Decimal:
    """The number ``raw`` writes; raises ValueError when it is not one."""
    if isinstance(raw, Decimal):
        return raw
    text = unicodedata.normalize("NFKC", str(raw if raw is not None else "")).strip()  # full-width digits
    text = _SEPARATORS.sub("", _CURRENCY.sub("", text).strip())
    text = _CURRENCY.sub("", text)
    if not text:
        raise ValueError("empty")
    try:
        return Decimal(text)
    except InvalidOperation:
        pass
    unit = _WITH_UNIT.fullmatch(text)
    if unit:
        return Decimal(unit.group(1)) * UNITS[unit.group(2)]
    if re.fullmatch(r"[+-]?[\d.〇零一二两三四五六七八九十百千万亿点]+", text):
        import cn2an  # here, not at the top: 0.3 s of start-up for a rare input (tests/core/test_imports.py)
        try:
            value = cn2an.cn2an(text, "smart")
        except (ValueError, KeyError, IndexError):
            raise ValueError(text) from None
        return Decimal(str(value))
    raise ValueError(text)
