"""Input checks shared by every way data comes in (forms, the JSON API, imports,
the CLI): one place per kind of value, so the rules cannot drift apart; and marshmallow's
validators in the portal's words, which the definitions' field kinds (``core.entity``) use."""
import math
import re
from datetime import date, datetime
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from marshmallow import ValidationError, validate

from consortium.core.exceptions import DomainError

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def clean_email(value, field: str = "email") -> str:
    """One address in RFC 5322 syntax (email-validator, no DNS look-up), normalised;
    "" stays "". A list of addresses, quotes, angle brackets or spaces are refused."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    try:
        return validate_email(text, check_deliverability=False, allow_quoted_local=False,
                              allow_display_name=False).normalized
    except EmailNotValidError:
        raise DomainError(_("Enter one valid e-mail address, e.g. name@example.org."), field=field) from None


def finite_number(value, field: str, *, kind=float, minimum=0, maximum=1e15):
    """A finite number within bounds (None for empty). Infinity and NaN are refused,
    whatever their spelling, so they never reach an export."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise DomainError(_("Enter a number."), field=field)
    if kind is int and isinstance(value, int):
        number = value
    elif kind is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value.strip())
    else:
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            raise DomainError(_("Enter a number."), field=field) from None
        if not math.isfinite(number):
            raise DomainError(_("Enter a finite number."), field=field)
        if kind is int:
            if not number.is_integer():
                raise DomainError(_("Enter a whole number."), field=field)
            number = int(number)
    if minimum is not None and number < minimum:
        raise DomainError(_("The number cannot be negative."), field=field)
    if maximum is not None and number > maximum:
        raise DomainError(_("The number is too large."), field=field)
    return number


def is_finite(value) -> bool:
    """For writers: True when a stored number can be serialised (legacy rows may not)."""
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value))


def parse_date(value, field: str, *, required: bool = False):
    """One date from any way data comes in: a ``date``, a ``datetime`` (its day) or ISO text
    ``YYYY-MM-DD``; None for empty unless ``required``. Anything else is a DomainError
    naming the field, so the form, the API and the importer show the same message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DomainError(_("This field is required."), field=field)
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    try:  # only YYYY-MM-DD: not a number, nor the other ISO spellings (20250301, 2025-W09-6)
        if not _ISO_DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError(_("Enter a date as YYYY-MM-DD."), field=field) from None


_UNSAFE_IN_IRI = re.compile(r'[\s<>"{}|\\^`]')


def clean_web_address(value, field: str = "url") -> str:
    """An absolute http(s) address ("" stays ""), as it can be written in an RDF IRI and a link:
    a scheme, a host, no spaces, quotes or angle brackets (percent-encoded they are fine)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname \
            or _UNSAFE_IN_IRI.search(text):
        raise DomainError(_("Enter a full web address starting with http:// or https://, without spaces."),
                          field=field)
    return text


# The same rules as marshmallow's validators (the definitions' field kinds, core.entity) -----------

def ruled(check, value, name=None):
    """``check(value, name)``, a rule written for the services (it raises DomainError), as a
    marshmallow rule (ValidationError)."""
    try:
        return check(value, name)
    except DomainError as e:
        raise ValidationError(e.message) from None


class Limit(validate.Length):
    """marshmallow's Length (the description's maxLength), in the portal's words."""

    def _format_error(self, value, message):
        return _("At most %(n)d characters.", n=self.max)


class Bounds(validate.Range):
    """marshmallow's Range (the description's minimum and maximum), in the portal's words; an
    empty number passes."""

    def __call__(self, value):
        return value if value is None else super().__call__(value)

    def _format_error(self, value, message):
        if self.min != 0:
            return _("Enter a number between %(low)d and %(high)d.", low=self.min, high=self.max)
        return _("The number cannot be negative.") if value < 0 else _("The number is too large.")


class Code(validate.OneOf):
    """marshmallow's OneOf (the description's enum), in the field's words (``unknown``)."""

    def _format_error(self, value):
        return str(self.error) % {"value": value}
