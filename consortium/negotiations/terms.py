"""The terms of a common position: typed values, checked and shown in words, and the
term-by-term difference between two versions."""
import re
import unicodedata
from datetime import date
from decimal import Decimal

from flask_babel import get_locale
from flask_babel import gettext as _

from consortium.core.entity import clean_values, described, taken
from consortium.core.exceptions import DomainError
from consortium.core.rows import posted_rows

from . import pricing, schemas
from .constants import NUMERIC_TERMS, TERM_TEMPLATES, TERM_TYPES, shown_label
from .constants import label as term_label
from .term_values import format_value

KEY_CHARACTERS = re.compile(r"^[a-z0-9_]+$")
MAX_TERMS = 200


def parse_value(kind: str, raw, options=(), *, label=""):
    """A term's value from a form or JSON. Money and percentages are kept as Decimal strings."""
    where = label or _("term")
    if kind == "money":
        return str(pricing.parse_amount(raw, field="value"))
    if kind == "percentage":  # "35", "35%", full-width "３５％" alike
        folded = unicodedata.normalize("NFKC", str(raw if raw is not None else "")).strip()
        value = pricing.parse_amount(folded[:-1] if folded.endswith("%") else folded, field="value")
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


def _stored(value):
    """A cleaned value as the version's JSON keeps it (a day as ISO text)."""
    return value.isoformat() if isinstance(value, date) else value


def _term_rules(definition, i: int, keys: set, term: dict) -> dict:
    """How the editor's own fields of term ``i`` are checked, with their own messages; every
    other field of the definition is checked by its kind's rule (``core.entity``)."""
    limits = {name: f.max_length for name, f in described(definition).items() if hasattr(f, "max_length")}

    def name(raw):
        label = str(raw or "").strip()
        if not label or len(label) > limits["label"]:
            raise DomainError(_("Term %(n)d needs a name (at most 200 characters).", n=i), field="label")
        return label

    def key(raw):
        key = str(raw or "").strip() or f"term_{i}"
        if not KEY_CHARACTERS.match(key) or len(key) > limits["key"] or key in keys:
            raise DomainError(_("%(term)s: the key must be unique (a–z, 0–9, _).",
                                term=str(term.get("label") or "").strip()), field="key")
        return key

    def kind(raw):
        if raw not in described(definition)["type"].vocabulary:
            raise DomainError(_("Unknown kind of term: %(kind)s", kind=str(raw)[:30]), field="type")
        return raw

    return {"label": name, "key": key, "type": kind,
            # a rationale longer than its limit is cut, not refused (as the editor always did)
            "rationale": lambda raw: str(raw or "").strip()[:limits["rationale"]]}


def clean_terms(raw_terms) -> list[dict]:
    """The whole list of terms, checked: each term with its definition (``schemas.TermFields``:
    unique keys, known types, limits, and any other defined field by its kind), then its value
    by its type. A term keeps every defined field (one left out is empty), its value and its
    options; other keys are not kept."""
    if not isinstance(raw_terms, list):
        raise DomainError(_("The terms are malformed."))
    if len(raw_terms) > MAX_TERMS:
        raise DomainError(_("Too many terms."))
    definition = schemas.TermFields
    out, keys = [], set()
    for i, t in enumerate(raw_terms, start=1):
        if not isinstance(t, dict):
            raise DomainError(_("The terms are malformed."))
        clean = clean_values(definition, taken(definition, t), special=_term_rules(definition, i, keys, t))
        keys.add(clean["key"])
        label, kind = clean["label"], clean["type"]
        options = [str(o).strip() for o in (t.get("options") or []) if str(o).strip()]
        if kind == "choice" and not options:
            raise DomainError(_("%(term)s: a choice needs its options.", term=label), field="options")
        out.append({name: _stored(value) for name, value in clean.items()}
                   | {"value": parse_value(kind, t.get("value"), options, label=label),
                      "options": options if kind == "choice" else []})
    return out


def template_term(key: str) -> dict | None:
    for k, label, kind, options in TERM_TEMPLATES:
        if k == key:
            return blank_term(key=k, label=label, type=kind, options=list(options))
    return None


