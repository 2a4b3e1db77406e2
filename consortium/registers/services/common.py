"""What the registers' rules share: today's date in Beijing, and the definitions' own rules
applied to a set of values."""
from datetime import date

from flask_babel import gettext as _

from consortium.core.clock import local_today
from consortium.core.entity import described
from consortium.core.exceptions import DomainError


def today() -> date:
    """Today in Beijing: a certificate valid until 2026-06-30 is valid all that Beijing day."""
    return local_today()


def defined_values(definition, values: dict, *, only=None, skip=(), required=()) -> dict:
    """The fields of an entity's definition (``schemas``) taken from ``values``, in the
    definition's order, each cleaned by its own rule (limit, vocabulary, date, normalising) and,
    when the definition (or ``required``) says so, not empty. Keys the definition does not hold
    are left to the caller (references to other objects); ``only`` and ``skip`` choose the fields
    taken here (a code is given once, when the object is recorded). DomainError names the first
    wrong field."""
    out = {}
    for name, field in described(definition).items():
        if name in skip or (only is not None and name not in only):
            continue
        value = field.clean(name, values.get(name))
        if (field.must or name in required) and value in (None, "", []):
            raise DomainError(_("This field is required."), field=name)
        out[name] = value
    return out
