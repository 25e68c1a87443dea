"""Every forged, stale or foreign launch is refused with a clear 4xx and writes nothing."""
import time

import jwt
import pytest
from django.core import signing
from django.test import Client

from lti_tool import keys
from lti_tool.sandbox.platform import CLIENT_ID
from maydan.models import Course, Membership, Person, Placement

from .flow import CLAIM, claims, post, resign, until_form


def nothing_written():
    return not (Person.objects.exists() or Course.objects.exists() or Membership.objects.exists()
                or Placement.objects.exists())


def refused(response, status, message):
    page = response.content.decode()
    assert response.status_code == status, page
    assert message in page, page
    assert 'class="maydan-error"' in page


def old_nonce(days):
    """A nonce this tool signed `days` ago, as its login signs one (a value, the time, the signature)."""
    then = signing.b62_encode(int(time.time()) - days * 86400)
    return signing.Signer(salt="maydan.lti.nonce").sign(f"n1:{then}")


def tampered_signature(token):
    header, payload, signature = token.split(".")
    signature = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    return f"{header}.{payload}.{signature}"


def tampered_payload(token):
    header, _payload, signature = token.split(".")
    body = {**claims(token), "sub": "instructor", CLAIM + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator"]}
    payload = jwt.utils.base64url_encode(jwt.api_jws.json.dumps(body).encode()).decode()
    return f"{header}.{payload}.{signature}"


def unknown_key(token):
    """Properly signed, but with a key the platform never published."""
    return jwt.encode(claims(token), keys.new_private_pem(), algorithm="RS256", headers={"kid": "not-in-the-jwks"})


CASES = {
    "bad signature": (tampered_signature, 401, "The launch signature could not be verified."),
    "payload changed after signing": (tampered_payload, 401, "The launch signature could not be verified."),
    "unknown kid": (unknown_key, 401, "The launch was signed with a key this tool does not know."),
    "wrong iss": (lambda t: resign(t, iss="https://evil.example"), 403, "This platform is not registered with Maydan."),
    "aud not our client id": (lambda t: resign(t, aud="another-tool", azp="another-tool"), 403,
                              "This launch was meant for another tool"),
    "several audiences, azp another tool": (lambda t: resign(t, aud=["another-tool", CLIENT_ID], azp="another-tool"),
                                           403, "This launch was meant for another tool"),
    "several audiences, no azp": (lambda t: resign(t, aud=[CLIENT_ID, "another-tool"], azp=None), 403,
                                  "This launch was meant for another tool"),
    "azp not among the audiences": (lambda t: resign(t, aud=CLIENT_ID, azp="another-tool"), 403,
                                    "This launch was meant for another tool"),
    "iat in the future": (lambda t: resign(t, iat=int(time.time()) + 3600, exp=int(time.time()) + 7200), 401,
                          "The launch signature could not be verified."),
    "target_link_uri not ours": (lambda t: resign(t, **{CLAIM + "target_link_uri": "https://evil.example/lti/launch"}),
                                 400, "This launch is meant for another tool."),
    "expired exp": (lambda t: resign(t, iat=1_000_000, exp=1_000_300), 401, "The launch has expired."),
    "nonce not issued by us": (lambda t: resign(t, nonce="forged-nonce"), 401, "This launch was not started here"),
    "nonce signed with another secret": (lambda t: resign(t, nonce=signing.TimestampSigner(
        key="another tool's secret", salt="maydan.lti.nonce").sign("n1")), 401, "This launch was not started here"),
    "nonce of ours, more than a day old": (lambda t: resign(t, nonce=old_nonce(days=2)), 401,
                                           "This launch was not started here"),
    "unknown deployment_id": (lambda t: resign(t, **{CLAIM + "deployment_id": "elsewhere"}), 403,
                              "This deployment of the tool is not registered"),
    # missing, mistyped and unaccepted claims: test_claims.py walks the whole table
    "not a JWT": (lambda t: "not-a-jwt", 400, "The launch message is malformed."),
}


@pytest.mark.parametrize("case", CASES)
def test_a_forged_launch_is_refused_and_writes_nothing(sandbox, case):
    change, status, message = CASES[case]
    client = Client(headers={"Accept-Language": "en"})  # an unreadable token says no locale
    form = until_form(client, lang="en")
    refused(post(client, form, id_token=change(form["id_token"])), status, message)
    assert nothing_written()


def test_several_audiences_are_accepted_when_azp_is_our_client_id(sandbox):
    client = Client()
    form = until_form(client, lang="en")
    token = resign(form["id_token"], aud=["another-tool", CLIENT_ID], azp=CLIENT_ID)
    assert post(client, form, id_token=token).status_code == 200


def test_the_unchanged_token_would_have_been_accepted(sandbox):
    """The cases above fail for their change, not for the way the test drives the launch."""
    client = Client()
    form = until_form(client, lang="en")
    assert post(client, form, id_token=resign(form["id_token"])).status_code == 200


def test_a_replayed_launch_is_refused(sandbox):
    client = Client()
    form = until_form(client, lang="en")
    assert post(client, form).status_code == 200
    before = (Person.objects.count(), Course.objects.count(), Membership.objects.count())
    refused(post(client, form), 409, "This launch was already used.")
    # also from another browser, which has no state cookie but the same (state, id_token)
    refused(post(Client(), form), 409, "This launch was already used.")
    assert (Person.objects.count(), Course.objects.count(), Membership.objects.count()) == before


def test_a_launch_without_the_state_cookie_is_refused(sandbox):
    form = until_form(Client(), lang="en")
    refused(post(Client(), form), 401, "Your browser did not keep the launch cookie")
    assert nothing_written()


def test_a_launch_without_state_is_refused(sandbox):
    client = Client()
    form = until_form(client, lang="en")
    refused(client.post("/lti/launch", {"id_token": form["id_token"]}), 400, "The launch request is incomplete.")
    assert nothing_written()


def test_a_refusal_speaks_the_launch_language(sandbox):
    client = Client()
    form = until_form(client, lang="ar")
    response = post(client, form, id_token=resign(form["id_token"], aud="another-tool"))
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "هذا التشغيل موجّه إلى أداة أخرى" in page


def test_a_learner_deep_linking_request_is_refused_and_writes_nothing(sandbox):
    client = Client()
    form = until_form(client, person="student_1", lang="en", deep_link=True)
    refused(post(client, form), 403, "Only teachers can add Maydan activities to a course.")
    assert nothing_written()


def test_a_submission_review_launch_is_not_taken_for_a_launch(sandbox):
    client = Client()
    form = until_form(client, lang="en")
    token = resign(form["id_token"], **{CLAIM + "message_type": "LtiSubmissionReviewRequest",
                                        CLAIM + "for_user": {"user_id": "student_1"},
                                        "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                                            "lineitem": "http://127.0.0.1:8000/sandbox/lineitems/1",
                                            "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"]}})
    refused(post(client, form, id_token=token), 400, "This kind of launch is not supported yet.")
    assert nothing_written()


