"""JWKS endpoints, key rotation, the sandbox platform's own checks and the welcome pages."""
import jwt
from django.contrib import admin
from django.core.management import call_command
from django.test import Client

from lti_tool import keys, lti
from lti_tool.models import Registration, ResourceLink, ToolKey
from lti_tool.sandbox.platform import issuer

from .flow import launch, until_form


def test_tool_jwks_publishes_its_key_with_a_kid(db):
    published = Client().get("/lti/jwks.json").json()["keys"]
    key = ToolKey.objects.get()
    assert len(published) == 1 and published[0]["kid"] == key.kid
    assert published[0]["kty"] == "RSA" and published[0]["alg"] == "RS256" and published[0]["use"] == "sig"
    assert "d" not in published[0]  # never the private part
    # The key is durable: asking again serves the same one.
    assert Client().get("/lti/jwks.json").json()["keys"] == published


def test_rotation_publishes_old_and_new_and_signs_with_the_new(sandbox):
    old = keys.signing_key()
    call_command("lti_rotate_key", stdout=open("/dev/null", "w"))
    new = keys.signing_key()
    assert new.kid != old.kid
    kids = {k["kid"] for k in Client().get("/lti/jwks.json").json()["keys"]}
    assert kids == {old.kid, new.kid}
    registration = lti.DatabaseToolConf().find_registration_by_params(issuer(), "maydan-sandbox")
    assert registration.get_kid() == new.kid
    call_command("lti_rotate_key", "--retire", stdout=open("/dev/null", "w"))
    assert len(Client().get("/lti/jwks.json").json()["keys"]) == 1


def test_sandbox_jwks_holds_the_key_that_signs_its_launches(sandbox):
    client = Client()
    published = client.get("/sandbox/jwks.json").json()["keys"]
    form = until_form(client)
    assert jwt.get_unverified_header(form["id_token"])["kid"] == published[0]["kid"]
    assert Registration.objects.get(issuer=issuer()).key_set == {"keys": published}


def test_ensure_sandbox_registration_is_idempotent(db):
    call_command("lti_sandbox", stdout=open("/dev/null", "w"))
    call_command("lti_sandbox", stdout=open("/dev/null", "w"))
    row = Registration.objects.get()
    assert row.issuer == "http://127.0.0.1:8000/sandbox" and row.deployment_ids == ["sandbox-deployment-1"]


def test_the_sandbox_registers_itself_on_first_launch(db):
    assert not Registration.objects.exists()
    launch(Client(), person="student_1")
    assert Registration.objects.filter(issuer=issuer()).exists()


def test_sandbox_refuses_an_unregistered_redirect_uri(sandbox):
    client = Client()
    start = client.get("/sandbox/launch", {"person": "student_1", "course": "field-training-1"})
    authorize = client.get(start["Location"])["Location"]
    forged = authorize.replace("%2Flti%2Flaunch", "%2Fsteal")
    assert forged != authorize
    assert client.get(forged).status_code == 400


def test_sandbox_message_hint_is_one_time(sandbox):
    client = Client()
    start = client.get("/sandbox/launch", {"person": "student_1", "course": "field-training-1"})
    authorize = client.get(start["Location"])["Location"]
    assert client.get(authorize).status_code == 200
    assert client.get(authorize).status_code == 400


def test_sandbox_refuses_unknown_people_and_courses(sandbox):
    assert Client().get("/sandbox/launch", {"person": "root", "course": "field-training-1"}).status_code == 400
    assert Client().get("/sandbox/launch", {"person": "student_1", "course": "nope"}).status_code == 400


def test_sandbox_page_offers_every_person_a_frame_and_a_new_tab(db):
    page = Client().get("/sandbox/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    for person in ("student_1", "student_2", "instructor", "mentor", "admin"):
        assert f'value="{person}"' in page
    assert 'target="sandbox-tool"' in page and '<iframe name="sandbox-tool"' in page
    assert 'formtarget="_blank"' in page
    english = Client().get("/sandbox/", {"lang": "en"}).content.decode()
    assert '<html lang="en" dir="ltr">' in english and "Open in a new tab" in english


def test_home_page_in_both_languages(db):
    arabic = Client().get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic
    english = Client().get("/", {"lang": "en"}).content.decode()
    assert '<html lang="en" dir="ltr">' in english
    for page in (arabic, english):
        assert 'href="/sandbox/' in page and 'href="/workbench/"' in page
    assert "Agency supervisor (LTI Mentor)" in english
    assert "المشرف المؤسسي (Mentor في LTI)" in arabic


def test_launched_pages_may_be_framed_by_the_platform(sandbox):
    response = launch(Client(), person="student_1")
    assert "X-Frame-Options" not in response


def test_registrations_and_keys_are_in_the_admin():
    assert Registration in admin.site._registry and ToolKey in admin.site._registry
    assert ResourceLink in admin.site._registry
