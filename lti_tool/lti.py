"""pylti1p3 wired to this project: registrations from the database (through the Django cache), signed nonces
each marked used in the cache, and launches that can be used only once."""
import hashlib
import json
import secrets
from functools import lru_cache

import requests
import jwt
from jwcrypto.common import JWException
from django.conf import settings
from django.core import signing
from django.core.cache import caches
from jwcrypto.jwk import JWK
from pylti1p3.contrib.django import DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.contrib.django.session import DjangoSessionService
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException
from pylti1p3.registration import Registration as PyltiRegistration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from maydan.paths import path_of

from . import claims, keys, signatures
from .claims import LTI as CLAIM
from .cache import add_and_get_many
from .models import Registration, registrations_key

NONCE_USED_PREFIX = "maydan-lti-used-nonce-"
NONCE_TTL = 86400  # as long as pylti1p3 keeps the nonce itself
JWKS_PREFIX = "maydan-lti-jwks-"
ROSTER_SYNCED_PREFIX = "maydan-lti-roster-synced-"
JWKS_REFETCH_PREFIX = "maydan-lti-jwks-refetch-"
JWKS_TTL = 60 * 60
FETCH_TIMEOUT = 5
# A login decides nothing (the launch checks everything against the registration as it is now) and may redirect by
# what its process read up to this many seconds ago: a change made elsewhere reaches logins within this time.
LOGIN_KEPT = 30


class UnknownPlatform(LtiException):
    pass


class UnknownClient(LtiException):
    pass


class _RegistrationChanged(LtiException):
    """A launch was judged by a registration that changed meanwhile: MessageLaunch.validate judges it again, whatever
    the cache holds by then (the same rows may be back under the key)."""


def roster_synced_key(issuer, context_id):
    """The cache key saying a course's roster was synced lately (lti_tool.nrps)."""
    return ROSTER_SYNCED_PREFIX + _digest(f"{issuer}\n{context_id}")


def launch_url() -> str:
    return settings.MAYDAN_BASE_URL + path_of("lti:launch")


class DatabaseToolConf(ToolConfAbstract):
    """Tool configuration read from `Registration` rows: an issuer may have several client ids.

    `login`: a login's, which may answer from what its process read moments ago (LOGIN_KEPT). `launch`: a launch's,
    which judges by the rows its process read last and has them confirmed (MessageLaunch.save_launch_data)."""

    def __init__(self, login=False, launch=False):
        self._rows = {}
        self._login = login
        self.roster_synced = None  # for a launch: whether its course's roster was synced lately (None: not read)
        # A launch judges by the registrations this process read before, if any, and confirms them in the round trip
        # that marks its nonce used (MessageLaunch.save_launch_data): {issuer: the cached bytes judged by}.
        self.unconfirmed = {}
        self._roster_key = None
        self._unconfirmed_allowed = launch

    # pylti1p3 keeps the issuer relation in a class-level dict; answer directly instead.
    def check_iss_has_one_client(self, iss):
        return False

    def check_iss_has_many_clients(self, iss):
        return True

    def row(self, iss, client_id, launch=None):
        """The registration of (iss, client_id). With a `launch`'s claims, whether its course's roster was synced
        lately is read in the same round trip (roster_synced): every launch with a roster asks."""
        if (iss, client_id) not in self._rows:
            context_id = ((launch or {}).get(CLAIM + "context") or {}).get("id")
            beside = {roster_synced_key(iss, context_id): None} if isinstance(context_id, str) else {}
            built = Registration.objects.built_here(iss) if self._unconfirmed_allowed else None
            if built:  # confirmed with the roster's key when the nonce is marked used
                self.unconfirmed[iss], rows = built
                self._roster_key = next(iter(beside), None)
            else:
                rows = Registration.objects.of_issuer(iss, beside, kept_for=LOGIN_KEPT if self._login else 0)
                for value in beside.values():
                    self.roster_synced = value is not None
            match = self._matching(rows, client_id)
            if self._login and not match:  # a registration added a moment ago, in another process
                rows = Registration.objects.of_issuer(iss, kept_for=LOGIN_KEPT, afresh=True)
                match = self._matching(rows, client_id)
            if not rows:
                raise UnknownPlatform("Unknown platform")
            if not match:
                raise UnknownClient("Client id not registered for this issuer")
            self._rows[(iss, client_id)] = match[0]
        return self._rows[(iss, client_id)]

    def to_confirm(self):
        """The cache keys to read to confirm the registrations judged by (and the roster's, not read yet)."""
        return [*map(registrations_key, self.unconfirmed), *filter(None, [self._roster_key])]

    def confirm(self, found):
        """Whether the registrations judged by are still the cache's, in `found` (read with to_confirm's keys)."""
        if self._roster_key:
            self.roster_synced = found.get(self._roster_key) is not None
        return all(found.get(registrations_key(issuer)) == judged for issuer, judged in self.unconfirmed.items())

    def afresh(self):
        """Forget what was judged by: the registrations are read from the shared cache from now on."""
        self._rows, self.unconfirmed, self._roster_key, self.roster_synced = {}, {}, None, None
        self._unconfirmed_allowed = False

    @staticmethod
    def _matching(rows, client_id):
        if client_id:
            return [r for r in rows if r.client_id == client_id]
        return rows if len(rows) == 1 else []  # login initiation may omit client_id: fine while the issuer has one

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        return self.find_registration_by_params(iss, None)

    def find_registration_by_params(self, iss, client_id, *args, jwt_body=None, **kwargs):
        row = self.row(iss, client_id, jwt_body)
        return (
            _ToolKeyOnDemand()
            .set_issuer(row.issuer)
            .set_client_id(row.client_id)
            .set_auth_login_url(row.auth_login_url)
            .set_auth_token_url(row.auth_token_url)
            .set_key_set_url(row.key_set_url or None)
            .set_key_set(row.key_set or None)
        )

    def find_deployment(self, iss, deployment_id):
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        row = self.row(iss, client_id)
        if deployment_id and deployment_id in (row.deployment_ids or []):
            return Deployment().set_deployment_id(deployment_id)
        return None


