"""Course settings over LTI: the supervisor's and coordinator's settings page, from a real launch."""
import pytest
from django.test import Client

from maydan.grading.models import GradingSettings
from maydan.models import AuditEvent, Course

from .flow import CLAIM, ctx_of, launch, post, resign, until_form

LIS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
GOOD = {"program": "MSW", "target_hours": "250", "category_targets": '{"direct": 120}', "time_zone": "Asia/Riyadh",
        "language": "ar", "digits": "arab", "forms": "1", "forms_in_use": ["final"], "due_final": "2027-01-14"}


def staff_ctx(client, person="instructor", lang="en", role=None):
    """The launch context of a person of the sandbox course; `role` relaunches them with another LTI role."""
    if role is None:
        return ctx_of(launch(client, person=person, lang=lang))
    form = until_form(client, person=person, lang=lang)
    page = post(client, form, id_token=resign(form["id_token"], **{CLAIM + "roles": [LIS + role]}))
    assert page.status_code == 200, page.content.decode()
    return ctx_of(page)


def save(client, ctx, lang="en", **changes):
    return client.post("/lti/settings", {"ctx": ctx, "lang": lang, "save": "1", **{**GOOD, **changes}})


def written():
    course = Course.objects.get()
    grading = GradingSettings.objects.filter(course=course).first() or GradingSettings()  # unsaved: the defaults
    return ([course.program, course.target_hours, course.category_targets, course.time_zone, course.language,
             course.language_chosen, course.digits],
            [grading.forms_in_use, grading.due_dates])


@pytest.mark.parametrize("person", ["instructor", "admin"])
def test_a_supervisor_opens_the_settings_from_the_bar_and_saves_them(sandbox, person):
    client = Client()
    page = launch(client, person=person, lang="en").content.decode()
    assert 'id="maydan-course-settings"' in page and 'action="/lti/settings"' in page
    ctx = ctx_of(launch(client, person=person, lang="en"))
    shown = client.post("/lti/settings", {"ctx": ctx, "lang": "en"})
    assert shown.status_code == 200 and 'name="target_hours"' in shown.content.decode()
    saved = save(client, ctx)
    assert saved.status_code == 200 and "Settings saved." in saved.content.decode()
    assert written() == (["MSW", 250, {"direct": 120}, "Asia/Riyadh", "ar", True, "arab"],
                         [["final"], {"final": "2027-01-14"}])
    audit = {event.action: event for event in AuditEvent.objects.filter(actor__subject=person)}
    assert audit["course_settings"].changes["target_hours"] == [None, 250]
    assert audit["course_settings"].changes["digits"] == ["latn", "arab"]
    assert audit["grading_settings"].changes["forms_in_use"] == [[], ["final"]]


def test_the_student_field_log_and_the_picker_follow_the_settings(sandbox):
    client = Client()
    assert "0 of 400 hours approved" in launch(client, person="student_1", lang="en").content.decode()
    picker = launch(client, person="instructor", lang="en", deep_link=True).content.decode()
    assert 'value="evaluation:midterm"' in picker and 'value="evaluation:final"' in picker
    assert save(client, staff_ctx(client), language="").status_code == 200
    assert "0 of 250 hours approved" in launch(client, person="student_1", lang="en").content.decode()
    picker = launch(client, person="instructor", lang="en", deep_link=True).content.decode()
    assert 'value="evaluation:midterm"' not in picker and 'value="evaluation:final"' in picker


def test_a_form_no_longer_in_use_still_opens_where_it_was_placed(sandbox):
    from .flow import place

    place(Client(), "evaluation:midterm")
    client = Client()
    save(client, staff_ctx(client))
    from lti_tool.sandbox.models import SandboxLink

    link = SandboxLink.objects.get()
    assert launch(client, person="instructor", lang="en", link=link.pk).status_code == 200


@pytest.mark.parametrize("person, lang, message", [
    ("student_1", "en", "Only the academic supervisor, the field coordinator or a course author may change"),
    ("mentor", "ar", "لا يغيّر هذه الإعدادات إلا المشرف الأكاديمي"),
])
def test_learners_and_mentors_are_refused_in_their_language_and_nothing_is_written(sandbox, person, lang, message):
    client = Client()
    launch(client, person="instructor", lang="en")  # the course exists, with its defaults
    before = written()
    page = launch(client, person=person, lang=lang).content.decode()
    assert 'id="maydan-course-settings"' not in page
    ctx = ctx_of(launch(client, person=person, lang=lang))
    for answer in (client.post("/lti/settings", {"ctx": ctx, "lang": lang}), save(client, ctx, lang)):
        assert answer.status_code == 403 and message in answer.content.decode()
    assert written() == before
    assert not AuditEvent.objects.filter(action__in=["course_settings", "grading_settings"]).exists()


