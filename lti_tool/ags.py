"""LTI Assignment and Grade Services: the outbox rows bound for a platform's line item, posted as scores.

A row's destination is the line item URL a launch's AGS claim named (see placements); the
platform registration that placed the link gives the token endpoint. The core's outbox does
the bookkeeping (claim, backoff, delivered once); this module only speaks AGS.
"""
import hashlib
import logging
import threading
from urllib.parse import urlsplit, urlunsplit

import requests
from django.core.cache import cache
from pylti1p3.service_connector import ServiceConnector

from maydan import activities, grades
from maydan.errors import Refused
from maydan.models import GradeDestination

from .lti import DatabaseToolConf, PlatformSession
from .models import ResourceLink
from .placements import split

log = logging.getLogger(__name__)

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
TOKEN_PREFIX = "maydan-lti-ags-token-"
TOKEN_TTL = 50 * 60  # platforms grant an hour (IMS Security Framework); renew before it ends
TIMEOUT = 10


class DeliveryError(Exception):
    pass


def lti_destinations():
    return ResourceLink.objects.exclude(lineitem_url="").values_list("lineitem_url", flat=True)


def scores_url(lineitem_url):
    """AGS: the score service is the line item URL with /scores appended to its path (query kept)."""
    parts = urlsplit(lineitem_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def _token_key(registration):
    return TOKEN_PREFIX + hashlib.sha256(f"{registration.pk}|{SCORE_SCOPE}".encode()).hexdigest()


def access_token(registration, session):
    """A client-credentials token for the score scope, shared by every worker through the cache
    (and remembered on the worker's HTTP session, so a round of deliveries reads the cache once)."""
    remembered = getattr(session, "maydan_tokens", None)
    if remembered is None:
        remembered = session.maydan_tokens = {}
    if registration.pk in remembered:
        return remembered[registration.pk]
    token = cache.get(_token_key(registration))
    if token is None:
        pylti = DatabaseToolConf().find_registration_by_params(registration.issuer, registration.client_id)
        try:
            token = ServiceConnector(pylti, requests_session=session).get_access_token([SCORE_SCOPE])
        except Exception as exc:  # the connector raises with the response as its argument
            raise DeliveryError(f"token endpoint refused: {_describe(exc)}") from None
        cache.set(_token_key(registration), token, TOKEN_TTL)
    remembered[registration.pk] = token
    return token


def _describe(exc):
    response = exc.args[0] if exc.args else None
    if isinstance(response, requests.Response):
        return f"{response.status_code} {response.text[:200]}"
    return str(exc)


def _max_score(link, course):
    kind, key = split(link.activity)
    try:
        return activities.find(course, kind, key).max_score
    except Refused:  # the activity is gone from the catalogue: its line item still counts in 100
        return 100.0


def score_body(taken, maximum):
    score = max(0.0, min(taken.score, 1.0))
    return {
        "userId": taken.row.student.subject,
        "scoreGiven": round(score * maximum, 4),
        "scoreMaximum": maximum,
        "activityProgress": "Completed" if score >= 1 else "InProgress",
        "gradingProgress": "FullyGraded",
        "timestamp": taken.timestamp.isoformat(),
    }


def _line_item(destination, known):
    """(ResourceLink, score maximum) of a line item URL, looked up once per round of deliveries."""
    if destination not in known:
        link = ResourceLink.objects.select_related("registration").filter(lineitem_url=destination).first()
        course = GradeDestination.objects.filter(address=destination).select_related("course").first()
        known[destination] = (link, _max_score(link, course.course) if link and course else 100.0)
    return known[destination]


def send(taken, session, known=None):
    link, maximum = _line_item(taken.row.destination, {} if known is None else known)
    if link is None:
        raise DeliveryError("no launch named this line item")
    token = access_token(link.registration, session)
    response = session.post(
        scores_url(link.lineitem_url), json=score_body(taken, maximum),
        headers={"Authorization": f"Bearer {token}", "Content-Type": SCORE_TYPE}, timeout=TIMEOUT,
    )
    if response.status_code == 401:  # the token was revoked or expired early: fetch a new one next time
        cache.delete(_token_key(link.registration))
        session.maydan_tokens.pop(link.registration.pk, None)
    if not response.ok:
        raise DeliveryError(f"{response.status_code} {response.text[:200]}")


def deliver(rows, session=None, now_or_never=False):
    """Send each row that can be claimed; (delivered, failed) counts."""
    session = session or PlatformSession(TIMEOUT)
    known = {}
    return grades.send_rows(rows, lambda taken: send(taken, session, known), now_or_never=now_or_never,
                            channel="AGS")


def deliver_due(limit=500, session=None):
    return deliver(grades.due(lti_destinations(), limit=limit), session)


def run_forever(interval=2.0, stop=None):
    """A worker loop without Celery (`deliver_grades --loop`)."""
    from django.db import close_old_connections

    session = PlatformSession(TIMEOUT)
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            close_old_connections()
            delivered, failed = deliver_due(session=session)
        except Exception:  # a database hiccup must not end the worker
            log.exception("grade delivery round failed")
            delivered = failed = 0
        if not (delivered or failed):
            stop.wait(interval)

