"""The sandbox platform's LTI Advantage services: access tokens, AGS line items and scores, NRPS,
and the deep-linking return. A switch makes the next N score posts fail, to show retries."""
import json

import jwt
from django.core.cache import cache
from django.http import JsonResponse
from lti1p3platform.exceptions import LtiException as PlatformLtiException

from .demo import COURSES, PEOPLE
from .models import SandboxLink, SandboxScore, SandboxTool
from .platform import DEPLOYMENT_ID, SandboxPlatformConf, issuer, site_url

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
FAIL_KEY = "maydan-sandbox-fail-calls"
FAIL_TTL = 24 * 60 * 60


class ServiceError(Exception):
    def __init__(self, message, status):
        super().__init__(message)
        self.status = status

    def response(self):
        return JsonResponse({"error": str(self)}, status=self.status)


def fail_next(count):
    """The next `count` score posts or roster requests answer 503 (0 turns the failures off)."""
    cache.set(FAIL_KEY, max(int(count), 0), FAIL_TTL)


def failures_left():
    return max(cache.get(FAIL_KEY) or 0, 0)


def _should_fail():
    if not cache.get(FAIL_KEY):  # the usual case: one read, no write
        return False
    try:
        return cache.decr(FAIL_KEY) >= 0
    except ValueError:  # switched off meanwhile
        return False


def access_token(form):
    """Client credentials grant with a JWT assertion signed by the tool (its JWKS checked)."""
    conf = SandboxPlatformConf()
    conf.get_registration()
    try:
        return conf.get_access_token(dict(form.items()))
    except (PlatformLtiException, jwt.PyJWTError, KeyError, ValueError) as exc:
        raise ServiceError(f"invalid_client: {exc}", 400)


def check_bearer(request, scope):
    """The request's access token: signed by this platform, not expired, granting `scope`."""
    kind, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if kind.lower() != "bearer" or not token:
        raise ServiceError("missing bearer token", 401)
    conf = SandboxPlatformConf()
    conf.get_registration(tool_keys=False)
    try:
        conf.validate_token(token)
        granted = jwt.decode(token, options={"verify_signature": False}).get("scopes", "").split()
    except (PlatformLtiException, jwt.PyJWTError) as exc:
        raise ServiceError(f"invalid token: {exc}", 401)
    if scope not in granted:
        raise ServiceError("scope not granted", 403)


def lineitem(link):
    from django.urls import reverse

    return {
        "id": site_url() + reverse("sandbox:lineitem", kwargs={"pk": link.pk}),
        "label": link.label or link.title, "scoreMaximum": link.score_maximum,
        "resourceLinkId": link.link_id,
    }


def post_score(link, body):
    """AGS score publish: checks the score's fields, keeps it (every post, so a repeat would show)."""
    if _should_fail():
        raise ServiceError("the sandbox was asked to fail this call", 503)
    try:
        score = json.loads(body or b"{}")
    except ValueError:
        raise ServiceError("the score is not JSON", 400)
    missing = [k for k in ("userId", "activityProgress", "gradingProgress", "timestamp") if not score.get(k)]
    if missing:
        raise ServiceError(f"missing {', '.join(missing)}", 400)
    given, maximum = score.get("scoreGiven"), score.get("scoreMaximum")
    if given is not None and (maximum is None or not 0 <= float(given) <= float(maximum) or float(maximum) <= 0):
        raise ServiceError("scoreGiven must be between 0 and scoreMaximum", 400)
    return SandboxScore.objects.create(
        link=link, user_id=score["userId"], score_given=given, score_maximum=maximum,
        activity_progress=score["activityProgress"], grading_progress=score["gradingProgress"],
        timestamp=score["timestamp"],
    )


def memberships(course_id):
    """NRPS: everyone in the sandbox course, with their LTI role (a Mentor with no scope here)."""
    if _should_fail():
        raise ServiceError("the sandbox was asked to fail this call", 503)
    return {
        "id": course_id,
        "context": {"id": course_id, "label": course_id, "title": COURSES[course_id]["title"]},
        "members": [
            {"user_id": sub, "status": "Active", "name": person["name"], "email": person["email"],
             "roles": person["roles"]}
            for sub, person in PEOPLE.items()
        ],
    }


