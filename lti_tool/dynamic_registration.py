"""LTI Advantage Dynamic Registration 1.0: a platform administrator pastes one URL and the tool registers itself.

The platform opens /lti/register?openid_configuration=...&registration_token=...; the tool
reads the platform's OpenID configuration, posts its own client registration, and keeps the
answer (client id, deployment id) as a Registration.
"""
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from pylti1p3.exception import LtiException

from maydan.errors import Forbidden, Invalid, Refused

from .lti import FETCH_TIMEOUT, fetch_json, launch_url
from .models import Registration

PLATFORM_CONFIG = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration"
SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
]


class PlatformUnreachable(Refused):
    status = 502


def _url(name):
    return settings.MAYDAN_BASE_URL + reverse(name)


def tool_configuration():
    """The client registration this tool posts (OpenID Connect Dynamic Client Registration + LTI)."""
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": _url("lti:login"),
        "redirect_uris": [launch_url()],
        "client_name": "Maydan",
        "jwks_uri": _url("lti:jwks"),
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(SCOPES),
        TOOL_CONFIG: {
            "domain": urlsplit(settings.MAYDAN_BASE_URL).netloc,
            "target_link_uri": launch_url(),
            "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
            "messages": [
                {"type": "LtiResourceLinkRequest", "target_link_uri": launch_url()},
                {"type": "LtiDeepLinkingRequest", "target_link_uri": launch_url(), "label": "Maydan"},
            ],
        },
    }


def check_key(given):
    wanted = getattr(settings, "MAYDAN_LTI_REGISTRATION_KEY", "")
    if not wanted and not getattr(settings, "MAYDAN_LTI_OPEN_REGISTRATION", False):
        raise Forbidden(_("Dynamic registration is turned off here. The Maydan administrator can turn it on "
                          "with a registration key."))
    if wanted and given != wanted:
        raise Forbidden(_("This registration address is not valid. Ask the Maydan administrator for the right one."))


# What the configuration must name, and the longest value a Registration keeps of each.
_LONGEST = {"issuer": Registration._meta.get_field("issuer").max_length,
            "authorization_endpoint": Registration._meta.get_field("auth_login_url").max_length,
            "token_endpoint": Registration._meta.get_field("auth_token_url").max_length,
            "jwks_uri": Registration._meta.get_field("key_set_url").max_length,
            "registration_endpoint": 2000}
DEPLOYMENT_LONGEST = 255  # LTI Core: the deployment_id claim is at most 255 characters


def platform_configuration(url):
    try:  # not a web address: a bad request (400), not a platform that could not be reached (502)
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        raise Invalid(_("The platform did not say where its configuration is (openid_configuration)."))
    try:
        config = fetch_json(url)
    except LtiException:
        raise PlatformUnreachable(_("The platform's configuration could not be read. Try again in a moment."))
    if not isinstance(config, dict) or any(not isinstance(config.get(k), str) or not config[k] for k in _LONGEST):
        raise Invalid(_("The platform's configuration is incomplete."))
    if any(len(config[k]) > longest for k, longest in _LONGEST.items()):
        raise Invalid(_("The platform's configuration is not valid."))
    # The configuration must come from the issuer it names (Dynamic Registration 1.0, 3.5.1).
    if not url.startswith(config["issuer"].rstrip("/") + "/"):
        raise Invalid(_("The platform's configuration names another issuer than its own address."))
    return config


def register(openid_configuration, registration_token=""):
    """Fetch the configuration, post our registration, keep the result; returns the Registration."""
    config = platform_configuration(openid_configuration)
    headers = {"Authorization": f"Bearer {registration_token}"} if registration_token else {}
    try:
        answer = requests.post(config["registration_endpoint"], json=tool_configuration(), headers=headers,
                               timeout=FETCH_TIMEOUT)
    except requests.RequestException:
        raise PlatformUnreachable(_("The platform could not be reached to register Maydan. Try again in a moment."))
    if not answer.ok:
        raise Invalid(_("The platform refused the registration."))
    client_id, deployment = _answered(answer)
    return _store(config, client_id, deployment)


def _answered(answer):
    """(client id, deployment id or None) of the platform's answer; Invalid when it does not give them as
    identifiers (strings or numbers no longer than Registration keeps)."""
    try:
        client = answer.json()
        client_id, tool = client["client_id"], client.get(TOOL_CONFIG) or {}
        deployment = tool.get("deployment_id")
    except (ValueError, KeyError, TypeError, AttributeError):
        client_id, deployment = None, None
    if not _identifier(client_id, Registration._meta.get_field("client_id").max_length) or not (
            deployment is None or _identifier(deployment, DEPLOYMENT_LONGEST)):
        raise Invalid(_("The platform's answer to the registration is not valid."))
    return str(client_id), (str(deployment) if deployment is not None else None)


def _identifier(value, longest):
    return isinstance(value, (str, int)) and not isinstance(value, bool) and 0 < len(str(value)) <= longest


@transaction.atomic
def _store(config, client_id, deployment):
    row, _created = Registration.objects.get_or_create(
        issuer=config["issuer"].rstrip("/"), client_id=client_id,
        defaults={"auth_login_url": config["authorization_endpoint"]},
    )
    row.auth_login_url = config["authorization_endpoint"]
    row.auth_token_url = config["token_endpoint"]
    row.key_set_url = config["jwks_uri"]
    row.key_set = None
    if deployment and deployment not in row.deployment_ids:
        row.deployment_ids = [*row.deployment_ids, str(deployment)]
    row.save()
    return row
