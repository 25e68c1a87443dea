"""The launch context carried by every form of a launched screen, instead of a cookie.

Inside an LMS iframe the tool's cookies may be blocked (third-party cookies), so after a
validated launch the person, course, roles and language travel in a signed, expiring token.
"""
from typing import NamedTuple

from django.core import signing
from django.utils.translation import gettext_lazy as _

from maydan import arrival, people
from maydan.errors import Refused

SALT = "maydan.lti-context"
MAX_AGE = 8 * 60 * 60  # a working day in the LMS, then launch again


class ContextRefused(Refused):
    def __init__(self, message, status, language=None):
        super().__init__(message)
        self.status = status
        self.language = language


class Launched(NamedTuple):
    actor: people.Actor
    language: str
    activity: str = "fieldlog"
    key: str = ""
    mode: str = "assessment"


def dump(actor, language, activity="fieldlog", key="", mode="assessment") -> str:
    return signing.dumps(
        {"p": actor.person.pk, "c": actor.course.pk, "r": sorted(actor.roles), "l": language,
         "a": activity, "k": key, "m": mode},
        salt=SALT,  # not compressed: zlib gains nothing on so short a text, and costs every launch
    )


def load(token):
    """Launched(actor, language, activity, key) for a token; ContextRefused when missing, forged or expired."""
    if not token:
        raise ContextRefused(_("This page was not opened from your course. Open the activity from the course again."), 403)
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        # The signature is good, only old: its language is trustworthy for the message.
        language = signing.loads(token, salt=SALT).get("l")
        raise ContextRefused(_("Your session has ended. Open the activity from the course again."), 401, language)
    except (signing.BadSignature, ValueError, TypeError):
        raise ContextRefused(_("This page was not opened from your course. Open the activity from the course again."), 403)
    try:
        found = arrival.by_ids(int(data["p"]), int(data["c"]))
    except (KeyError, TypeError, ValueError):
        raise ContextRefused(_("This page was not opened from your course. Open the activity from the course again."), 403)
    # The roles the person holds now: a later launch (or roster) may have taken some away since this page opened.
    held = frozenset(data.get("r", ())) & (found[2] if found else set())
    if not held:
        raise ContextRefused(_("Your roles in this course have changed. Open the activity from the course again."), 403,
                             data.get("l"))
    actor = people.Actor(course=found[0], person=found[1], roles=held)
    return Launched(actor, data.get("l") or "ar", data.get("a") or "fieldlog", data.get("k") or "",
                    data.get("m") or "assessment")
