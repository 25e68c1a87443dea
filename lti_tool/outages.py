"""What a person sees when the tool fails on its side: a page in their language, never Django's bare "Server Error".

When a service the tool stands on is out (the shared cache down or stalled, the database refusing connections),
the fault is not the request's: the answer is a 503 with Retry-After, asking the person to try again in a
moment. Any other unexpected error is a 500 that says it was logged. Django calls `server_error` for an
exception raised by a view or a middleware alike, and logs the exception itself (its class and message,
never the request's fields).

The page is rendered from a template alone: no database and no cache, which may be what failed.
"""
import sys

import redis.exceptions
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _

from maydan import pages

from . import refusals

OUTAGES = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

UNAVAILABLE = _("Maydan cannot answer just now: a service it needs is not responding. Try again in a minute.")
FAILED = _("Something went wrong on our side, and it was logged. Try again; if it happens again, tell your course team.")


def server_error(request):
    """Django's handler500: called inside the `except` that caught the request's exception."""
    if isinstance(sys.exc_info()[1], OUTAGES):
        response = pages.message_page(UNAVAILABLE, refusals.page_language(request), 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return pages.message_page(FAILED, refusals.page_language(request), 500)
