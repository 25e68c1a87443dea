"""The sandbox LTI 1.3 platform, built on lti1p3platform (0.1.8).

Used from lti1p3platform: LTI1P3PlatformConfAbstract (registration, JWKS), Registration
(signing), DjangoAPIOIDCLogin (the login initiation redirect) and
LTIAdvantageMessageLaunchAbstract (the id_token). Not used: its Django message launch
module, which imports pkg_resources (gone from setuptools >= 81); we render our own form.
"""
import os
import secrets
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from lti1p3platform.framework.django.oidc_login import DjangoAPIOIDCLogin
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration as PlatformRegistration

from lti_tool import keys
from lti_tool.lti import CLAIM, launch_url
from lti_tool.models import Registration
from maydan.paths import path_of

from .demo import COURSES, PEOPLE
from .models import SandboxLink, SandboxTool

CLIENT_ID = "maydan-sandbox"
DEPLOYMENT_ID = "sandbox-deployment-1"
HINT_PREFIX = "maydan-sandbox-hint-"
HINT_TTL = 10 * 60  # a pending launch waits this long for the tool's login redirect


def site_url() -> str:
    """Where the sandbox answers: the tool's own site unless it is served apart (MAYDAN_SANDBOX_URL)."""
    return settings.MAYDAN_SANDBOX_URL or settings.MAYDAN_BASE_URL


def _url(name, **kwargs):
    """The sandbox's address of `name`; its patterns take one argument at most, so its value alone names it."""
    return site_url() + path_of(name, *kwargs.values())


def issuer() -> str:
    return site_url() + "/sandbox"


@lru_cache(maxsize=4)
def _key_pair(path):
    """(private, public) PEM of the platform key in var/, created once.

    Created under a temporary name and hard-linked into place, so two processes starting
    together agree on one key.
    """
    if not os.path.exists(path):
        tmp = f"{path}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(keys.new_private_pem())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    with open(path) as handle:
        private = handle.read()
    return private, keys.public_pem(private)


def platform_key_pair():
    return _key_pair(str(settings.VAR_DIR / "sandbox-platform-key.pem"))


class _Registration(PlatformRegistration):
    """lti1p3platform's registration, holding the loaded key: the library would parse the PEM
    (tens of milliseconds) for every kid and every signature."""

    def get_kid(self):
        return platform_kid()


@lru_cache(maxsize=4)
def _kid(private):
    return keys.public_jwk(private)["kid"]


def platform_kid():
    return _kid(platform_key_pair()[0])


class SandboxPlatformConf(LTI1P3PlatformConfAbstract):
    """The registration of the Maydan tool in the same site, or (`client_id`) of a tool that
    registered itself with the sandbox (a `SandboxTool`, launched with its own addresses)."""

    def init_platform_config(self, client_id=None, **kwargs):
        self.tool = None
        if client_id and client_id != CLIENT_ID:
            self.tool = SandboxTool.objects.filter(client_id=client_id).first()
            if self.tool is None:
                raise UnknownTool(client_id)

    def get_registration_by_params(self, tool_keys=True, **kwargs):
        """`tool_keys=False` for checking the platform's own access tokens, which needs no tool key."""
        private, public = platform_key_pair()
        registration = (
            _Registration()
            .set_iss(issuer())
            .set_platform_private_key(keys.private_key(private))
            .set_platform_public_key(public)
        )
        if self.tool is not None:
            config = self.tool.configuration
            return (
                registration.set_client_id(self.tool.client_id)
                .set_deployment_id(self.tool.deployment_id)
                .set_oidc_login_url(config["initiate_login_uri"])
                .set_launch_url(config["redirect_uris"][0])
                .set_deeplink_launch_url(config["redirect_uris"][0])
                .set_tool_key_set_url(config["jwks_uri"])
            )
        registration = (
            registration.set_client_id(CLIENT_ID)
            .set_deployment_id(DEPLOYMENT_ID)
            .set_oidc_login_url(settings.MAYDAN_BASE_URL + reverse("lti:login"))
            .set_launch_url(launch_url())
            .set_deeplink_launch_url(launch_url())
        )
        if tool_keys:  # the tool shares the database: its keys are read directly, not fetched over HTTP
            registration.set_tool_key_set(keys.published_jwks())
        return registration


def platform_jwks():
    return {"keys": [keys.public_jwk(platform_key_pair()[0])]}


