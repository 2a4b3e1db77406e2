"""The terms of a common position: typed values, checked and shown in words, and the
term-by-term difference between two versions."""
import re
from decimal import Decimal

from flask_babel import gettext as _

from consortium.core.entity import described
from consortium.core.exceptions import DomainError

from . import pricing, schemas
from .constants import TERM_TEMPLATES, TERM_TYPES
from .constants import label as term_label

KEY_CHARACTERS = re.compile(r"^[a-z0-9_]+$")
MAX_TERMS = 200


def _limit(name) -> int:
    return described(schemas.TermFields)[name].max_length


def parse_value(kind: str, raw, options=(), *, label=""):
    """A term's value from a form or JSON. Money and percentages are kept as Decimal strings."""
    where = label or _("term")
    if kind == "money":
        return str(pricing.parse_amount(raw, field="value"))
    if kind == "percentage":
        value = pricing.parse_amount(raw, field="value")
        if value > 100:
            raise DomainError(_("%(term)s: a percentage is between 0 and 100.", term=where), field="value")
        return str(value)
    if kind == "tiered":
        if isinstance(raw, dict):
            return pricing.validate_schedule("revenue_share", raw)
        try:
            return pricing.schedule_from_text("revenue_share", str(raw or ""))
        except DomainError as error:
            raise DomainError(f"{where}: {error.message}", field="value") from None
    if kind == "choice":
        value = str(raw or "").strip()
        if value not in options:
            raise DomainError(_("%(term)s: choose one of %(options)s.", term=where, options="、".join(options)),
                              field="value")
        return value
    if kind == "duration":
        try:
            months = int(str(raw).strip())
        except ValueError:
            raise DomainError(_("%(term)s: a duration is a whole number of months.", term=where),
                              field="value") from None
        if not 0 < months <= 1200:
            raise DomainError(_("%(term)s: a duration is between 1 and 1200 months.", term=where), field="value")
        return months
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        text = str(raw or "").strip().lower()
        if text in ("1", "true", "yes", "y", "是"):
            return True
        if text in ("0", "false", "no", "n", "否"):
            return False
        raise DomainError(_("%(term)s: answer yes or no.", term=where), field="value")
    if kind == "text":
        text = str(raw or "").strip()
        if len(text) > 10000:
            raise DomainError(_("%(term)s: the text is too long.", term=where), field="value")
        return text
    raise DomainError(_("Unknown kind of term: %(kind)s", kind=str(kind)[:30]), field="type")


def clean_terms(raw_terms) -> list[dict]:
    """The whole list of terms, checked: unique keys, known types, valid values."""
    if not isinstance(raw_terms, list):
        raise DomainError(_("The terms are malformed."))
    if len(raw_terms) > MAX_TERMS:
        raise DomainError(_("Too many terms."))
    out, keys = [], set()
    for i, t in enumerate(raw_terms, start=1):
        if not isinstance(t, dict):
            raise DomainError(_("The terms are malformed."))
        label = str(t.get("label") or "").strip()
        if not label or len(label) > _limit("label"):
            raise DomainError(_("Term %(n)d needs a name (at most 200 characters).", n=i), field="label")
        key = str(t.get("key") or "").strip() or f"term_{i}"
        if not KEY_CHARACTERS.match(key) or len(key) > _limit("key") or key in keys:
            raise DomainError(_("%(term)s: the key must be unique (a–z, 0–9, _).", term=label), field="key")
        keys.add(key)
        kind = t.get("type")
        if kind not in described(schemas.TermFields)["type"].vocabulary:
            raise DomainError(_("Unknown kind of term: %(kind)s", kind=str(kind)[:30]), field="type")
        options = [str(o).strip() for o in (t.get("options") or []) if str(o).strip()]
        if kind == "choice" and not options:
            raise DomainError(_("%(term)s: a choice needs its options.", term=label), field="options")
        out.append({"key": key, "label": label, "type": kind,
                    "value": parse_value(kind, t.get("value"), options, label=label),
                    "options": options if kind == "choice" else [],
                    "rationale": str(t.get("rationale") or "").strip()[:_limit("rationale")],
                    "red_line": bool(t.get("red_line"))})
    return out


def template_term(key: str) -> dict | None:
    for k, label, kind, options in TERM_TEMPLATES:
        if k == key:
            return {"key": k, "label": label, "type": kind, "options": list(options), "value": None,
                    "rationale": "", "red_line": False}
    return None


def format_value(term: dict) -> str:
    kind, value = term["type"], term.get("value")
    if value is None or value == "":
        return "—"
    if kind == "money":
        return _("%(amount)s CNY", amount=pricing.format_amount(value))
    if kind == "percentage":
        return f"{pricing.format_amount(value)}%"
    if kind == "tiered":
        return pricing.describe("revenue_share", value)
    if kind == "duration":
        return _("%(n)s months", n=value)
    if kind == "boolean":
        return _("Yes") if value else _("No")
    return str(value)


def value_as_text(term: dict) -> str:
    """The value as typed in the editor."""
    if term.get("value") is None:
        return ""
    if term["type"] == "tiered":
        return pricing.schedule_to_text("revenue_share", term["value"])
    if term["type"] == "boolean":
        return "1" if term["value"] else "0"
    return str(term["value"])


def diff(old_terms: list[dict], new_terms: list[dict]) -> list[dict]:
    """Term by term: what was added, removed or changed (old → new, in words)."""
    old = {t["key"]: t for t in old_terms}
    new = {t["key"]: t for t in new_terms}
    entries = []
    for t in new_terms:
        before = old.get(t["key"])
        if before is None:
            entries.append({"change": "added", "label": t["label"], "key": t["key"], "new": format_value(t),
                            "red_line": t["red_line"], "fields": []})
            continue
        fields = []
        if before["label"] != t["label"]:
            fields.append((_("Name"), before["label"], t["label"]))
        if before["type"] != t["type"]:
            fields.append((_("Kind"), term_label(TERM_TYPES, before["type"]), term_label(TERM_TYPES, t["type"])))
        if before.get("value") != t.get("value") or before["type"] != t["type"]:
            fields.append((_("Value"), format_value(before), format_value(t)))
        if before.get("options") != t.get("options"):
            fields.append((_("Options"), "、".join(before.get("options") or []) or "—",
                           "、".join(t.get("options") or []) or "—"))
        if before.get("rationale") != t.get("rationale"):
            fields.append((_("Rationale"), before.get("rationale") or "—", t.get("rationale") or "—"))
        if before["red_line"] != t["red_line"]:
            fields.append((_("Red line"), _("Yes") if before["red_line"] else _("No"),
                           _("Yes") if t["red_line"] else _("No")))
        if fields:
            entries.append({"change": "changed", "label": t["label"], "key": t["key"], "fields": fields,
                            "red_line": t["red_line"]})
    for t in old_terms:
        if t["key"] not in new:
            entries.append({"change": "removed", "label": t["label"], "key": t["key"], "old": format_value(t),
                            "red_line": t["red_line"], "fields": []})
    return entries


def decimal_of(term) -> Decimal | None:
    if term["type"] in ("money", "percentage") and term.get("value") not in (None, ""):
        return Decimal(term["value"])
    return None