def blank_term(**given) -> dict:
    """A new row of the editor: every defined field (empty unless given), no value, no options."""
    return {**dict.fromkeys(described(schemas.TermFields)), "rationale": "", "red_line": False, "value": None,
            "options": [], **given}


def value_as_text(term: dict) -> str:
    """The value as typed in the editor."""
    if term.get("value") is None:
        return ""
    if term["type"] == "tiered":
        return pricing.schedule_to_text("revenue_share", term["value"])
    if term["type"] == "boolean":
        return "1" if term["value"] else "0"
    return str(term["value"])


TIER_ROWS_EXTRA = 2  # blank rows the tier editor offers below the current tiers


def tier_rows(value) -> list[dict]:
    """A tiered value as the editor's rows (上限 / 供数单位 % / 运营方 %), with blank rows to add tiers.
    ``value`` is the stored value ({"tiers": [...]}) or, on a refused save, the text the rows made
    (one tier per line, ``*`` for no cap), shown again as typed."""
    if isinstance(value, str):
        rows = []
        for line in value.splitlines():
            parts = (line.split() + ["", "", ""])[:3]
            if any(parts):
                rows.append({"upto": "" if parts[0] == "*" else parts[0],
                             "supplier": "" if parts[1] == "?" else parts[1],
                             "operator": "" if parts[2] == "?" else parts[2]})
    else:
        rows = [{"upto": t["upto"] or "", "supplier": t["supplier"], "operator": t["operator"]}
                for t in (value or {}).get("tiers", [])]
    return rows + [{"upto": "", "supplier": "", "operator": ""} for _ in range(TIER_ROWS_EXTRA)]


def tiers_text_from_rows(form, prefix: str = "") -> str | None:
    """The editor's rows (``<prefix>tier-N-upto``, ``-supplier``, ``-operator``; ``core.rows``) as the
    tier text the value rule reads (``pricing.schedule_from_text``): one line per filled row, an
    empty upper bound written ``*`` (no cap). None when the form has no tier rows."""
    rows = posted_rows(form, prefix + "tier-", ("upto", "supplier", "operator"))
    if rows is None:
        return None
    return "\n".join(f"{r['upto'] or '*'} {r['supplier'] or '?'} {r['operator'] or '?'}" for r in rows)


def _tier_changes(before, after) -> list[tuple]:
    """A tiered value's change tier by tier: (第 N 档, old, new) for each tier that differs."""
    old, new = (before or {}).get("tiers", []), (after or {}).get("tiers", [])
    changes = []
    for i in range(max(len(old), len(new))):
        a = old[i] if i < len(old) else None
        b = new[i] if i < len(new) else None
        if a != b:
            changes.append((_("Tier %(n)d", n=i + 1), _tier_text(a), _tier_text(b)))
    return changes


def _tier_text(tier) -> str:
    if tier is None:
        return "—"
    bound = _("no upper bound") if tier["upto"] is None else _("up to %(a)s CNY",
                                                                a=pricing.format_amount(tier["upto"]))
    return _("%(bound)s: supplier %(s)s%%, operator %(o)s%%", bound=bound, s=pricing.format_amount(tier["supplier"]),
             o=pricing.format_amount(tier["operator"]))


COMPARED = ("key", "label", "type", "rationale", "red_line")  # what diff() compares with its own words


def _shown(field, value) -> str:
    if value in (None, "", []):
        return "—"
    return str(field.to_cell(value, str(get_locale())))


