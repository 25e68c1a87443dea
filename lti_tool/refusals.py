"""How the LTI adapter refuses a request: a clear 4xx page in the person's language, the reason in the log."""
import logging

import jwt
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from maydan import pages
from maydan.errors import Refused
from maydan.models import Course
from maydan.views import asked_language

from . import lti, middleware

log = logging.getLogger(__name__)

# Library message (prefix) -> HTTP status and what the person is told. The technical reason
# goes to the log, not the page.
_LAUNCH_ERRORS = [
    ("Missing state param", 400, _("The launch request is incomplete. Open the activity from the course again.")),
    ("State not found", 401, _("Your browser did not keep the launch cookie (third-party cookies may be blocked). "
                               "Open the activity in a new window and try again.")),
    ("Missing %s cookie", 401, _("Your browser did not keep the launch cookie (third-party cookies may be blocked). "
                                 "Open the activity in a new window and try again.")),
    ("Missing id_token", 400, _("The launch request is incomplete. Open the activity from the course again.")),
    ("Invalid id_token", 400, _("The launch message is malformed.")),
    ("Invalid JWT format", 400, _("The launch message is malformed.")),
    ('"nonce" is empty', 400, _("The launch message is malformed.")),
    ("Invalid Nonce", 401, _("This launch was not started here or has expired. Open the activity from the course again.")),
    ("Nonce already used", 409, _("This launch was already used. Open the activity from the course again.")),
    ("Unknown platform", 403, _("This platform is not registered with Maydan. Ask your administrator to register it.")),
    ("Client id not registered", 403, _("This launch was meant for another tool: its client ID is not registered here.")),
    ("Registration not found", 403, _("This platform is not registered with Maydan. Ask your administrator to register it.")),
    ("Could not find registration", 403, _("This platform is not registered with Maydan. Ask your administrator to register it.")),
    ("Unable to find public key", 401, _("The launch was signed with a key this tool does not know.")),
    ("JWT KID not found", 401, _("The launch was signed with a key this tool does not know.")),
    ("Can't decode id_token: Signature has expired", 401, _("The launch has expired. Open the activity from the course again.")),
    ("Can't decode id_token", 401, _("The launch signature could not be verified.")),
    ("Unable to find deployment", 403, _("This deployment of the tool is not registered with Maydan.")),
    ("Could not find issuer", 400, _("The login request does not name its platform.")),
    ("Could not find login hint", 400, _("The login request is incomplete.")),
    # The platform's JWKS could not be fetched: the fault is upstream, a gateway error.
    ("Error during fetch URL", 502, _("The platform's keys could not be fetched. Try again in a moment.")),
]
_INVALID_MESSAGE = _("The launch message is not valid.")


class LaunchRefused(Refused):
    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


def refusal_for(exc):
    text = str(exc)
    for prefix, status, message in _LAUNCH_ERRORS:
        if text.startswith(prefix):
            return LaunchRefused(message, status)
    return LaunchRefused(_INVALID_MESSAGE, 400)  # anything else pylti1p3 refuses (claims: claims.py)


def language_of(locale):
    return "ar" if (locale or "").lower().startswith("ar") else "en"


def launch_language(request, claims):
    """A verified launch's language: the platform's locale, then the course's chosen language, then
    the browser's Accept-Language, then Arabic (Open edX's LTI consumer sends no locale)."""
    locale = (claims.get(lti.CLAIM + "launch_presentation") or {}).get("locale")
    if locale:
        return language_of(locale)
    context_id = (claims.get(lti.CLAIM + "context") or {}).get("id")
    chosen = Course.objects.filter(issuer=claims["iss"], context_id=context_id, language_chosen=True) \
        .values_list("language", flat=True).first() if context_id else None
    return chosen or _browser_language(request)


def _browser_language(request):
    if "HTTP_ACCEPT_LANGUAGE" in request.META:
        return language_of(translation.get_language_from_request(request))
    return "ar"


def guess_language(request):
    """The language to refuse a launch in, before anything is verified. Only used to pick a language."""
    asked = request.GET.get("lang") or request.POST.get("lang")
    if asked in ("ar", "en"):
        return asked
    try:
        body = jwt.decode(request.POST.get("id_token", ""), options={"verify_signature": False})
        locale = (body.get(lti.CLAIM + "launch_presentation") or {}).get("locale")
        if locale:
            return language_of(locale)
    except (jwt.PyJWTError, AttributeError, TypeError, ValueError):
        pass
    return _browser_language(request)


def page_language(request):
    """The language of a page that answers no view of its own (an unknown address, a failure on the tool's side)."""
    try:
        if middleware.for_lti_tool(request):
            return guess_language(request)  # `lang`, the launch's locale unverified, the browser
        return asked_language(request) or language_of(translation.get_language())  # LocaleMiddleware's
    except Exception:  # the request itself may be what broke (an unreadable body): the tool's default language
        return "ar"


NOT_FOUND = _("There is no page at this address. Open the activity from your course, or the link you were sent, "
              "again.")


def page_not_found(request, exception):
    """Django's handler404: an address no view answers, in the person's language."""
    return pages.message_page(NOT_FOUND, page_language(request), 404)


def refuse(request, refusal, language, exc=None):
    if exc is not None:
        log.info("LTI request refused (%s): %s", refusal.status, exc)
    return pages.refusal_page(request, refusal, language)