def test_a_content_developer_may_set_them_too_as_in_studio(sandbox):
    client = Client()
    ctx = staff_ctx(client, person="student_2", role="ContentDeveloper")
    assert save(client, ctx).status_code == 200
    assert written()[0][1] == 250


def test_without_a_launch_context_the_page_is_refused(sandbox):
    answer = Client().post("/lti/settings", {"ctx": "forged", "lang": "en", "save": "1", **GOOD})
    assert answer.status_code == 403
    assert not Course.objects.exists()


@pytest.mark.parametrize("field, value, error", [
    ("program", "PhD", "program"),
    ("target_hours", "12.5", "target_hours"),
    ("target_hours", "0", "target_hours"),
    ("target_hours", "٣٠٠٠٠", "target_hours"),
    ("target_hours", "1e9", "target_hours"),
    ("category_targets", '{"direct": -5}', "category_targets"),
    ("category_targets", '{"gossip": 5}', "category_targets"),
    ("category_targets", "[1, 2", "category_targets"),
    ("time_zone", "Mars/Olympus", "time_zone"),
    ("time_zone", "", "time_zone"),
    ("language", "fr", "language"),
    ("digits", "roman", "digits"),
    ("forms_in_use", [], "forms_in_use"),
    ("forms_in_use", ["final", "exit-interview"], "forms_in_use"),
    ("due_final", "14/01/2027", "due_final"),
    ("due_final", "2027-02-30", "due_final"),
])
def test_bad_input_is_refused_beside_its_field_and_nothing_is_written(sandbox, field, value, error):
    client = Client()
    ctx = staff_ctx(client)
    before = written()
    answer = save(client, ctx, **{field: value})
    page = answer.content.decode()
    assert answer.status_code == 400
    assert f'id="err-{error}"' in page and "nothing was saved" in page
    assert written() == before
    assert not AuditEvent.objects.filter(action__in=["course_settings", "grading_settings"]).exists()


def test_hours_typed_with_arabic_indic_digits_are_read_as_numbers(sandbox):
    client = Client()
    assert save(client, staff_ctx(client), target_hours="٣٠٠").status_code == 200
    assert Course.objects.get().target_hours == 300


def test_every_error_of_a_form_is_shown_at_once_and_the_posted_values_are_kept(sandbox):
    client = Client()
    ctx = staff_ctx(client)
    page = save(client, ctx, target_hours="9999", due_final="tomorrow", time_zone="Africa/Cairo ").content.decode()
    assert 'id="err-target_hours"' in page and 'id="err-due_final"' in page
    assert 'value="9999"' in page and 'value="tomorrow"' in page
    assert Course.objects.get().target_hours is None


def test_the_page_speaks_arabic_right_to_left(sandbox):
    client = Client()
    ctx = staff_ctx(client, lang="ar")
    page = client.post("/lti/settings", {"ctx": ctx, "lang": "ar"}).content.decode()
    assert 'dir="rtl"' in page and 'lang="ar"' in page and "إعدادات المقرر" in page
    refused = save(client, ctx, "ar", target_hours="abc").content.decode()
    assert 'dir="rtl"' in refused and "ساعات" in refused


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_hours_per_category_are_rows_on_the_settings_page(sandbox, lang):
    client = Client()
    ctx = staff_ctx(client, lang=lang)
    form = {k: v for k, v in GOOD.items() if k != "category_targets"}
    saved = client.post("/lti/settings", {"ctx": ctx, "lang": lang, "save": "1", **form,
                                          "category_key": ["direct", "supervision", ""],
                                          "category_hours": ["120", "12.5", ""]})
    assert saved.status_code == 200
    assert Course.objects.get().category_targets == {"direct": 120, "supervision": 12.5}
    page = client.post("/lti/settings", {"ctx": ctx, "lang": lang}).content.decode()
    assert 'name="category_hours" value="12.5"' in page and "JSON" not in page
    refused = client.post("/lti/settings", {"ctx": ctx, "lang": lang, "save": "1", **form,
                                            "category_key": ["direct", "direct"], "category_hours": ["10", "20"]})
    assert refused.status_code == 400
    body = refused.content.decode()
    # What was typed stays on the form beside the message; nothing is saved.
    assert body.count('name="category_hours" value="10"') == 1 and body.count('name="category_hours" value="20"') == 1
    assert Course.objects.get().category_targets == {"direct": 120, "supervision": 12.5}
