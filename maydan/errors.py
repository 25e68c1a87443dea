"""Refusals the core raises; adapters turn them into 4xx responses in the user's language."""


class Refused(Exception):
    """Base class: `status` is the HTTP status an adapter should answer with."""

    status = 400

    def __init__(self, message, field_errors=None):
        super().__init__(str(message))
        self.message = message
        self.field_errors = field_errors or {}


class Invalid(Refused):
    status = 400


class Forbidden(Refused):
    status = 403


class NotFound(Refused):
    status = 404


class Conflict(Refused):
    """The request was valid but the record moved on (e.g. already approved)."""

    status = 409


class LinkExpired(Refused):
    status = 410


class Unshowable(Conflict):
    """A stored record (a course's scenario, say) no longer passes its checks: it alone is not shown.

    `reason` says why, for the course's staff; everyone else reads only `message`."""

    def __init__(self, message, reason=""):
        super().__init__(message)
        self.reason = reason
