"""What a launch's id_token and a login initiation must carry, as one table each.

The rules come from OpenID Connect Core (3.1.3.7, 2), LTI 1.3 Core (5.1-5.4), Deep Linking 2.0
(4.4) and the 1EdTech Security Framework (5.1.3), plus this tool's own policy:

- `sub` is required: LTI allows an anonymous launch without it, but every Maydan activity
  belongs to a person (a field log, an attempt, a grade), so an anonymous launch is refused
  with a message saying so.
- `context.id` is required: every record belongs to a course.
- `roles` is required (it may be an empty list: least privilege, a student).
- `role_scope_mentor` absent leaves a Mentor's recorded students as they are; present, even
  empty, it replaces them (see people.set_mentees).

Types are strict (a bool is not a number, a list is not a string) and strings are bounded by
what the core stores. The check is pure Python on the decoded body: it costs a launch no query.
"""
import math
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from maydan.errors import Refused

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/"

RESOURCE_LINK = "LtiResourceLinkRequest"
DEEP_LINKING = "LtiDeepLinkingRequest"
MESSAGES = frozenset({RESOURCE_LINK, DEEP_LINKING})
BOTH = MESSAGES
VERSION = "1.3.0"
SHORT, URL, LONG = 255, 2048, 8192  # identifiers, addresses, free text (a name, a hint)
MAX_ITEMS = 1000  # roles, a Mentor's students, accepted types


# A message with its values, translated when shown: refusals are raised before the language is known.
_filled = lazy(lambda message, values: str(message) % values, str)


class ClaimRefused(Refused):
    """A launch or login whose claims break the table: a 400 naming the claim, nothing written."""

    status = 400

    def __init__(self, message, claim):
        super().__init__(message)
        self.claim = claim


# --- kinds: each answers whether a present value is of the kind ---------------------------------

def text(value):
    return isinstance(value, str) and value != ""


def number(value):
    """A NumericDate (RFC 7519 2): a JSON number, possibly with a fraction; never true/false or infinite."""
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and math.isfinite(value))


def flag(value):
    return isinstance(value, bool)


def texts(value):
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def audience(value):
    return text(value) or (isinstance(value, list) and value != [] and all(text(item) for item in value))


def obj(value):
    return isinstance(value, dict)