def diff(old_terms: list[dict], new_terms: list[dict]) -> list[dict]:
    """Term by term: what was added, removed or changed (old → new, in words)."""
    old = {t["key"]: t for t in old_terms}
    new = {t["key"]: t for t in new_terms}
    entries = []
    for t in new_terms:
        before = old.get(t["key"])
        if before is None:
            entries.append({"change": "added", "label": shown_label(t), "key": t["key"], "new": format_value(t),
                            "red_line": t["red_line"], "fields": []})
            continue
        fields = []
        if before["label"] != t["label"]:
            fields.append((_("Name"), shown_label(before), shown_label(t)))
        if before["type"] != t["type"]:
            fields.append((_("Kind"), term_label(TERM_TYPES, before["type"]), term_label(TERM_TYPES, t["type"])))
        if before["type"] == t["type"] == "tiered" and before.get("value") != t.get("value"):
            fields.extend(_tier_changes(before.get("value"), t.get("value")))   # tier by tier
        elif before.get("value") != t.get("value") or before["type"] != t["type"]:
            fields.append((_("Value"), format_value(before), format_value(t)))
        if before.get("options") != t.get("options"):
            fields.append((_("Options"), "、".join(before.get("options") or []) or "—",
                           "、".join(t.get("options") or []) or "—"))
        if before.get("rationale") != t.get("rationale"):
            fields.append((_("Rationale"), before.get("rationale") or "—", t.get("rationale") or "—"))
        if before["red_line"] != t["red_line"]:
            fields.append((_("Red line"), _("Yes") if before["red_line"] else _("No"),
                           _("Yes") if t["red_line"] else _("No")))
        for name, field in described(schemas.TermFields).items():  # a defined field the lines above do not name
            if name not in COMPARED and before.get(name) != t.get(name):
                fields.append((str(field.label), _shown(field, before.get(name)), _shown(field, t.get(name))))
        if fields:
            entries.append({"change": "changed", "label": shown_label(t), "key": t["key"], "fields": fields,
                            "red_line": t["red_line"]})
    for t in old_terms:
        if t["key"] not in new:
            entries.append({"change": "removed", "label": shown_label(t), "key": t["key"], "old": format_value(t),
                            "red_line": t["red_line"], "fields": []})
    return entries


def decimal_of(term) -> Decimal | None:
    if term["type"] in ("money", "percentage") and term.get("value") not in (None, ""):
        return Decimal(term["value"])
    return None


# ---------------------------------------------------------------- red lines (one rule per kind)

_AMOUNT = re.compile(r"[-+]?\d[\d,，]*(?:\.\d+)?")
_SCALE = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


def obtained_amount(text) -> Decimal | None:
    """The first number written in an outcome's "obtained" text, as the coordinator writes it:
    ``320,000 元``, ``32万``, ``45%``, ``24 个月`` (None when there is no number)."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    match = _AMOUNT.search(text)
    if match is None:
        return None
    value = Decimal(match.group(0).replace(",", "").replace("，", ""))
    scale = _SCALE.get(text[match.end():].lstrip()[:1])
    return value * scale if scale else value


def red_line_text(term: dict) -> str:
    """A red line in words: "不低于 350,000 元", "不高于 30%", or "required as written"."""
    if term["type"] in NUMERIC_TERMS:
        bound = term.get("bound") or "floor"
        return _("at least %(v)s", v=format_value(term)) if bound == "floor" else _("at most %(v)s", v=format_value(term))
    return _("required as written: %(v)s", v=format_value(term))


def red_line_breach(term: dict, result: str | None, obtained: str = "") -> str | None:
    """Whether an outcome (result 达成 / 部分达成 / 未达成 and the value obtained, as text) breaches
    the term's red line, and how — in words naming the term and what would satisfy it; None when
    the term is no red line, has no outcome yet, or holds.

    Amounts, percentages, durations: 未达成 breaches; otherwise the obtained number is compared
    with the bound (a floor: not below; a ceiling: not above), and 部分达成 with no number breaches
    (nothing shows the line held). Tiered splits, choices, yes/no and texts are required clauses:
    anything but 达成 breaches."""
    if not term.get("red_line") or not result:
        return None
    label, line = shown_label(term), red_line_text(term)
    if result == "not_met":
        return _("%(term)s is a red line (%(line)s) and was not met.", term=label, line=line)
    if term["type"] not in NUMERIC_TERMS:
        if result != "met":
            return _("%(term)s is a red line (%(line)s): only partly met.", term=label, line=line)
        return None
    got = obtained_amount(obtained)
    if got is None:
        if result == "met":
            return None
        return _("%(term)s is a red line (%(line)s): partly met, with no amount obtained written to show it holds.",
                 term=label, line=line)
    asked = Decimal(str(term["value"]))
    ceiling = (term.get("bound") or "floor") == "ceiling"
    if (got > asked) if ceiling else (got < asked):
        shown = format_value({**term, "value": str(got) if term["type"] != "duration" else int(got)})
        return _("%(term)s is a red line (%(line)s): %(got)s obtained.", term=label, line=line, got=shown)
    return None

