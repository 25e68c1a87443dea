"""Why a file could not be read, as a reason code and its details. Pure Python.

The pure modules cannot translate; the services turn `reason` into a message in the
person's language (see `maydan.sessions.messages`).
"""


class FormatError(ValueError):
    def __init__(self, reason, **details):
        super().__init__(f"{reason}: {details}" if details else reason)
        self.reason = reason
        self.details = details
