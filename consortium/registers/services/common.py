"""What the registers' rules share: today's date in Beijing and the text check."""
from datetime import date

from flask_babel import gettext as _

from consortium.core.clock import local_today
from consortium.core.exceptions import DomainError


def today() -> date:
    """Today in Beijing: a certificate valid until 2026-06-30 is valid all that Beijing day."""
    return local_today()


def _text(name, value, limit, required=False) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not text:
        raise DomainError(_("This field is required."), field=name)
    if len(text) > limit:
        raise DomainError(_("At most %(n)d characters.", n=limit), field=name)
    return text
