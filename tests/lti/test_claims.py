"""Every claim of a launch, removed, of the wrong type and of a wrong value: a 4xx in the launch's
language, and nothing written (no course, person, membership, placement, link, audit row, roster fetch).

The launches are real: signed by the sandbox platform (lti1p3platform) with its key, then changed and
signed again with the same key, so only the changed claim can be the reason for a refusal.
"""
import copy
import html
import json
import time

import pytest
from jwt.api_jws import PyJWS
from django.apps import apps
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from lti_tool import claims as table
from lti_tool import lti, nrps
from lti_tool.sandbox.platform import CLIENT_ID, issuer, platform_key_pair, platform_kid
from maydan import people, roles
from maydan.models import Course

from .flow import claims, post, until_form

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
GONE = object()  # the claim is taken out of the token

LINK, PICKER = "resource link", "deep linking"
MISSING = "The launch message is not valid: it lacks the claim “%(claim)s”."
MISTYPED = "The launch message is not valid: the claim “%(claim)s” is of the wrong type or too long."
UNACCEPTED = "The launch message is not valid: the claim “%(claim)s” has a value this tool does not accept."
ANONYMOUS = ("This activity needs to know who you are, but the platform launched it anonymously. "
             "Ask the course's administrator to share your identity with Maydan.")
UNSUPPORTED = "This kind of launch is not supported yet."
NOT_REGISTERED = "This platform is not registered with Maydan. Ask your administrator to register it."
ANOTHER_TOOL = "This launch was meant for another tool: its client ID is not registered here."
NOT_STARTED_HERE = "This launch was not started here or has expired. Open the activity from the course again."

LONG = "x" * 9000
STRING_NOT = [42, ["a"], {"a": "b"}, True, LONG]  # what a string claim must not be
NUMBER_NOT = ["1796011847", True, [1796011847], {"n": 1}]
LIST_NOT = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner", {"0": "Learner"}, [1, 2], [LONG],
            ["Learner"] * 1001]
OBJECT_NOT = ["x", ["a"], 7, True]
ADDRESS_NOT = [42, ["https://a.example"], "javascript:alert(1)", "/relative/path", "https://" + LONG]

# (path, which launches carry it, required in them, what it must not be, wrong values -> (status, message))
CLAIMS = [
    (("iss",), (LINK, PICKER), True, ADDRESS_NOT,
     {"https://evil.example": (403, NOT_REGISTERED)}),
    (("aud",), (LINK, PICKER), True, [42, [], [42], {"a": CLIENT_ID}, True],
     {"another-tool": (403, ANOTHER_TOOL)}),
    (("azp",), (LINK, PICKER), False, STRING_NOT, {"another-tool": (403, ANOTHER_TOOL)}),
    (("exp",), (LINK, PICKER), True, NUMBER_NOT + [1e400], {1_000_300: (401, "The launch has expired. Open the activity from the course again.")}),
    (("iat",), (LINK, PICKER), True, NUMBER_NOT,
     {int(time.time()) + 3600: (401, "The launch signature could not be verified.")}),  # iat in the future
    (("nbf",), (), False, NUMBER_NOT, {}),
    (("nonce",), (LINK, PICKER), True, STRING_NOT, {"forged": (401, NOT_STARTED_HERE)}),
    (("sub",), (LINK, PICKER), True, STRING_NOT, {}),
    (("name",), (LINK, PICKER), False, STRING_NOT, {}),
    (("given_name",), (), False, STRING_NOT, {}),
    (("family_name",), (), False, STRING_NOT, {}),
    (("email",), (LINK, PICKER), False, STRING_NOT, {}),
    (("locale",), (), False, STRING_NOT, {}),
    ((LTI + "message_type",), (LINK, PICKER), True, STRING_NOT,
     {"LtiSubmissionReviewRequest": (400, UNSUPPORTED), "DataPrivacyLaunchRequest": (400, UNSUPPORTED)}),
    ((LTI + "version",), (LINK, PICKER), True, STRING_NOT + [1.3], {"1.1": (400, UNACCEPTED)}),
    ((LTI + "deployment_id",), (LINK, PICKER), True, STRING_NOT,
     {"elsewhere": (403, "This deployment of the tool is not registered with Maydan.")}),
    ((LTI + "target_link_uri",), (LINK, PICKER), True, ADDRESS_NOT,
     {"https://evil.example/lti/launch": (400, "This launch is meant for another tool.")}),
    ((LTI + "roles",), (LINK, PICKER), True, LIST_NOT, {}),
    ((LTI + "role_scope_mentor",), (), False, LIST_NOT, {}),
    ((LTI + "resource_link",), (LINK,), True, OBJECT_NOT, {}),
    ((LTI + "resource_link", "id"), (LINK,), True, STRING_NOT, {}),
    ((LTI + "resource_link", "title"), (LINK,), False, STRING_NOT, {}),
    ((LTI + "context",), (LINK, PICKER), True, OBJECT_NOT, {}),
    ((LTI + "context", "id"), (LINK, PICKER), True, STRING_NOT, {}),
    ((LTI + "context", "title"), (LINK, PICKER), False, STRING_NOT, {}),
    ((LTI + "context", "label"), (LINK, PICKER), False, STRING_NOT, {}),
    ((LTI + "launch_presentation",), (LINK, PICKER), False, OBJECT_NOT, {}),
    ((LTI + "launch_presentation", "locale"), (LINK, PICKER), False, STRING_NOT, {}),
    ((LTI + "launch_presentation", "return_url"), (LINK, PICKER), False, ADDRESS_NOT, {}),
    ((LTI + "custom",), (), False, OBJECT_NOT, {}),
    ((LTI + "custom", "maydan_activity"), (), False, STRING_NOT, {}),
    ((DL,), (PICKER,), True, OBJECT_NOT, {}),
    ((DL, "deep_link_return_url"), (PICKER,), True, ADDRESS_NOT,
     {"javascript:alert(document.cookie)": (400, MISTYPED), "data:text/html,x": (400, MISTYPED)}),
    ((DL, "accept_types"), (PICKER,), True, LIST_NOT, {}),
    ((DL, "accept_presentation_document_targets"), (PICKER,), True, LIST_NOT, {}),
    ((DL, "accept_multiple"), (PICKER,), False, ["false", 0, ["true"]], {}),
    ((AGS,), (), False, OBJECT_NOT, {}),
    ((AGS, "lineitem"), (), False, ADDRESS_NOT, {}),
    ((AGS, "lineitems"), (), False, ADDRESS_NOT, {}),
    ((AGS, "scope"), (), False, LIST_NOT, {}),
    ((NRPS,), (LINK, PICKER), False, OBJECT_NOT, {}),
    ((NRPS, "context_memberships_url"), (LINK, PICKER), False, ADDRESS_NOT, {}),
]


