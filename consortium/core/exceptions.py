"""Domain exceptions raised by services; views and the API turn them into
flash messages or JSON errors."""


class DomainError(Exception):
    """A rule was broken. ``message`` is already translated; ``field`` names the input."""

    status = 400

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


class FieldErrors(DomainError):
    """Several fields refused by one load (``core.entity.clean_values``): the error's own field
    and message are the first in the definition's order, the one a view or the API shows first;
    ``errors`` maps each refused field to its message (a form shows each on its field), ``valid``
    holds the fields that were read (an import's preview shows them)."""

    def __init__(self, errors: dict, valid: dict | None = None):
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = {name: str(text) for name, text in errors.items()}
        self.valid = valid or {}


class PermissionDenied(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409
