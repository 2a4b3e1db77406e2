"""Domain exceptions raised by services; views and the API turn them into
flash messages or JSON errors."""


class DomainError(Exception):
    """A rule was broken. ``message`` is already translated; ``field`` names the input."""

    status = 400

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


class PermissionDenied(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409
