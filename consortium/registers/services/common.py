"""What the registers' rules share: today's date in Beijing."""
from datetime import date

from consortium.core.clock import local_today


def today() -> date:
    """Today in Beijing: a certificate valid until 2026-06-30 is valid all that Beijing day."""
    return local_today()