class _ToolKeyOnDemand(PyltiRegistration):
    """A registration that reads the tool's signing key only when something is signed (services,
    deep linking): login and launch check the platform's signature and never need it."""

    _pem = None

    def get_tool_private_key(self):
        return keys.private_key(self._signing_pem())

    def get_tool_public_key(self):
        return keys.public_pem(self._signing_pem())

    def _signing_pem(self):
        if self._pem is None:
            self._pem = keys.signing_key().private_pem
        return self._pem


@lru_cache(maxsize=64)  # a key's JSON names it exactly: a rotated key is another entry
def _key_object(key_json, algorithm):
    """The key object PyJWT verifies with, of one JWK as pylti1p3 reads it (through its PEM), kept per process:
    converting it costs a tenth of a millisecond on every launch."""
    pem = JWK.from_json(key_json).export_to_pem()
    return jwt.get_algorithm_by_name(algorithm).prepare_key(pem)


class SignedNonces(DjangoSessionService):
    """Nonces that prove themselves. pylti1p3 keeps each login's nonce in the cache for the launch to look up:
    a write and a read per launch, and on HTTPS a session cookie naming the cache's keys. Here the login signs a
    random nonce with the time (Django's signing, SECRET_KEY) and the launch checks the signature and its age.
    Each is still used once: MessageLaunch.save_launch_data marks it used."""

    @staticmethod
    def signer():
        return signing.TimestampSigner(salt="maydan.lti.nonce")  # SECRET_KEY (and its fallbacks) as set now

    def save_nonce(self, nonce):
        pass  # the nonce carries its own proof

    def check_nonce(self, nonce):
        try:
            self.signer().unsign(nonce, max_age=NONCE_TTL)
        except (signing.BadSignature, TypeError):
            return False
        return True


def new_nonce():
    return SignedNonces.signer().sign(secrets.token_urlsafe(24))


_platform_calls = None


def platform_session():
    """One PlatformSession per process: pylti1p3 would build a requests.Session for every launch."""
    global _platform_calls
    if _platform_calls is None:
        _platform_calls = PlatformSession()
    return _platform_calls