def deep_link_return(form):
    """Place the resource links of a tool's signed LtiDeepLinkingResponse; returns (course, links)."""
    conf = SandboxPlatformConf()
    conf.get_registration()
    token = form.get("JWT") or ""
    try:
        items = conf.validate_deeplinking_resp({"JWT": token})
        body = jwt.decode(token, options={"verify_signature": False})  # verified just above
    except (PlatformLtiException, jwt.PyJWTError, ValueError, KeyError) as exc:
        raise ServiceError(f"invalid deep linking response: {exc}", 400)
    # The library leaves the audience unchecked: the response must be meant for this platform.
    audience = body.get("aud")
    if issuer() not in (audience if isinstance(audience, list) else [audience]):
        raise ServiceError("the response is meant for another platform", 400)
    if body.get("https://purl.imsglobal.org/spec/lti/claim/deployment_id") != DEPLOYMENT_ID:
        raise ServiceError("unknown deployment", 400)
    course = (body.get("https://purl.imsglobal.org/spec/lti-dl/claim/data") or {}).get("course")
    if course not in COURSES:
        raise ServiceError("unknown course", 400)
    links = []
    for item in items:
        line = item.get("lineItem") or {}
        links.append(SandboxLink.objects.create(
            course=course, title=item.get("title") or "", custom=item.get("custom") or {},
            label=line.get("label") or "", score_maximum=line.get("scoreMaximum"),
        ))
    return course, links


# --- Dynamic Registration: the sandbox as a platform a tool registers itself with -----------

REGISTRATION_PREFIX = "maydan-sandbox-registration-token-"
REGISTRATION_TTL = 10 * 60


def openid_configuration():
    from django.urls import reverse

    def url(name):
        return site_url() + reverse(name)

    return {
        "issuer": issuer(),
        "authorization_endpoint": url("sandbox:authorize"),
        "token_endpoint": url("sandbox:token"),
        "jwks_uri": url("sandbox:jwks"),
        "registration_endpoint": url("sandbox:register"),
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", SCORE_SCOPE, LINEITEM_SCOPE, NRPS_SCOPE],
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "claims_supported": ["iss", "sub", "name", "email"],
        PLATFORM_CONFIG: {
            "product_family_code": "maydan-sandbox", "version": "1.0",
            "messages_supported": [{"type": "LtiResourceLinkRequest"}, {"type": "LtiDeepLinkingRequest"}],
        },
    }


PLATFORM_CONFIG = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration"


def registration_token():
    import secrets

    token = secrets.token_urlsafe(24)
    cache.set(REGISTRATION_PREFIX + token, 1, REGISTRATION_TTL)
    return token


def register_tool(request):
    """The registration endpoint: a one-time bearer token, then the tool's configuration is kept."""
    import secrets

    kind, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if kind.lower() != "bearer" or not cache.delete(REGISTRATION_PREFIX + token):
        raise ServiceError("invalid or used registration token", 401)
    try:
        config = json.loads(request.body or b"{}")
    except ValueError:
        raise ServiceError("the registration is not JSON", 400)
    lti = config.get(TOOL_CONFIG) if isinstance(config, dict) else None
    if not lti or not config.get("initiate_login_uri") or not config.get("redirect_uris") or not config.get("jwks_uri"):
        raise ServiceError("initiate_login_uri, redirect_uris, jwks_uri and the LTI tool configuration are required", 400)
    tool = SandboxTool.objects.create(client_id="maydan-" + secrets.token_hex(6),
                                      deployment_id="sandbox-deployment-" + secrets.token_hex(3), configuration=config)
    return {**config, "client_id": tool.client_id, TOOL_CONFIG: {**lti, "deployment_id": tool.deployment_id}}
