"""The field log block on XBlock's TestRuntime, as the LMS runs it for each person."""
import pytest
import webob
from django.test import Client, override_settings

from maydan import vocab
from maydan.models import AuditEvent, Course, LogEntry

from .xbtools import COURSE_KEY, USAGE_KEY, Person, entry, entry_ids, lms_user, new_link, placement_ids, tr

STUDENT = "9f1c2e-anon-student"


@pytest.fixture
def sara(lms):
    return Person(lms, lms_user(STUDENT, name="Sara Adel"))


@pytest.fixture
def hoda(lms):
    return Person(lms, lms_user("anon-staff-hoda", role="staff", name="Dr. Hoda Samir", lang="en"))


@pytest.fixture
def rami(lms):
    return Person(lms, lms_user("anon-agency-rami", role="maydan:agency_supervisor", name="Rami Fathy",
                                lang="en", mentees=[STUDENT]))


def submitted_entry(person, **overrides):
    response = person.act(**entry(**overrides))
    assert response.status_code == 200, response.text
    return entry_ids(response.text)[0]


def test_student_sees_their_log_in_arabic_right_to_left(sara):
    html = sara.view()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "<h2>سجل التدريب الميداني</h2>" in html
    assert 'name="action" value="save"' in html           # the entry form
    assert "/handler/act" in html                          # forms post to the block's handler
    block_fragment = sara.block().student_view()
    assert block_fragment.js_init_fn == "MaydanFieldLog"
    assert any("window.MaydanFieldLog" in r.data for r in block_fragment.resources)
    assert any("margin-inline" in r.data or "padding-inline" in r.data for r in block_fragment.resources)


def test_english_preference_shows_the_log_left_to_right(lms):
    html = Person(lms, lms_user("anon-emily", lang="en")).view()
    assert 'dir="ltr"' in html and 'lang="en"' in html
    assert "Field training log" in html and "New entry" in html


def test_student_saves_an_entry_and_sees_it(sara):
    response = sara.act(**entry(submit="0"))
    assert response.status_code == 200
    assert response.content_type == "text/html"
    assert "Hope Family Centre, Giza" in response.text and "C-014" in response.text
    assert len(entry_ids(response.text)) == 1
    # It is there on the next visit too, saved as a draft in the core's tables.
    assert entry_ids(sara.view()) == entry_ids(response.text)
    assert LogEntry.objects.get().status == vocab.DRAFT


def test_bad_entry_is_refused_with_the_reason_and_nothing_is_stored(sara):
    response = sara.act(**entry(description="Visited Mr. Ahmed, phone 01012345678."))
    assert response.status_code == 400
    assert "01012345678" in response.text and 'aria-invalid="true"' in response.text
    assert "Visited Mr. Ahmed" in response.text            # the person's input comes back
    response = sara.act(**entry(start_time="12:00", end_time="11:00"))
    assert response.status_code == 400
    assert LogEntry.objects.count() == 0 and not entry_ids(sara.view())


def test_get_on_the_handler_is_refused(sara):
    block, runtime = sara.course.open(sara.user)
    response = runtime.handle(block, "act", webob.Request.blank("/"))
    assert response.status_code == 405


def test_academic_supervisor_sees_the_overview_and_issues_an_agency_link(sara, hoda):
    submitted_entry(sara)
    overview = hoda.view()
    assert "Sara Adel" in overview and "Academic supervisor" in overview
    placement = placement_ids(overview)[0]
    opened = hoda.act(action="view", view="placement", placement=placement)
    assert opened.status_code == 200 and "Home visit to family C-014" in opened.text

    with override_settings(MAYDAN_BASE_URL="https://maydan.example.edu"):
        issued = hoda.act(action="issue_link", placement=placement, name="Rami Fathy", days="14")
    assert issued.status_code == 200
    url = new_link(issued.text)
    assert url.startswith("https://maydan.example.edu/maydan/agency/")

    # The agency supervisor needs no account: the link opens the student's submitted entries...
    page = Client().get(url.removeprefix("https://maydan.example.edu"), {"lang": "en"})
    assert page.status_code == 200 and "Home visit to family C-014" in page.content.decode()
    # ...and approving through it counts the hours.
    entry_id = LogEntry.objects.get().pk
    approved = Client().post(url.removeprefix("https://maydan.example.edu"),
                             {"action": "approve", "entry": entry_id, "lang": "en"})
    assert approved.status_code == 200 and "Entry approved." in approved.content.decode()
    assert LogEntry.objects.get().status == vocab.APPROVED


@override_settings(MAYDAN_BASE_URL="", LMS_ROOT_URL="https://lms.example.edu")
def test_agency_link_falls_back_to_the_lms_root_url(sara, hoda):
    submitted_entry(sara)
    placement = placement_ids(hoda.view())[0]
    issued = hoda.act(action="issue_link", placement=placement, days="7")
    assert new_link(issued.text).startswith("https://lms.example.edu/maydan/agency/")


