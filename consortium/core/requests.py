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

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter, Map

from .exceptions import DomainError

DB_INT_MAX = 2**31 - 1  # PostgreSQL integer; SQLite rows use the same ids
MAX_JSON_DEPTH = 20
# C0/C1 controls except tab, newline, carriage return; lone surrogates
_BAD_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Unicode "format" characters (bidi overrides and isolates, zero-width joiners…)
_BIDI_AND_INVISIBLE = {"Cf", "Cc", "Cs", "Co", "Cn", "Zl", "Zp"}


class BoundedIntConverter(IntegerConverter):
    """``<int:id>`` that matches only ids the database can hold (1 … 2**31-1)."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=1 if min is None else min,
                         max=DB_INT_MAX if max is None else max, signed=signed)


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
        if raw.lstrip("+-").isdigit() and len(raw) > 7 and abs(int(raw)) > MAX_PAGE:
            raise DomainError(_("Parameter %(name)s is out of range.", name=name), field=name)
    sources = [request.args] if request.method in ("GET", "HEAD") else [request.args, request.form]
    for source in sources:
        for key, values in source.lists():
            check_text(key, "parameter")
            for value in values:
                check_text(value, key)


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