def web_address(value):
    """An absolute http(s) address: no javascript: or data: address is ever followed or posted to."""
    if not text(value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("https", "http") and bool(parts.netloc)


KIND_NAMES = {text: "string", number: "integer", flag: "boolean", texts: "list of strings",
              audience: "string or list of strings", obj: "object", web_address: "web address"}


@dataclass(frozen=True)
class Claim:
    path: tuple  # ("iss",) or (parent claim, member)
    kind: object  # one of the kinds above
    required_for: frozenset = frozenset()  # message types that must carry it
    limit: int = SHORT  # for strings (each string of a list too)
    allowed: frozenset | None = None  # the only values accepted, when the specification fixes them
    absent: str = ""  # what the person is told when it is missing, if more than "it lacks the claim"
    unaccepted: str = ""  # ... when its value is not among `allowed`

    @property
    def name(self):
        return ".".join(part.rsplit("/", 1)[-1] for part in self.path)


CLAIMS = (
    # LTI 1.3 Core 5.3.1-2 first: what the message is decides what else it needs
    Claim((LTI + "message_type",), text, BOTH, allowed=MESSAGES,
          unaccepted=_("This kind of launch is not supported yet.")),
    Claim((LTI + "version",), text, BOTH, allowed=frozenset({VERSION})),
    # OpenID Connect Core 2 and the Security Framework 5.1.3
    Claim(("iss",), web_address, BOTH),
    Claim(("aud",), audience, BOTH),
    Claim(("azp",), text),
    Claim(("exp",), number, BOTH),
    Claim(("iat",), number, BOTH),
    Claim(("nbf",), number),
    Claim(("nonce",), text, BOTH),
    Claim(("sub",), text, BOTH,  # our policy: no anonymous launches (see above)
          absent=_("This activity needs to know who you are, but the platform launched it anonymously. "
                   "Ask the course's administrator to share your identity with Maydan.")),
    Claim(("name",), text, limit=SHORT),
    Claim(("given_name",), text),
    Claim(("family_name",), text),
    Claim(("email",), text, limit=254),
    Claim(("locale",), text, limit=35),
    # LTI 1.3 Core 5.3 (required) and 5.4 (optional)
    Claim((LTI + "deployment_id",), text, BOTH),
    Claim((LTI + "target_link_uri",), web_address, BOTH, limit=URL),
    Claim((LTI + "roles",), texts, BOTH),
    Claim((LTI + "role_scope_mentor",), texts),
    Claim((LTI + "resource_link",), obj, frozenset({RESOURCE_LINK})),
    Claim((LTI + "resource_link", "id"), text, frozenset({RESOURCE_LINK})),
    Claim((LTI + "resource_link", "title"), text),
    Claim((LTI + "context",), obj, BOTH),  # our policy: every record belongs to a course
    Claim((LTI + "context", "id"), text, BOTH),
    Claim((LTI + "context", "title"), text),
    Claim((LTI + "context", "label"), text),
    Claim((LTI + "launch_presentation",), obj),
    Claim((LTI + "launch_presentation", "locale"), text, limit=35),
    Claim((LTI + "launch_presentation", "return_url"), web_address, limit=URL),
    Claim((LTI + "custom",), obj),
    Claim((LTI + "custom", "maydan_activity"), text, limit=200),
    # Deep Linking 2.0, 4.4
    Claim((DL + "deep_linking_settings",), obj, frozenset({DEEP_LINKING})),
    Claim((DL + "deep_linking_settings", "deep_link_return_url"), web_address, frozenset({DEEP_LINKING}), limit=URL),
    Claim((DL + "deep_linking_settings", "accept_types"), texts, frozenset({DEEP_LINKING})),
    Claim((DL + "deep_linking_settings", "accept_presentation_document_targets"), texts, frozenset({DEEP_LINKING})),
    Claim((DL + "deep_linking_settings", "accept_multiple"), flag),
    # Assignment and Grade Services, Names and Role Provisioning Services
    Claim((AGS + "endpoint",), obj),
    Claim((AGS + "endpoint", "lineitem"), web_address, limit=500),
    Claim((AGS + "endpoint", "lineitems"), web_address, limit=500),
    Claim((AGS + "endpoint", "scope"), texts),
    Claim((NRPS + "namesroleservice",), obj),
    Claim((NRPS + "namesroleservice", "context_memberships_url"), web_address, limit=500),
)

_MISSING = object()


def _at(body, path):
    value = body
    for part in path:
        value = value.get(part, _MISSING) if isinstance(value, dict) else _MISSING
        if value is None:  # JSON null is no value
            return _MISSING
    return value


def _fits(claim, value):
    if not claim.kind(value):
        return "type"
    if isinstance(value, str):  # most claims: one string, checked without building a list for it
        if len(value) > claim.limit:
            return "type"
    elif isinstance(value, list) and (len(value) > MAX_ITEMS or any(isinstance(item, str) and len(item) > claim.limit
                                                                    for item in value)):
        return "type"
    if claim.allowed is not None and value not in claim.allowed:
        return "value"
    return None


_LAUNCH_FAULTS = {
    "missing": _("The launch message is not valid: it lacks the claim “%(claim)s”."),
    "type": _("The launch message is not valid: the claim “%(claim)s” is of the wrong type or too long."),
    "value": _("The launch message is not valid: the claim “%(claim)s” has a value this tool does not accept."),
}


def _refuse(claim, fault):
    special = {"missing": claim.absent, "value": claim.unaccepted}.get(fault)
    return ClaimRefused(special or _filled(_LAUNCH_FAULTS[fault], {"claim": claim.name}), claim.name)


def check_launch(body):
    """Refuse (ClaimRefused) an id_token body that lacks a required claim or has one of the wrong type or value."""
    if not isinstance(body, dict):
        raise _refuse(Claim(("id_token",), obj), "type")
    kind = body.get(LTI + "message_type")
    for claim in CLAIMS:
        value = _at(body, claim.path)
        if value is _MISSING:
            # An unknown message type is refused by the first row; until then, require what all need.
            if kind in claim.required_for or (claim.required_for == BOTH and kind not in MESSAGES):
                raise _refuse(claim, "missing")
            continue
        fault = _fits(claim, value)
        if fault:
            raise _refuse(claim, fault)
    return body


# --- login initiation (LTI 1.3 Core 4.1, Security Framework 5.1.1.1) ----------------------------

LOGIN_PARAMETERS = (
    Claim(("iss",), web_address, BOTH),
    Claim(("login_hint",), text, BOTH, limit=LONG),
    Claim(("target_link_uri",), web_address, BOTH, limit=URL),
    Claim(("lti_message_hint",), text, limit=LONG),
    Claim(("client_id",), text),
    Claim(("lti_deployment_id",), text),
)


def check_login(values_of):
    """Refuse a login initiation whose parameters are missing, repeated or too long.

    `values_of(name)`: every value the request carries for a parameter (query string and form).
    Each parameter is one string; a repeated one is refused rather than picking one of its values.
    """
    for parameter in LOGIN_PARAMETERS:
        (name,) = parameter.path
        values = values_of(name)
        if not values or values == [""]:
            if parameter.required_for:
                raise _login_refusal(name, "missing")
            continue
        if len(values) > 1 or _fits(parameter, values[0]):
            raise _login_refusal(name, "type")


def _login_refusal(name, fault):
    messages = {
        "missing": _("The login request is incomplete: it lacks “%(parameter)s”."),
        "type": _("The login request is not valid: “%(parameter)s” is repeated, malformed or too long."),
    }
    return ClaimRefused(_filled(messages[fault], {"parameter": name}), name)