def test_login_from_an_unknown_platform_is_refused(sandbox):
    response = Client().get("/lti/login", {
        "iss": "https://evil.example", "login_hint": "x", "target_link_uri": "http://127.0.0.1:8000/lti/launch",
        "client_id": CLIENT_ID}, headers={"Accept-Language": "en"})
    refused(response, 403, "This platform is not registered with Maydan.")


def test_login_for_another_client_id_is_refused(sandbox):
    client = Client()
    start = client.get("/sandbox/launch", {"person": "student_1", "course": "field-training-1", "lang": "en"})
    refused(client.get(start["Location"].replace(f"client_id={CLIENT_ID}", "client_id=another-tool"),
                       headers={"Accept-Language": "en"}), 403,
            "This launch was meant for another tool")


def test_login_for_a_foreign_target_is_refused(sandbox):
    client = Client()
    start = client.get("/sandbox/launch", {"person": "student_1", "course": "field-training-1", "lang": "en"})
    location = start["Location"].replace("target_link_uri=http%3A%2F%2F127.0.0.1%3A8000", "target_link_uri=https%3A%2F%2Fevil.example")
    assert location != start["Location"]
    refused(client.get(location, headers={"Accept-Language": "en"}), 400, "This login is meant for another tool.")


def test_login_without_login_hint_is_refused(sandbox):
    response = Client().post("/lti/login", {"iss": "http://127.0.0.1:8000/sandbox",
                                            "target_link_uri": "http://127.0.0.1:8000/lti/launch"},
                               headers={"Accept-Language": "en"})
    refused(response, 400, "The login request is incomplete: it lacks “login_hint”.")