def ensure_sandbox_registration():
    """Register the sandbox with the tool (its JWKS inline, so no HTTP fetch is needed)."""
    wanted = {
        "auth_login_url": _url("sandbox:authorize"),
        "auth_token_url": _url("sandbox:token"),
        "key_set_url": _url("sandbox:jwks"),
        "key_set": platform_jwks(),
        "deployment_ids": [DEPLOYMENT_ID],
    }
    # get_or_create: two processes registering at once end with one row.
    row, created = Registration.objects.get_or_create(issuer=issuer(), client_id=CLIENT_ID, defaults=wanted)
    if not created and any(getattr(row, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(row, name, value)
        row.save()
    return row


# --- step 1: the platform starts a launch ------------------------------------------------


class UnknownTool(Exception):
    pass


class SandboxOIDCLogin(DjangoAPIOIDCLogin):
    def set_lti_message_hint(self, **kwargs):
        self._lti_message_hint = kwargs["hint"]


def start_launch(request, *, person, course, locale, link=None, deep_link=False, tool=None):
    """Keep the launch under a one-time lti_message_hint and send the browser to the tool's login.

    `link`: a placed SandboxLink's pk (default: the course's built-in field log link);
    `deep_link`: a deep-linking request instead of a resource link launch;
    `tool`: the client id of a registered SandboxTool (default: Maydan).
    """
    conf = SandboxPlatformConf(client_id=tool)
    conf.get_registration(tool_keys=False)  # the login redirect needs no tool key
    hint = secrets.token_urlsafe(24)
    cache.set(HINT_PREFIX + hint, {"person": person, "course": course, "locale": locale, "link": link,
                                   "deep_link": deep_link, "client_id": tool or CLIENT_ID}, HINT_TTL)
    login = SandboxOIDCLogin(request, conf)
    login.set_lti_message_hint(hint=hint)
    return login.initiate_login(person)


# --- step 2: the authorization endpoint signs the id_token --------------------------------


class AuthorizeError(Exception):
    pass


class SandboxMessageLaunch(LTIAdvantageMessageLaunchAbstract):
    pending = None

    def validate_preflight_response(self, preflight_response):
        # The library checks only that nonce, state and redirect_uri are there and the client
        # id matches. Without the redirect_uri allow-list an id_token could be sent anywhere.
        super().validate_preflight_response(preflight_response)
        p = preflight_response
        if p.get("scope") != "openid" or p.get("response_type") != "id_token":
            raise AuthorizeError("scope must be 'openid' and response_type 'id_token'")
        if p.get("response_mode") != "form_post":
            raise AuthorizeError("response_mode must be form_post")
        if p.get("redirect_uri") != self._registration.get_launch_url():
            raise AuthorizeError("redirect_uri is not registered")
        pending = cache.get(HINT_PREFIX + (p.get("lti_message_hint") or ""))
        if not pending:
            raise AuthorizeError("unknown or expired lti_message_hint")
        if p.get("login_hint") != pending["person"] or p.get("client_id") != pending.get("client_id", CLIENT_ID):
            raise AuthorizeError("login_hint or client_id does not match the launch")
        cache.delete(HINT_PREFIX + p["lti_message_hint"])  # one launch per hint
        self.pending = pending

    def prepare_launch(self, preflight_response):
        sub, course_id = self.pending["person"], self.pending["course"]
        person, course = PEOPLE[sub], COURSES[course_id]
        self.set_user_data(sub, person["roles"], full_name=person["name"], email_address=person["email"])
        link = self.pending.get("link") and SandboxLink.objects.filter(pk=self.pending["link"], course=course_id).first()
        if self.pending.get("deep_link"):
            self.set_dl(_url("sandbox:deep_link_return"), title=str(course["label"]),
                        accept_types={"ltiResourceLink"}, extra_data={"course": course_id})
        elif link is not None:
            self.set_resource_link_claim(link.link_id, title=link.title)
            self.set_custom_parameters_claim(link.custom)
            if link.graded:
                self.set_ags(_url("sandbox:lineitems", course=course_id),
                             _url("sandbox:lineitem", pk=link.pk), allow_creating_lineitems=False)
        else:
            self.set_resource_link_claim(f"{course_id}-fieldlog", title="Field training log")
        self.set_nrps(_url("sandbox:memberships", course=course_id))
        self.set_launch_context_claim(
            course_id,
            context_types=["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
            context_title=course["title"],
            context_label=course_id,
        )
        self.set_launch_presentation_claim(
            document_target="iframe", return_url=_url("sandbox:index")
        )
        # set_launch_presentation_claim takes no locale: add it to the claim it built.
        self.lti_claim_launch_presentation[CLAIM + "launch_presentation"]["locale"] = self.pending["locale"]
        extra = {CLAIM + "tool_platform": {"guid": "maydan-sandbox", "name": "Maydan sandbox"}}
        if person.get("mentees"):
            extra[CLAIM + "role_scope_mentor"] = list(person["mentees"])
        self.set_extra_claims(extra)

    def render_launch_form(self, launch_data, **kwargs):
        return HttpResponse(render_to_string("lti_tool/sandbox/autopost.html", launch_data))