class OIDCLogin(DjangoOIDCLogin):
    def __init__(self, request, tool_config):
        super().__init__(request, tool_config, session_service=SignedNonces(request))

    def _generate_nonce(self):
        return new_nonce()


def _digest(url):
    return hashlib.sha256(url.encode()).hexdigest()  # a cache key of fixed length and alphabet


class PlatformSession(requests.Session):
    """An HTTP session for calls to a platform's services whose every request gives up after `timeout`
    seconds: pylti1p3's service calls (access token, roster) set none, and a platform that never answers
    must not hold a launch or a grade delivery for ever."""

    def __init__(self, timeout=None):
        super().__init__()
        self.timeout = timeout or FETCH_TIMEOUT

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        return super().request(*args, **kwargs)


def fetch_json(url, **kwargs):
    """GET a platform document (JWKS, OpenID configuration): HTTPS only outside development."""
    if not (url.startswith("https://") or (settings.MAYDAN_LTI_ALLOW_HTTP and url.startswith("http://"))):
        raise LtiException(f"Error during fetch URL {url}: only HTTPS addresses are fetched")
    try:
        response = requests.get(url, timeout=FETCH_TIMEOUT, **kwargs)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as exc:
        raise LtiException(f"Error during fetch URL {url}: {exc}") from exc


