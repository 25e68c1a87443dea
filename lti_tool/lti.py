"""pylti1p3 wired to this project: registrations from the database, state and nonces in the
Django cache, and launches that can be used only once."""
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException
from pylti1p3.registration import Registration as PyltiRegistration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from . import keys
from .models import Registration

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
RESOURCE_LINK = "LtiResourceLinkRequest"
NONCE_USED_PREFIX = "maydan-lti-used-nonce-"
NONCE_TTL = 86400  # as long as pylti1p3 keeps the nonce itself


class UnknownPlatform(LtiException):
    pass


class UnknownClient(LtiException):
    pass


def launch_url() -> str:
    return settings.MAYDAN_BASE_URL + reverse("lti:launch")


class DatabaseToolConf(ToolConfAbstract):
    """Tool configuration read from `Registration` rows: an issuer may have several client ids."""

    def __init__(self):
        self._rows = {}

    # pylti1p3 keeps the issuer relation in a class-level dict; answer directly instead.
    def check_iss_has_one_client(self, iss):
        return False

    def check_iss_has_many_clients(self, iss):
        return True

    def row(self, iss, client_id):
        if (iss, client_id) not in self._rows:
            rows = list(Registration.objects.filter(issuer=iss or ""))
            if not rows:
                raise UnknownPlatform("Unknown platform")
            if client_id:
                match = [r for r in rows if r.client_id == client_id]
            else:  # login initiation may omit client_id: fine while the issuer has only one
                match = rows if len(rows) == 1 else []
            if not match:
                raise UnknownClient("Client id not registered for this issuer")
            self._rows[(iss, client_id)] = match[0]
        return self._rows[(iss, client_id)]

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        return self.find_registration_by_params(iss, None)

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        row = self.row(iss, client_id)
        key = keys.signing_key()
        return (
            PyltiRegistration()
            .set_issuer(row.issuer)
            .set_client_id(row.client_id)
            .set_auth_login_url(row.auth_login_url)
            .set_auth_token_url(row.auth_token_url)
            .set_key_set_url(row.key_set_url or None)
            .set_key_set(row.key_set or None)
            .set_tool_private_key(key.private_pem)
            .set_tool_public_key(keys.public_pem(key.private_pem))
        )

    def find_deployment(self, iss, deployment_id):
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        row = self.row(iss, client_id)
        if deployment_id and deployment_id in (row.deployment_ids or []):
            return Deployment().set_deployment_id(deployment_id)
        return None


def data_storage():
    # Nonces, states and launch data go to the shared Django cache (Redis in production), not
    # the session: the session cookie is SameSite=Lax and would not survive a cross-site post.
    return DjangoCacheDataStorage(cache_name="default")


class OIDCLogin(DjangoOIDCLogin):
    pass


class MessageLaunch(DjangoMessageLaunch):
    """A launch that validates once.

    pylti1p3 2.0 only checks that the nonce exists and, after a first success, accepts the
    same (state, id_token) again, so a replayed POST would launch again. The nonce is marked
    used after every other check has passed (the signature is checked after the nonce).
    """

    def save_launch_data(self):
        nonce = self._get_jwt_body().get("nonce") or ""
        if not caches["default"].add(NONCE_USED_PREFIX + nonce, 1, NONCE_TTL):
            raise LtiException("Nonce already used (replayed launch)")
        return super().save_launch_data()