def name(path):
    return ".".join(part.rsplit("/", 1)[-1] for part in path)


def _cases():
    """Removal and wrong values in both languages; the many wrong types alternate between them."""
    for path, carried_by, required, wrong_types, wrong_values in CLAIMS:
        for message in (LINK, PICKER):
            if required and message in carried_by:
                expected = ANONYMOUS if path == ("sub",) else MISSING
                for language in ("ar", "en"):
                    yield pytest.param(message, path, GONE, language, 400, expected,
                                       id=f"{message}: {name(path)} removed, {language}")
            if message == PICKER and LINK in carried_by or message == LINK and carried_by == (PICKER,):
                types = wrong_types[:1]  # the same check as in the other kind of launch: tried there in full
            else:
                types = wrong_types
            for i, value in enumerate(types):
                language = ("ar", "en")[i % 2]
                yield pytest.param(message, path, value, language, 400, MISTYPED,
                                   id=f"{message}: {name(path)} wrong type {i}, {language}")
            for value, (status, expected) in wrong_values.items():
                for language in ("ar", "en"):
                    yield pytest.param(message, path, value, language, status, expected,
                                       id=f"{message}: {name(path)}={value!r:.40}, {language}")


def changed(token, path, value):
    """The token with one claim set (or removed), signed again with the sandbox platform's key."""
    body = copy.deepcopy(claims(token))
    parent = body
    for part in path[:-1]:
        parent = parent.setdefault(part, {})
        if not isinstance(parent, dict):
            return None
    if value is GONE:
        parent.pop(path[-1], None)
    else:
        parent[path[-1]] = value
    # Signed as the sandbox platform signs, without PyJWT's own checks of the claims (it would
    # refuse to sign an iss that is not a string, the very thing this test sends).
    return PyJWS().encode(json.dumps(body).encode(), platform_key_pair()[0], algorithm="RS256",
                          headers={"kid": platform_kid()})


def counts():
    return {model.__name__: model.objects.count()
            for label in ("maydan", "lti_tool") for model in apps.get_app_config(label).get_models()}


@pytest.fixture
def fetched(sandbox, settings, monkeypatch):
    """Roster fetches asked of the platform (recorded, answering an empty roster)."""
    settings.MAYDAN_LTI_ROSTER_ON_LAUNCH = True
    calls = []
    monkeypatch.setattr(nrps, "fetch", lambda registration, url: calls.append(url) or [])
    return calls


def _course_in_use(other_person):
    """The course already exists with someone in it (so a roster fetch or a link could follow)."""
    people.enter(issuer(), "field-training-1", other_person, {roles.STUDENT})
    assert cache.get(lti.roster_synced_key(issuer(), "field-training-1")) is None  # a launch may sync now