def gradebook_score(earned, possible, student=STUDENT):
    """A score as the LMS grades app hears it for the field log block."""
    return {"anonymous_user_id": student, "course_id": str(COURSE_KEY), "item_id": str(USAGE_KEY),
            "points_earned": earned, "points_possible": possible}


def test_agency_supervisor_approves_and_the_grade_reaches_the_students_gradebook_at_once(sara, hoda, rami, gradebook):
    # 2.5 approved hours of a 10-hour target, on a block worth 4 points: 1 point.
    assert hoda.post_json("studio_submit", {"weight": 4, "target_hours": 10, "program": "BSW",
                                            "time_zone": "Africa/Cairo", "category_targets": {}}).status_code == 200
    entry_id = submitted_entry(sara)
    assert tr("ar", "Waiting for approval") in sara.view()
    assert "Sara Adel" in rami.view()                       # his mentee, in his overview
    assert gradebook == []

    approved = rami.act(action="approve", entry=entry_id, comment="Well prepared.")
    assert approved.status_code == 200 and "Entry approved." in approved.text
    # Open edX publishes for the runtime's user only: Sara's grade goes to her gradebook through edx-submissions.
    assert rami.published == [] and sara.published == []
    assert gradebook == [gradebook_score(1, 4)]

    html = sara.view()
    assert tr("ar", "Approved by agency") in html and "Well prepared." in html
    assert sara.published == [] and len(gradebook) == 1     # the same grade is never sent twice


def test_reopening_lowers_the_grade_in_the_gradebook_at_once(sara, hoda, rami, gradebook):
    hoda.post_json("studio_submit", {"target_hours": 10, "weight": 20})
    entry_id = submitted_entry(sara)
    rami.act(action="approve", entry=entry_id)
    reopened = hoda.act(action="reopen", entry=entry_id, comment="Please add the care plan goals.")
    assert reopened.status_code == 200
    assert gradebook == [gradebook_score(5, 20), gradebook_score(0, 20)]
    response = sara.act(action="view")
    assert response.status_code == 200 and "Please add the care plan goals." in response.text
    assert sara.published == [] and len(gradebook) == 2


def test_a_student_cannot_approve(sara, lms):
    entry_id = submitted_entry(sara)
    omar = Person(lms, lms_user("anon-omar", name="Omar Nabil"))
    refused = sara.act(action="approve", entry=entry_id)
    assert refused.status_code == 403
    assert tr("ar", "Only this student's agency supervisor may approve their entries.") in refused.text
    assert omar.act(action="approve", entry=entry_id).status_code == 404     # not even visible to him
    assert LogEntry.objects.get().status == vocab.SUBMITTED
    assert sara.published == []


def test_an_agency_supervisor_cannot_write_entries(rami):
    response = rami.act(**entry())
    assert response.status_code == 403
    assert "Only students keep a field log." in response.text
    assert LogEntry.objects.count() == 0


def test_agency_supervisor_without_mentees_sees_nobody(sara, lms):
    entry_id = submitted_entry(sara)
    stranger = Person(lms, lms_user("anon-agency-x", role="maydan:agency_supervisor", lang="en"))
    assert "Sara Adel" not in stranger.view()
    assert stranger.act(action="approve", entry=entry_id).status_code == 404
    assert LogEntry.objects.get().status == vocab.SUBMITTED


@pytest.mark.parametrize("role", ["staff", "instructor"])
def test_open_edx_course_staff_are_academic_supervisors(lms, sara, role):
    submitted_entry(sara)
    html = Person(lms, lms_user(f"anon-{role}", role=role, lang="en")).view()
    assert "Field training: students" in html and "Sara Adel" in html


@override_settings(LMS_ROOT_URL="https://lms.example.edu")
def test_people_and_course_are_identified_by_the_open_edx_keys(sara):
    sara.view()
    course = Course.objects.get()
    assert (course.issuer, course.context_id) == ("openedx:lms.example.edu", "course-v1:MaydanU+SW401+2025")
    assert course.memberships.get().person.subject == STUDENT


# --- Studio -------------------------------------------------------------------------------

SETTINGS = {"display_name": "Field log (MSW)", "weight": "5", "program": "MSW", "target_hours": "900",
            "category_targets": '{"direct": 450, "supervision": 30}', "time_zone": "Asia/Riyadh"}


def test_studio_view_shows_the_settings_form(hoda):
    html = hoda.view("studio_view")
    assert 'name="time_zone"' in html and 'value="Africa/Cairo"' in html
    assert 'value="Field training log"' in html and 'name="weight"' in html
    assert "/handler/studio_submit" in html


def test_staff_save_block_and_course_settings(hoda, sara):
    response = hoda.post("studio_submit", SETTINGS)
    assert response.status_code == 200 and response.json == {"result": "success", "logo": ""}  # no logo yet
    block = hoda.block()
    assert (block.display_name, block.weight, block.max_score()) == ("Field log (MSW)", 5.0, 5.0)
    course = Course.objects.get()
    assert (course.program, course.target_hours, course.time_zone) == ("MSW", 900, "Asia/Riyadh")
    assert course.category_targets == {"direct": 450, "supervision": 30}
    assert AuditEvent.objects.filter(action="course_settings").count() == 1
    # The student sees the new targets.
    html = sara.view()
    assert "900" in html and "450" in html


