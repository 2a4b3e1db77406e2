"""Optimistic locking, one rule for every row a form edits: the form carries the
version it was opened at; saving checks it (and the version column re-checks it in
the UPDATE itself), so the second of two concurrent edits is refused, not lost."""
from flask_babel import gettext as _

from consortium.core.exceptions import Conflict, DomainError

UNCHECKED = object()  # the CLI and the system: no version to compare with


def conflict_message() -> str:
    return _("This was changed by someone else since you opened it. Reload the page to see their changes; "
             "your input is kept below.")


def check_version(obj, expected) -> None:
    """``expected`` is the version the form or API client read. A form posted without
    one is refused (never silently unchecked); UNCHECKED is for the CLI and services."""
    if expected is UNCHECKED:
        return
    if expected is None or expected == "":
        raise DomainError(_("The form is missing its version; reload the page."), field="version")
    try:
        expected = int(expected)
    except (TypeError, ValueError, OverflowError):
        raise DomainError(_("The form is missing its version; reload the page."), field="version") from None
    if obj.version != expected:
        raise Conflict(conflict_message(), field="version")
