"""How a term's value reads (money in CNY, a percentage, a tier schedule, months, yes/no, a
standard choice): shown on pages, in the diff and in the API's ``text``. Below both the
definitions (``schemas``) and the term rules (``terms``), which use it."""
from flask_babel import gettext as _

from . import pricing
from .constants import standard_text


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
    if kind == "choice":
        return standard_text(str(value))
    return str(value)