def test_bad_time_zone_is_refused_and_nothing_is_saved(hoda):
    response = hoda.post_json("studio_submit", dict(SETTINGS, time_zone="Cairo/Giza"))
    assert response.status_code == 400
    assert "Cairo/Giza" in response.json["errors"]["time_zone"][0] and "nothing was saved" in response.json["error"]
    assert (Course.objects.get().time_zone, Course.objects.get().program) == ("Africa/Cairo", "BSW")
    assert (hoda.block().display_name, hoda.block().weight) == ("Field training log", 1.0)
    assert not AuditEvent.objects.filter(action="course_settings").exists()


@pytest.mark.parametrize("change, field", [
    ({"target_hours": "0"}, "target_hours"),
    ({"target_hours": "6000"}, "target_hours"),
    ({"category_targets": '{"naps": 10}'}, "category_targets"),
    ({"category_targets": "not json"}, "category_targets"),
    ({"category_targets": "[" * 100_000 + "]" * 100_000}, "category_targets"),
    ({"category_targets": '{"direct": ' * 5000 + "1" + "}" * 5000}, "category_targets"),
    ({"category_targets": '{"direct": "' + "9" * 20_000 + '"}'}, "category_targets"),
    ({"program": "PhD"}, "program"),
    ({"weight": "-1"}, "weight"),
    ({"language": "fr"}, "language"),
    ({"digits": "roman"}, "digits"),
])
def test_bad_settings_are_refused_and_nothing_is_saved(hoda, change, field):
    response = hoda.post("studio_submit", dict(SETTINGS, **change))
    assert response.status_code == 400, response.json
    assert field in response.json["errors"] and response.json["error"]
    assert Course.objects.get().time_zone == "Africa/Cairo" and hoda.block().weight == 1.0


def test_the_course_language_and_digits_are_set_in_studio_as_over_lti(hoda):
    assert 'name="digits"' in hoda.view("studio_view")
    assert hoda.post("studio_submit", dict(SETTINGS, language="en", digits="arab")).status_code == 200
    course = Course.objects.get()
    assert (course.language, course.language_chosen, course.digits) == ("en", True, "arab")
    assert AuditEvent.objects.get(action="course_settings").changes["digits"] == ["latn", "arab"]
    hoda.post("studio_submit", dict(SETTINGS, language=""))  # back to "as each launch asks"
    assert Course.objects.get().language_chosen is False


def test_students_and_agency_supervisors_cannot_change_settings(sara, rami):
    for person in (sara, rami):
        response = person.post("studio_submit", SETTINGS)
        assert response.status_code == 403
        assert response.json["error"] == tr(person.user.opt_attrs["edx-platform.user_preferences"]["pref-lang"], (
            "Only the academic supervisor, the field coordinator or a course author may change these settings."))
    assert Course.objects.get().program == "BSW" and sara.block().weight == 1.0


# --- OLX ----------------------------------------------------------------------------------

def test_olx_round_trip(lms, hoda):
    from lxml import etree

    hoda.post("studio_submit", {"display_name": "سجل التدريب الميداني", "weight": "2.5"})
    block, runtime = lms.open(hoda.user)
    node = etree.Element("unknown")
    block.add_xml_to_node(node)
    olx = etree.tostring(node, encoding="unicode")
    assert node.tag == "maydan_fieldlog" and node.get("weight") == "2.5"
    assert node.get("display_name") == "سجل التدريب الميداني"

    new_id = runtime.parse_xml_string(olx)
    imported = runtime.get_block(new_id)
    assert (imported.display_name, imported.weight) == ("سجل التدريب الميداني", 2.5)


def test_olx_with_a_negative_weight_is_refused(lms, hoda):
    _block, runtime = lms.open(hoda.user)
    with pytest.raises(ValueError, match="weight"):
        runtime.parse_xml_string('<maydan_fieldlog weight="-3"/>')


@pytest.mark.parametrize("role", ["staff", "instructor", "maydan:agency_supervisor", "maydan:coordinator"])
def test_a_student_who_becomes_staff_cannot_approve_or_countersign_their_own_entry(sara, lms, role):
    """Course staff may also be enrolled: the LMS later hands the block the same user as staff."""
    entry_id = submitted_entry(sara)
    same_person = Person(lms, lms_user(STUDENT, role=role, name="Sara Adel",
                                       mentees=[STUDENT] if role == "maydan:agency_supervisor" else None))
    for action in ("approve", "return"):
        refused = same_person.act(action=action, entry=entry_id, comment="Looks fine to me.")
        assert refused.status_code == 403, refused.text
        assert tr("ar", "Nobody may approve, return, countersign or grade their own work.") in refused.text
    assert LogEntry.objects.get().status == vocab.SUBMITTED
    assert not AuditEvent.objects.filter(action__in=["approve", "return"]).exists()
