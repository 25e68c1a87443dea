"""Deep Linking 2.0: a teacher places Maydan activities in a sandbox course; launches open them."""
import jwt
import pytest
from django.test import Client

from lti_tool import keys
from lti_tool.models import ResourceLink
from lti_tool.sandbox.models import SandboxLink
from maydan import activities
from maydan.models import Course, GradeDestination

from .flow import CLAIM, ctx_of, hidden, launch, place, post, resign, until_form
from .flow import claims as flow_claims

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"


@pytest.fixture
def casework(monkeypatch):
    monkeypatch.setitem(activities.KINDS, "casework", ("tests.lti.casework_kind", "tests.lti.casework_kind:items"))


def test_the_teacher_picks_from_the_catalogue_in_the_course_language(sandbox, casework):
    arabic = launch(Client(), person="instructor", lang="ar", deep_link=True).content.decode()
    assert 'dir="rtl"' in arabic and "إضافة نشاط من ميدان" in arabic
    assert "سجل التدريب الميداني" in arabic and "دراسة حالة: flood" in arabic and 'value="casework:flood"' in arabic
    # The course is Arabic (its first launch was): an English-speaking teacher gets English pages,
    # but the titles that become the course's gradebook columns stay in the course's language.
    english = launch(Client(), person="admin", lang="en", deep_link=True).content.decode()
    assert "Add a Maydan activity" in english and "دراسة حالة: flood" in english


def test_an_english_course_gets_english_titles(sandbox, casework):
    english = launch(Client(), person="instructor", lang="en", deep_link=True).content.decode()
    assert "Field training log" in english and "Case study: flood" in english


@pytest.mark.parametrize("person", ["instructor", "admin"])
def test_the_response_is_signed_by_the_tool_with_resource_links_and_line_items(sandbox, casework, person):
    answer, placed = place(Client(), "fieldlog", "casework:eviction", person=person)
    token = hidden(answer, "JWT")
    header = jwt.get_unverified_header(token)
    assert header["kid"] == keys.signing_key().kid
    body = jwt.decode(token, keys.public_pem(keys.signing_key().private_pem), algorithms=["RS256"],
                      audience=sandbox.issuer)
    assert body[CLAIM + "message_type"] == "LtiDeepLinkingResponse"
    items = body[DL + "content_items"]
    assert [i["custom"]["maydan_activity"] for i in items] == ["fieldlog", "casework:eviction"]
    assert all(i["type"] == "ltiResourceLink" for i in items)
    assert items[1]["lineItem"] == {"scoreMaximum": 20, "label": "Case study: eviction",
                                    "resourceId": "casework:eviction"}
    assert placed.status_code == 200 and "Case study: eviction" in placed.content.decode()
    assert [(link.title, link.score_maximum, link.custom) for link in SandboxLink.objects.all()] == [
        ("Field training log", 100, {"maydan_activity": "fieldlog"}),
        ("Case study: eviction", 20, {"maydan_activity": "casework:eviction"}),
    ]


def test_a_placed_activity_opens_in_the_right_screen_for_each_role(sandbox, casework):
    place(Client(), "casework:flood")
    link = SandboxLink.objects.get()
    student = launch(Client(), person="student_1", link=link.pk, lang="en")
    assert 'data-key="flood" data-view="student"' in student.content.decode()
    teacher = launch(Client(), person="instructor", link=link.pk, lang="en")
    assert 'data-view="supervisor"' in teacher.content.decode()
    # The signed context names the activity: the next post lands in the same activity.
    again = Client().post("/lti/app/", {"ctx": ctx_of(student), "action": "view"})
    assert 'data-key="flood"' in again.content.decode()
    stored = ResourceLink.objects.get()
    assert (stored.link_id, stored.context_id, stored.activity) == (link.link_id, "field-training-1", "casework:flood")
    assert stored.lineitem_url.endswith(f"/sandbox/lineitems/{link.pk}")
    assert GradeDestination.objects.get().activity == "casework:flood"


def test_a_link_without_activity_is_the_field_log(sandbox):
    page = launch(Client(), person="student_1", lang="en").content.decode()
    assert "Field training log" in page
    assert ResourceLink.objects.get().activity == "fieldlog"


def test_a_launch_of_a_link_placed_in_another_course_is_refused_and_writes_nothing(sandbox):
    place(Client(), "fieldlog")
    link = SandboxLink.objects.get()
    launch(Client(), person="student_1", link=link.pk)
    courses = Course.objects.count()
    client = Client()
    form = until_form(client, person="student_2", link=link.pk, lang="en")
    other = {"id": "field-training-2", "title": "Field Training II"}
    response = post(client, form, id_token=resign(form["id_token"], **{CLAIM + "context": other}))
    assert response.status_code == 403
    assert "This activity belongs to another course." in response.content.decode()
    assert Course.objects.count() == courses and ResourceLink.objects.get().context_id == "field-training-1"


def test_an_unknown_activity_is_a_404_and_writes_nothing(sandbox):
    client = Client()
    form = until_form(client, person="student_1", lang="en")
    token = resign(form["id_token"], **{CLAIM + "custom": {"maydan_activity": "nothing:here"}})
    response = post(client, form, id_token=token)
    assert response.status_code == 404 and "This activity does not exist." in response.content.decode()
    assert not Course.objects.exists() and not ResourceLink.objects.exists()


