"""The platform's JWKS fetched over HTTP: cached, fetched again once when a new kid shows, HTTPS only outside development."""
import pytest
from django.core.cache import caches
from django.test import Client

from lti_tool import lti
from lti_tool.models import Registration
from lti_tool.sandbox import ensure_sandbox_registration

from .flow import post, until_form

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings, tmp_path):
    settings.MAYDAN_BASE_URL = live_server.url
    settings.VAR_DIR = tmp_path / "first"
    settings.VAR_DIR.mkdir()
    ensure_sandbox_registration()
    return live_server.url


def launch_fetching_keys(lang="en"):
    """A sandbox launch, with the registration keeping only the JWKS URL (as for Moodle)."""
    client = Client()
    form = until_form(client, lang=lang)
    Registration.objects.update(key_set=None)
    return post(client, form)


def rotate_platform_key(settings, tmp_path, name):
    settings.VAR_DIR = tmp_path / name
    settings.VAR_DIR.mkdir()


def cached_jwks(site):
    import hashlib

    return caches["default"].get(lti.JWKS_PREFIX + hashlib.sha256(f"{site}/sandbox/jwks.json".encode()).hexdigest())


def test_the_jwks_is_fetched_then_cached(site):
    assert launch_fetching_keys().status_code == 200
    first = cached_jwks(site)
    assert first and first["keys"][0]["kid"]
    assert launch_fetching_keys().status_code == 200
    assert cached_jwks(site) == first


def test_a_rotated_platform_key_is_fetched_once_and_a_forged_kid_is_not_refetched(site, settings, tmp_path):
    assert launch_fetching_keys().status_code == 200
    old = cached_jwks(site)["keys"][0]["kid"]
    rotate_platform_key(settings, tmp_path, "second")
    assert launch_fetching_keys().status_code == 200  # unknown kid -> one fresh fetch -> the new key
    assert cached_jwks(site)["keys"][0]["kid"] != old
    # Within the minute, another unknown kid does not make the tool fetch again.
    rotate_platform_key(settings, tmp_path, "third")
    refused = launch_fetching_keys()
    assert refused.status_code == 401 and "a key this tool does not know" in refused.content.decode()


def test_plain_http_keys_are_refused_outside_development(site, settings):
    settings.MAYDAN_LTI_ALLOW_HTTP = False
    response = launch_fetching_keys()
    assert response.status_code == 502
    assert "keys could not be fetched." in response.content.decode()


def test_a_launch_refused_for_keys_it_cannot_fetch_waits_for_one_fetch_only(site, settings, monkeypatch):
    """A launch is judged again only when its registration changed meanwhile: a platform whose keys cannot be fetched
    keeps a returning person waiting for one fetch, not two."""
    import hashlib

    assert launch_fetching_keys().status_code == 200  # this process has read the registration
    caches["default"].delete(lti.JWKS_PREFIX + hashlib.sha256(f"{site}/sandbox/jwks.json".encode()).hexdigest())
    settings.MAYDAN_LTI_ALLOW_HTTP = False
    client = Client()
    form = until_form(client, lang="en")
    Registration.objects.update(key_set=None)
    Registration.objects.of_issuer(Registration.objects.get().issuer)  # read as the process's launches read it
    fetched, fetch = [], lti.fetch_json
    monkeypatch.setattr(lti, "fetch_json", lambda url, **kwargs: fetched.append(url) or fetch(url, **kwargs))
    refused = post(client, form)
    assert refused.status_code == 502 and "keys could not be fetched." in refused.content.decode()
    assert len(fetched) == 1