def test_login_refusals_speak_the_browser_language(sandbox):
    response = Client().get("/lti/login", {"iss": "https://evil.example", "login_hint": "x",
                                           "target_link_uri": "http://127.0.0.1:8000/lti/launch"},
                            headers={"Accept-Language": "ar-EG,ar;q=0.9"})
    assert response.status_code == 403
    assert 'dir="rtl"' in response.content.decode() and "هذه المنصة غير مسجّلة في ميدان" in response.content.decode()


def test_over_https_the_launch_cookies_work_in_a_cross_site_iframe(sandbox):
    """Over HTTPS the login's one cookie, its state, is SameSite=None; Secure, which LMS iframes need; the nonce
    proves itself (signed), so no session cookie keys a cache. Without the state cookie the launch is a 401."""
    client = Client()
    form = until_form(client, lang="en", secure=True)
    launch_cookies = [name for name in client.cookies if name.startswith("lti1p3-")]
    assert len(launch_cookies) == 1 and launch_cookies[0].startswith("lti1p3-state-"), launch_cookies
    for name in launch_cookies:
        assert client.cookies[name]["secure"] and client.cookies[name]["samesite"] == "None", name
    assert post(client, form, secure=True).status_code == 200
    form = until_form(client, lang="en", secure=True)
    other = Client()
    for name, morsel in client.cookies.items():
        if not name.startswith("lti1p3-state-"):
            other.cookies[name] = morsel.value
    refused(post(other, form, secure=True), 401, "Your browser did not keep the launch cookie")


def test_launch_accepts_posts_only(sandbox):
    assert Client().get("/lti/launch").status_code == 405


@pytest.mark.parametrize("published", ["an EC key", "an RSA key for HS256", "no key material", "keys not a list",
                                       "a list", "a key not an object"])
def test_a_platform_key_set_that_cannot_verify_the_token_is_refused_not_a_server_error(sandbox, published):
    """A misconfigured platform JWKS: the token's kid with a key its algorithm cannot verify with, or no key set."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from jwcrypto.jwk import JWK

    from lti_tool.models import Registration

    client = Client(headers={"Accept-Language": "en"})
    form = until_form(client, lang="en")
    kid = jwt.get_unverified_header(form["id_token"])["kid"]
    registration = Registration.objects.get()
    key = dict(registration.key_set["keys"][0])
    if published == "an EC key":
        key = {**JWK.from_pyca(ec.generate_private_key(ec.SECP256R1()).public_key()).export_public(as_dict=True),
               "kid": kid}
    elif published == "an RSA key for HS256":
        key["alg"] = "HS256"
    elif published == "no key material":
        key = {"kid": kid, "kty": "RSA", "alg": "RS256"}
    registration.key_set = {"keys": [key]}
    if published in ("keys not a list", "a list", "a key not an object"):
        registration.key_set = {"keys": kid} if published == "keys not a list" else (
            [key] if published == "a list" else {"keys": [kid]})
    registration.save()
    token = form["id_token"]
    if published == "an RSA key for HS256":  # the classic confusion: the public key used as an HMAC secret
        token = jwt.api_jws.PyJWS(algorithms=["HS256"]).encode(
            jwt.utils.base64url_decode(token.split(".")[1]), b"public-key-as-secret", algorithm="HS256",
            headers={"kid": kid}, is_payload_detached=False)
    response = post(client, form, id_token=token)
    assert response.status_code in (400, 401), response.content.decode()
    assert 'class="maydan-error"' in response.content.decode()
    assert nothing_written()
