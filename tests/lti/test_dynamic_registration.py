"""Dynamic Registration: the sandbox acts as a Moodle-like platform and the tool registers itself over HTTP."""
import html
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from lti_tool.models import Registration
from lti_tool.sandbox.models import SandboxTool
from lti_tool.sandbox.platform import issuer
from lti_tool.sandbox import services as platform

from . import flow
from .odd_platform import OddPlatform

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings):
    settings.MAYDAN_BASE_URL = live_server.url
    return live_server.url


def register(client, site, **params):
    return client.get("/lti/register?" + urlencode(params))


def test_the_administrator_pastes_one_url_and_the_tool_is_registered(site):
    client = Client()
    start = client.get("/sandbox/dynamic-registration?lang=en")
    assert start.status_code == 302 and urlsplit(start["Location"]).path == "/lti/register"
    page = client.get(start["Location"], HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200, text
    assert "org.imsglobal.lti.close" in text and "Maydan is registered" in text
    tool = SandboxTool.objects.get()
    row = Registration.objects.get(client_id=tool.client_id)
    assert row.issuer == issuer() and row.deployment_ids == [tool.deployment_id]
    assert row.auth_login_url == site + "/sandbox/authorize" and row.auth_token_url == site + "/sandbox/token"
    assert row.key_set_url == site + "/sandbox/jwks.json" and row.key_set is None
    # What the tool asked the platform for.
    config = tool.configuration
    assert config["initiate_login_uri"] == site + "/lti/login" and config["redirect_uris"] == [site + "/lti/launch"]
    assert config["jwks_uri"] == site + "/lti/jwks.json"
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in config["scope"].split()
    messages = config["https://purl.imsglobal.org/spec/lti-tool-configuration"]["messages"]
    assert {"LtiResourceLinkRequest", "LtiDeepLinkingRequest"} == {m["type"] for m in messages}


def test_a_used_registration_token_is_refused(site):
    token = platform.registration_token()
    config = site + "/sandbox/.well-known/openid-configuration"
    assert register(Client(), site, openid_configuration=config, registration_token=token).status_code == 200
    again = register(Client(), site, openid_configuration=config, registration_token=token, lang="en")
    assert again.status_code == 400 and "The platform refused the registration." in again.content.decode()
    assert Registration.objects.count() == 1


def test_a_configuration_from_another_address_than_its_issuer_is_refused(site, settings):
    token = platform.registration_token()
    config = site + "/sandbox/.well-known/openid-configuration"
    settings.MAYDAN_BASE_URL = "http://elsewhere.example"  # the platform now names another issuer
    response = register(Client(), site, openid_configuration=config, registration_token=token, lang="en")
    settings.MAYDAN_BASE_URL = site
    assert response.status_code == 400 and "names another issuer" in response.content.decode()
    assert not Registration.objects.exists() and not SandboxTool.objects.exists()


def test_an_unreachable_or_missing_configuration_is_refused(site):
    missing = register(Client(), site, lang="en")
    assert missing.status_code == 400 and "openid_configuration" in missing.content.decode()
    down = register(Client(), site, openid_configuration="http://127.0.0.1:9/config", lang="en")
    assert down.status_code == 502
    assert not Registration.objects.exists()


def test_plain_http_is_refused_outside_development(site, settings):
    settings.MAYDAN_LTI_ALLOW_HTTP = False
    response = register(Client(), site, openid_configuration=site + "/sandbox/.well-known/openid-configuration",
                        registration_token=platform.registration_token(), lang="en")
    assert response.status_code == 502 and not Registration.objects.exists()


def test_a_registration_key_guards_the_url_when_set(site, settings):
    settings.MAYDAN_LTI_REGISTRATION_KEY = "s3cret"
    config = site + "/sandbox/.well-known/openid-configuration"
    wrong = register(Client(), site, openid_configuration=config, registration_token=platform.registration_token(),
                     key="guess", lang="en")
    assert wrong.status_code == 403 and not Registration.objects.exists()
    right = register(Client(), site, openid_configuration=config, registration_token=platform.registration_token(),
                     key="s3cret", lang="en")
    assert right.status_code == 200


def test_without_a_key_registration_is_closed_outside_development(site, settings):
    settings.MAYDAN_LTI_OPEN_REGISTRATION = False
    response = register(Client(), site, openid_configuration=site + "/sandbox/.well-known/openid-configuration",
                        registration_token=platform.registration_token(), lang="en")
    assert response.status_code == 403 and "turned off" in response.content.decode()
    assert not Registration.objects.exists()


def _registered_tool(site):
    client = Client()
    start = client.get("/sandbox/dynamic-registration?lang=en")
    assert client.get(start["Location"]).status_code == 200
    return SandboxTool.objects.get()


def test_the_sandbox_launches_a_registered_tool_with_its_own_client_id(site):
    tool = _registered_tool(site)
    client = Client()
    form = flow.until_form(client, lang="en", tool=tool.client_id)
    body = flow.claims(form["id_token"])
    assert body["aud"] == tool.client_id and body[flow.CLAIM + "deployment_id"] == tool.deployment_id
    page = flow.post(client, form)
    assert page.status_code == 200 and "Field training log" in page.content.decode()


def test_the_sandbox_refuses_a_tool_it_does_not_know(site):
    response = Client().get("/sandbox/launch", {"person": "student_1", "course": "field-training-1", "lang": "en",
                                                "tool": "nobody"})
    assert response.status_code == 400 and "not registered with the sandbox" in response.content.decode()


def test_an_authorization_for_another_tool_than_the_launched_one_is_refused(site):
    tool = _registered_tool(site)
    client = Client()
    start = client.get("/sandbox/launch", {"person": "student_1", "course": "field-training-1", "lang": "en"})
    login = client.get(start["Location"])
    asked = flow.query(login["Location"])
    asked["client_id"] = tool.client_id  # the hint was issued for Maydan's own registration
    response = client.get("/sandbox/authorize?" + urlencode(asked))
    assert response.status_code == 400 and "id_token" not in response.content.decode()


@pytest.fixture
def odd_platform():
    """A platform whose configuration names its own address as issuer, and that registers the tool."""
    platform = OddPlatform()
    base, answers = platform.base, {}
    answers["/config"] = {"issuer": base, "authorization_endpoint": base + "/auth", "token_endpoint": base + "/token",
                          "jwks_uri": base + "/jwks", "registration_endpoint": base + "/register"}
    answers["/register"] = {"client_id": "client-1",
                            "https://purl.imsglobal.org/spec/lti-tool-configuration": {"deployment_id": "1"}}
    platform.routes = answers
    yield base, answers
    platform.close()


TOOL = "https://purl.imsglobal.org/spec/lti-tool-configuration"
ODD_CONFIGURATIONS = {
    "an issuer longer than any platform's": ("issuer", lambda base: base + "/" + "i" * 300),
    "a login address of 600 characters": ("authorization_endpoint", lambda base: base + "/" + "a" * 600),
    "a key set address that is a number": ("jwks_uri", lambda base: 42),
    "no token endpoint": ("token_endpoint", lambda base: ""),
}
ODD_ANSWERS = {
    "a client id of 300 characters": {"client_id": "c" * 300},
    "a client id that is an object": {"client_id": {"id": "c"}},
    "a client id that is true": {"client_id": True},
    "an empty client id": {"client_id": ""},
    "the tool configuration a list": {"client_id": "c", TOOL: ["deployment"]},
    "a deployment id that is an object": {"client_id": "c", TOOL: {"deployment_id": {"id": 1}}},
    "a deployment id of 300 characters": {"client_id": "c", TOOL: {"deployment_id": "d" * 300}},
    "an answer that is a list": ["client_id", "c"],
}


@pytest.mark.parametrize("case", ODD_CONFIGURATIONS)
def test_an_odd_platform_configuration_is_refused_and_nothing_kept(site, odd_platform, case):
    base, answers = odd_platform
    field, value = ODD_CONFIGURATIONS[case]
    answers["/config"][field] = value(base)
    address = base + "/config"
    if field == "issuer":  # served from under the address it names, so that only its length is odd
        address = answers["/config"]["issuer"] + "/config"
        answers[address[len(base):]] = answers["/config"]
    response = register(Client(), site, openid_configuration=address, lang="ar")
    page = response.content.decode()
    assert response.status_code == 400, page
    assert 'dir="rtl"' in page and "إعدادات المنصة" in page
    assert not Registration.objects.exists()


@pytest.mark.parametrize("case", ODD_ANSWERS)
def test_an_odd_answer_to_the_registration_is_refused_and_nothing_kept(site, odd_platform, case):
    base, answers = odd_platform
    answers["/register"] = ODD_ANSWERS[case]
    response = register(Client(), site, openid_configuration=base + "/config", lang="en")
    assert response.status_code == 400, response.content.decode()
    assert "The platform's answer to the registration is not valid." in html.unescape(response.content.decode())
    assert not Registration.objects.exists()


def test_a_platform_answering_as_expected_is_registered(site, odd_platform):
    base, answers = odd_platform
    answers["/register"] = {"client_id": 12345, TOOL: {"deployment_id": 7}}  # numbers are identifiers too
    response = register(Client(), site, openid_configuration=base + "/config", lang="en")
    assert response.status_code == 200, response.content.decode()
    row = Registration.objects.get()
    assert (row.issuer, row.client_id, row.deployment_ids, row.key_set_url) == (base, "12345", ["7"], base + "/jwks")
