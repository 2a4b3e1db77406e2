"""Telephone numbers as people in China write them, read with ``phonenumbers`` (Google's
libphonenumber): ``0532-8888 8888 转 123``, ``(0592) 555 0000 分机 12``, ``0532-88888888-123``,
``+86 532 8888 8888``, ``138 0000 0000``, ``400-800-1234``."""
import re

import phonenumbers

DEFAULT_REGION = "CN"
# Chinese ways of writing an extension, as libphonenumber's own ("ext."): 转 123, 分机 12, 转分机 8
_EXTENSION_WORDS = re.compile(r"\s*(?:转分机|分机号?|转|内线)\s*[:：]?\s*(?=\d)")
_DANGLING_EXTENSION = re.compile(r"\s*(?:转分机|分机号?|转|内线)\s*[:：]?$")  # 0532-88888888 转 (nothing after)
# 0532-88888888-123: an extension after a last hyphen (only when the number before it is valid alone)
_TRAILING_EXTENSION = re.compile(r"^(.*\d)\s*[-－—]\s*(\d{1,6})$")


def parse(text: str, region: str = DEFAULT_REGION):
    """The number ``text`` stands for (a ``phonenumbers.PhoneNumber``), or None when it is not a
    valid number of ``region`` (or, written with +, of its country)."""
    text = _EXTENSION_WORDS.sub(" ext. ", _DANGLING_EXTENSION.sub("", (text or "").strip()))
    if not text:
        return None
    for candidate in (text, _TRAILING_EXTENSION.sub(r"\1 ext. \2", text)):
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return number
    return None


def tel_iri(text: str, region: str = DEFAULT_REGION) -> str | None:
    """An RFC 3966 ``tel:`` IRI (``tel:+86-532-8888-8888;ext=123``), or None when ``text`` is not
    a number that can be dialled."""
    number = parse(text, region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966) if number else None