@pytest.mark.parametrize("message, path, value, language, status, expected", list(_cases()))
def test_a_launch_with_a_missing_or_wrong_claim_is_refused_in_its_language_and_writes_nothing(
        fetched, message, path, value, language, status, expected):
    # A student launches while the course is in use (the instructor deep-linked before, or a
    # student opened the log); the teacher's picker is refused for a new teacher.
    _course_in_use("student_2" if message == LINK else "student_1")
    other = "en" if language == "ar" else "ar"
    client = Client(headers={"Accept-Language": other})  # what the launch says must win over the browser
    form = until_form(client, person="student_1" if message == LINK else "instructor", lang=language,
                      deep_link=message == PICKER)
    token = changed(form["id_token"], path, value)
    before, fetches = counts(), len(fetched)
    with translation.override(other):  # whatever language the process happens to be in
        response = post(client, form, id_token=token)

    page = html.unescape(response.content.decode())
    assert response.status_code == status, page
    says_locale = path not in ((LTI + "launch_presentation",), (LTI + "launch_presentation", "locale"))
    shown = language if says_locale else other  # without a readable locale, the browser's language
    with translation.override(shown):  # the message id translated, then the claim's name put in
        assert translation.gettext(expected).replace("%(claim)s", name(path)) in page, page
    assert f'<html lang="{shown}"' in page
    assert counts() == before
    assert len(fetched) == fetches


@pytest.mark.parametrize("message", [LINK, PICKER])
def test_the_same_launch_unchanged_is_accepted_and_would_have_written(fetched, message):
    """The refusals above come from the changed claim, not from the way the test drives the launch."""
    _course_in_use("student_2" if message == LINK else "student_1")
    client = Client()
    form = until_form(client, person="student_1" if message == LINK else "instructor", lang="ar",
                      deep_link=message == PICKER)
    before, fetches = counts(), len(fetched)
    response = post(client, form, id_token=changed(form["id_token"], ("name",), "Someone Else"))
    assert response.status_code == 200, response.content.decode()
    assert counts() != before
    assert len(fetched) == fetches + (message == LINK)


@pytest.mark.parametrize("path, value", [
    (("exp",), 1796011847.5), ((LTI + "roles",), []), (("aud",), [CLIENT_ID]),
    ((LTI + "role_scope_mentor",), []), ((DL, "accept_multiple"), False),
])
def test_values_the_specifications_allow_are_accepted(sandbox, path, value):
    """A fractional NumericDate, an empty roles list (least privilege), one audience in a list."""
    client = Client()
    form = until_form(client, person="instructor", lang="en", deep_link=path[0] == DL)
    if path == ("exp",):
        value = time.time() + 300.5
    assert post(client, form, id_token=changed(form["id_token"], path, value)).status_code == 200


def test_every_claim_of_the_tool_s_table_is_tried_here():
    tried = {path for path, *_rest in CLAIMS}
    assert {claim.path for claim in table.CLAIMS} == tried
    for claim in table.CLAIMS:
        row = next(row for row in CLAIMS if row[0] == claim.path)
        assert row[2] == bool(claim.required_for), claim.name


def test_an_id_token_whose_body_is_not_an_object_is_refused():
    with pytest.raises(table.ClaimRefused):
        table.check_launch(["not", "an", "object"])


# --- login initiation ----------------------------------------------------------------------------

LOGIN = {"iss": "http://127.0.0.1:8000/sandbox", "login_hint": "student_1",
         "target_link_uri": "http://127.0.0.1:8000/lti/launch", "client_id": CLIENT_ID,
         "lti_message_hint": "hint", "lti_deployment_id": "sandbox-deployment-1"}
LOGIN_INCOMPLETE = "The login request is incomplete: it lacks “%(parameter)s”."
LOGIN_INVALID = "The login request is not valid: “%(parameter)s” is repeated, malformed or too long."


def _login_cases():
    for parameter in LOGIN:
        if parameter in ("iss", "login_hint", "target_link_uri"):
            yield pytest.param(parameter, GONE, LOGIN_INCOMPLETE, id=f"{parameter} removed")
            yield pytest.param(parameter, "", LOGIN_INCOMPLETE, id=f"{parameter} empty")
        yield pytest.param(parameter, [LOGIN[parameter], "again"], LOGIN_INVALID, id=f"{parameter} repeated")
        yield pytest.param(parameter, LOGIN[parameter] + LONG, LOGIN_INVALID, id=f"{parameter} too long")
    yield pytest.param("iss", "not an address", LOGIN_INVALID, id="iss not an address")
    yield pytest.param("target_link_uri", "javascript:alert(1)", LOGIN_INVALID, id="target_link_uri javascript")


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("parameter, value, expected", list(_login_cases()))
def test_a_login_initiation_with_a_missing_or_wrong_parameter_is_refused(sandbox, method, language, parameter,
                                                                         value, expected):
    params = {**LOGIN, parameter: value}
    if value is GONE:
        del params[parameter]
    before = counts()
    with translation.override("en" if language == "ar" else "ar"):
        response = getattr(Client(), method)("/lti/login", params, headers={"Accept-Language": language})
    page = response.content.decode()
    assert response.status_code == 400, page
    with translation.override(language):
        assert translation.gettext(expected) % {"parameter": parameter} in page, page
    assert f'<html lang="{language}"' in page
    assert not any(name.startswith("lti1p3-") for name in response.cookies)  # no state handed out
    assert counts() == before


def test_the_same_login_initiation_is_accepted(sandbox):
    response = Client().get("/lti/login", LOGIN)
    assert response.status_code == 302 and response["Location"].startswith("http://127.0.0.1:8000/sandbox/authorize")