class MessageLaunch(DjangoMessageLaunch):
    """A launch that validates once, with the platform's keys cached.

    pylti1p3 2.0 only checks that the nonce exists and, after a first success, accepts the
    same (state, id_token) again, so a replayed POST would launch again. The nonce is marked
    used after every other check has passed (the signature is checked after the nonce).

    The registration is judged by as this process read it last, when it has, and confirmed in the same round trip
    to the cache that marks the nonce used: a launch would otherwise make one round trip more. When it changed in
    between (in another process), the mark is taken back and the launch judged again by the registration as it is
    now, so no launch is ever accepted or refused by a registration that no longer holds.

    A platform's JWKS is cached (shared cache) for JWKS_TTL; a token signed with a kid the
    cached set lacks makes one fresh fetch (the platform may have rotated its key), at most
    once a minute per platform, so forged kids cannot make the tool hammer the platform.
    """

    _refetch = False

    def __init__(self, request, tool_config):
        super().__init__(request, tool_config, session_service=SignedNonces(request),
                         requests_session=platform_session())

    def validate_jwt_format(self):
        """The token's claims against the table of claims.py, before anything reads them
        (registration, nonce and signature checks read iss, aud and nonce)."""
        super().validate_jwt_format()
        claims.check_launch(self._jwt["body"])
        return self

    def get_client_id(self):
        """Our client id from aud/azp (OpenID Connect Core 3.1.3.7): with several audiences, azp names
        the client and must be one of them; azp, when present, must be the audience otherwise."""
        body = self._get_jwt_body()
        audiences = body.get("aud") if isinstance(body.get("aud"), list) else [body.get("aud")]
        azp = body.get("azp")
        if len(audiences) > 1 and azp not in audiences:
            raise LtiException("Client id not registered: several audiences and no authorized party (azp) among them")
        if azp is not None and azp not in audiences:
            raise LtiException("Client id not registered: the authorized party (azp) is not an audience")
        return azp if len(audiences) > 1 else audiences[0]

    def fetch_public_key(self, key_set_url):
        key = JWKS_PREFIX + _digest(key_set_url)
        cached = None if self._refetch else caches["default"].get(key)
        if cached is None:
            cached = fetch_json(key_set_url)
            caches["default"].set(key, cached, JWKS_TTL)
        return cached

    def get_public_key(self):
        try:
            return self._public_key()
        except LtiException as exc:
            url = self._registration.get_key_set_url()
            if (not str(exc).startswith("Unable to find public key") or self._refetch or not url
                    or self._registration_row_has_inline_keys
                    or not caches["default"].add(JWKS_REFETCH_PREFIX + _digest(url), 1, 60)):
                raise
            self._refetch = True
            self._registration.set_key_set(None)
            return self._public_key()

    def _public_key(self):
        """The key the token names (its kid and alg; a key naming no alg is RS256, as pylti1p3 matches them), as the
        object its algorithm verifies with. A malformed key set, or a key of another kind than its algorithm's, is
        the platform's fault, refused as a signature that cannot be verified (pylti1p3 lets these through)."""
        key_set = self._registration.get_key_set()
        if not key_set:
            url = self._registration.get_key_set_url()
            if not url or not url.startswith(("http://", "https://")):
                raise LtiException(f"Invalid URL: {url}")
            key_set = self.fetch_public_key(url)
            self._registration.set_key_set(key_set)
        header = self._jwt.get("header")
        kid, alg = (header.get("kid"), header.get("alg")) if isinstance(header, dict) else (None, None)
        if not kid:
            raise LtiException("JWT KID not found")
        if not alg:
            raise LtiException("JWT ALG not found")
        try:
            for key in key_set["keys"]:
                if key.get("kid") and key.get("kid") == kid and key.get("alg", "RS256") == alg:
                    return _key_object(json.dumps(key, sort_keys=True), alg), alg
        except (JWException, jwt.PyJWTError, NotImplementedError, AttributeError, KeyError, TypeError,
                ValueError) as exc:
            raise LtiException("Can't decode id_token: the platform's key set is malformed "
                               "or its key does not suit the token's algorithm") from exc
        raise LtiException("Unable to find public key")

    def validate_jwt_signature(self):
        """As pylti1p3 checks it, with PyJWT's decoding of lti_tool.signatures."""
        public_key, algorithm = self.get_public_key()
        try:
            signatures.decode(self._get_id_token(), public_key, algorithms=[algorithm],
                              options=self._jwt_verify_options)
        except jwt.InvalidTokenError as exc:
            raise LtiException(f"Can't decode id_token: {exc}") from exc
        return self

    @property
    def _registration_row_has_inline_keys(self):
        return bool(self._tool_config.row(self._get_iss(), self.get_client_id()).key_set)

    def validate_state(self):
        """The state must be the one our login set in this browser's cookie.

        pylti1p3 first looks for the state in the cache, where its save_launch_data would have
        marked it valid for a second use of the same id_token; a launch is used once here (see
        save_launch_data), so that entry is never written and the lookup is skipped.
        """
        state = self._get_request_param("state")
        if not state:
            raise LtiException("Missing state param")
        if self._cookie_service.get_cookie(state) != state:
            if self._replayed():  # a used launch posted again (from any browser) is called a replay
                raise LtiException("Nonce already used (replayed launch)")
            raise LtiException("State not found")
        return self

    def _replayed(self):
        """Whether the (unverified) token's nonce was used: only to word a refusal already decided."""
        try:
            nonce = self.validate_jwt_format()._get_jwt_body().get("nonce")
        except (LtiException, claims.ClaimRefused):
            return False
        return bool(nonce) and caches["default"].get(NONCE_USED_PREFIX + str(nonce)) is not None

    def validate(self):
        try:
            return super().validate()
        except _RegistrationChanged:
            pass  # accepted by a registration since changed: its nonce's mark was taken back
        except LtiException:
            conf = self._tool_config
            if not conf.unconfirmed or conf.confirm(caches["default"].get_many(conf.to_confirm())):
                raise  # refused by the registration as it is now
        # Judged by a registration since changed (in another process): judged again by it as it is now.
        self._tool_config.afresh()
        return super().validate()

    def save_launch_data(self):
        """Mark the nonce used, confirming in the same round trip the registration judged by (see the class). pylti1p3
        would also keep the launch data and the state in the cache for a later get_launch_from_cache; the tool carries
        its own signed context instead (context.py)."""
        used = NONCE_USED_PREFIX + (self._get_jwt_body().get("nonce") or "")
        added, found = add_and_get_many(used, 1, NONCE_TTL, self._tool_config.to_confirm())
        if not added:
            raise LtiException("Nonce already used (replayed launch)")
        if not self._tool_config.confirm(found):
            caches["default"].delete(used)
            raise _RegistrationChanged()
        return self
