"""The shared request-parsing layer: whatever a client sends, malformed input
becomes a 400 naming the field (or a 404 for an impossible id), never a 500.

- URL integers are bounded to what the database can hold (``<int:...>`` above
  2**31-1 simply does not match: 404).
- Query strings and form fields are refused when they carry NUL bytes, lone
  surrogates or other control characters (PostgreSQL cannot store NUL; SQLite
  and the templates mangle surrogates).
- JSON bodies are refused when they hold NaN/Infinity (``1e999``), nest deeper
  than ``MAX_JSON_DEPTH``, or carry NUL bytes or lone surrogates in any string.
"""
import json
import math
import re
import unicodedata

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter, Map

from .exceptions import DomainError
from .validation import parse_date

DB_INT_MAX = 2**31 - 1  # PostgreSQL integer; SQLite rows use the same ids
MAX_JSON_DEPTH = 20
# C0/C1 controls except tab, newline, carriage return; lone surrogates
_BAD_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Unicode "format" characters (bidi overrides and isolates, zero-width joiners…)
_BIDI_AND_INVISIBLE = {"Cf", "Cc", "Cs", "Co", "Cn", "Zl", "Zp"}


def row_id(value) -> int | None:
    """A row's id as a form, a query or a path segment gives it: ASCII digits within the
    database's integer, else None. ``str.isdigit`` alone admits "²" and "１２", which ``int()``
    then refuses or reads otherwise, and 20 digits overflow the database."""
    text = "" if value is None else str(value)
    if text.isascii() and text.isdigit() and int(text) <= DB_INT_MAX:
        return int(text)
    return None


def up_to(n: int) -> str:
    """A regular expression matching exactly the whole numbers 1 … ``n`` in ASCII digits, without
    leading zeros: a URL holding 0, 2**31 or a non-ASCII digit matches no rule at all (then it is
    a 404, never a 405 from a rule of the same shape with other methods)."""
    digits = str(n)
    shorter = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    same = []
    for i, d in enumerate(digits):
        low = "1" if i == 0 else "0"
        if int(d) > int(low):
            rest = len(digits) - i - 1
            same.append(f"{digits[:i]}[{low}-{int(d) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return "(?:" + "|".join([*shorter, *same, digits]) + ")"


class BoundedIntConverter(IntegerConverter):
    """``<int:id>`` that matches only ids the database can hold (1 … 2**31-1), written in ASCII digits."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=1 if min is None else min,
                         max=DB_INT_MAX if max is None else max, signed=signed)
        if not fixed_digits and not signed and self.min == 1:
            self.regex = up_to(self.max)


def bad_text(value: str) -> bool:
    return bool(_BAD_TEXT.search(value))


def check_text(value, field: str) -> str:
    if bad_text(value):
        raise DomainError(_("The field %(name)s contains characters that cannot be stored.", name=field),
                          field=field)
    return value


def check_code(value: str, field: str = "code") -> str:
    """Codes appear in URLs and lists: no bidi overrides, invisible or control characters."""
    if any(unicodedata.category(ch) in _BIDI_AND_INVISIBLE or ch.isspace() for ch in value):
        raise DomainError(_("The field %(name)s may not contain spaces, invisible or direction-changing "
                            "characters.", name=field), field=field)
    return value


PAGE_ARGS = ("page", "per_page")
MAX_PAGE = 10**6


def check_query_and_form(request) -> None:
    """Every query-string and form value, checked once before any view runs; page numbers
    beyond what any list has (an OFFSET the database cannot compute) are refused too."""
    for name in PAGE_ARGS:
        raw = request.args.get(name, "").strip()
        if raw.isascii() and raw.lstrip("+-").isdigit() and len(raw) > 7 and abs(int(raw)) > MAX_PAGE:
            raise DomainError(_("Parameter %(name)s is out of range.", name=name), field=name)
    sources = [request.args] if request.method in ("GET", "HEAD") else [request.args, request.form]
    for source in sources:
        for key, values in source.lists():
            check_text(key, "parameter")
            for value in values:
                check_text(value, key)


def int_param(name: str, default: int, minimum: int = 1, maximum: int | None = DB_INT_MAX) -> int:
    """A whole-number query parameter of a page (None or ``default`` when absent): a 400 naming it
    otherwise (the API reads its query strings through its schemas, ``core.api``)."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw) if raw.strip().lstrip("+-").isascii() else None
    except ValueError:
        value = None
    if value is None:
        raise DomainError(_("Parameter %(name)s must be a whole number.", name=name), field=name)
    if value < minimum or (maximum is not None and value > maximum):
        raise DomainError(_("Parameter %(name)s is out of range.", name=name), field=name)
    return value


def date_param(name: str, required: bool = False):
    """A ``YYYY-MM-DD`` query parameter of a page (None when absent): a 400 naming it otherwise."""
    raw = request.args.get(name)
    if raw is not None and raw.strip():
        try:
            return parse_date(raw, name)
        except DomainError:
            raise DomainError(_("Parameter %(name)s must be a date (YYYY-MM-DD).", name=name), field=name) from None
    return parse_date(raw, name, required=required)


def _walk(value, path: str, depth: int):
    if depth > MAX_JSON_DEPTH:
        raise DomainError(_("The JSON document is nested too deeply."), field=path.split(".")[0] or "body")
    if isinstance(value, str):
        check_text(value, path or "body")
    elif isinstance(value, float) and not math.isfinite(value):
        raise DomainError(_("Numbers must be finite."), field=path or "body")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key, path or "body")
            _walk(item, key if not path else f"{path}.{key}", depth + 1)
    elif isinstance(value, list):
        for item in value:
            _walk(item, path, depth + 1)


def _refuse_constant(name):
    raise DomainError(_("Numbers must be finite."), field="body")


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, but parsing refuses what the database or the serialiser cannot hold."""

    def loads(self, s, **kwargs):
        kwargs.setdefault("parse_constant", _refuse_constant)
        try:
            data = json.loads(s, **kwargs)
        except RecursionError:
            raise DomainError(_("The JSON document is nested too deeply."), field="body") from None
        _walk(data, "", 0)
        return data


class BoundedMap(Map):
    default_converters = {**Map.default_converters, "int": BoundedIntConverter}


class PortalFlask(Flask):
    """Flask with the bounded URL integers and the strict JSON parser above."""

    url_map_class = BoundedMap
    json_provider_class = StrictJSONProvider


def signed_link(view):
    """Mark a view whose POST is authorised by a signed token in its URL, not by a session (the
    one-click unsubscribe a mail client posts, RFC 8058): the CSRF check, which protects what a
    session may do, does not apply to it. Such a view must change nothing but what its token names."""
    view.signed_link = True
    return view


def is_signed_link(app, endpoint) -> bool:
    return bool(getattr(app.view_functions.get(endpoint), "signed_link", False))