def test_choosing_nothing_or_an_unknown_activity_is_a_400_on_the_picker(sandbox):
    client = Client()
    picker = launch(client, person="instructor", lang="en", deep_link=True)
    token = hidden(picker, "dl")
    nothing = client.post("/lti/deep-link", {"dl": token, "lang": "en"})
    assert nothing.status_code == 400 and "Choose at least one activity." in nothing.content.decode()
    unknown = client.post("/lti/deep-link", {"dl": token, "activity": "simulation:nope"})
    assert unknown.status_code == 400 and "This activity does not exist." in unknown.content.decode()


def test_a_forged_picker_token_is_refused(sandbox):
    response = Client().post("/lti/deep-link", {"dl": "forged", "activity": "fieldlog", "lang": "en"})
    assert response.status_code == 403
    assert "was not started from your course" in response.content.decode()


def test_a_tampered_deep_linking_response_is_refused_by_the_platform(sandbox):
    client = Client()
    picker = launch(client, person="instructor", lang="en", deep_link=True)
    answer = client.post("/lti/deep-link", {"dl": hidden(picker, "dl"), "activity": "fieldlog"})
    header, payload, signature = hidden(answer, "JWT").split(".")
    body = jwt.decode(hidden(answer, "JWT"), options={"verify_signature": False})
    body[DL + "content_items"][0]["custom"]["maydan_activity"] = "fieldlog:elsewhere"
    forged_payload = jwt.utils.base64url_encode(jwt.api_jws.json.dumps(body).encode()).decode()
    response = client.post("/sandbox/deep-link/return?lang=en", {"JWT": f"{header}.{forged_payload}.{signature}"})
    assert response.status_code == 400 and not SandboxLink.objects.exists()
    foreign = jwt.encode(body, keys.new_private_pem(), algorithm="RS256", headers={"kid": header})
    assert client.post("/sandbox/deep-link/return", {"JWT": foreign}).status_code == 400
    assert not SandboxLink.objects.exists()


def test_a_platform_accepting_one_item_gets_one(sandbox, casework):
    client = Client()
    form = until_form(client, person="instructor", lang="en", deep_link=True)
    body = flow_claims(form["id_token"])
    settings = {**body[DL + "deep_linking_settings"], "accept_multiple": False}
    picker = post(client, form, id_token=resign(form["id_token"], **{DL + "deep_linking_settings": settings}))
    two = client.post("/lti/deep-link", {"dl": hidden(picker, "dl"), "activity": ["fieldlog", "casework:flood"]})
    assert two.status_code == 400 and "This course accepts one activity at a time." in two.content.decode()
    one = client.post("/lti/deep-link", {"dl": hidden(picker, "dl"), "activity": "casework:flood"})
    assert one.status_code == 200


def test_a_link_whose_platform_changes_its_activity_follows_it(sandbox, casework):
    launch(Client(), person="student_1", lang="en")
    assert ResourceLink.objects.get().activity == "fieldlog"
    client = Client()
    form = until_form(client, person="student_1", lang="en")
    changed = resign(form["id_token"], **{CLAIM + "custom": {"maydan_activity": "casework:eviction"}})
    page = post(client, form, id_token=changed).content.decode()
    assert 'data-key="eviction"' in page and ResourceLink.objects.get().activity == "casework:eviction"


def test_the_picker_is_a_list_of_cards_in_the_teachers_language(sandbox, casework):
    from lxml import html as lxml_html

    english = lxml_html.fromstring(launch(Client(), person="instructor", lang="en", deep_link=True).content)
    cards = english.xpath("//li[contains(@class, 'maydan-picker-card')]")
    assert len(cards) >= 4
    by_value = {card.xpath(".//input/@value")[0]: card for card in cards}
    log = by_value["fieldlog"]
    assert log.xpath(".//label")[0].text_content().strip() == "Field training log"
    about = log.xpath(".//*[@id=$id]", id=log.xpath(".//input/@aria-describedby")[0])[0].text_content()
    assert "Field log" in about and "review" in about
    chat = by_value["simulation:etherapy-chat"].text_content()
    assert "E-therapy by chat" in chat and "Case simulation" in chat and "Client C-41" in chat
    dashboard = by_value["cohort"].text_content()
    assert "Not graded" in dashboard and "points" not in dashboard
    # No code in place of a name: every card's label is its title, never its value.
    assert not any(card.xpath(".//label")[0].text_content().strip() == value for value, card in by_value.items())
    # Each box is labelled by its title and described by its kind and line.
    for card in cards:
        box = card.xpath(".//input")[0]
        assert card.xpath(".//label/@for")[0] == box.get("id") and box.get("aria-describedby")


def test_an_english_teacher_in_an_arabic_course_reads_english_and_sees_the_gradebook_title(sandbox, casework):
    launch(Client(), person="instructor", lang="ar", deep_link=True)  # the course's first launch: Arabic
    english = launch(Client(), person="admin", lang="en", deep_link=True).content.decode()
    assert "Field training log" in english and "Gradebook column:" in english
    assert '<bdi lang="ar">سجل التدريب الميداني</bdi>' in english
