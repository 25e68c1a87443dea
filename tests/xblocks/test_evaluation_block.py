"""The evaluation block on XBlock's TestRuntime, as the LMS runs it for each person."""
import pytest
from opaque_keys.edx.locator import BlockUsageLocator

from maydan.grading import services
from maydan.grading.models import Evaluation, Scoresheet, SelfEvaluation
from maydan.models import Placement
from xblocks.evaluation import EvaluationXBlock

from .xbtools import COURSE_KEY, LmsCourse, Person, lms_user, placement_ids, tr

USAGE = BlockUsageLocator(COURSE_KEY, block_type="maydan_evaluation", block_id="midterm1")
BEHAVIOURS = [b.id for b in services.form_of("midterm").framework.behaviours]


def sheet(value, **changes):
    fields = {f"value_{b}": str(value) for b in BEHAVIOURS}
    fields.update(action="save_sheet", submit="1", comment_overall="Solid.", **changes)
    return fields


@pytest.fixture
def course(db):
    course = LmsCourse(USAGE, EvaluationXBlock)
    course.people = {
        "sara": Person(course, lms_user("sara-anon", "student", "ar", "Sara Adel")),
        "hoda": Person(course, lms_user("hoda-anon", "staff", "ar", "Dr. Hoda Samir")),
        "rami": Person(course, lms_user("rami-anon", "maydan:agency_supervisor", "ar", "Rami Fathy",
                                        mentees=["sara-anon"])),
        "omar": Person(course, lms_user("omar-anon", "student", "en", "Omar Nabil")),
    }
    for person in course.people.values():
        person.view()  # everyone arrives once, as in a course
    hoda = course.people["hoda"]
    hoda.post("studio_submit", {"form": "midterm", "weight": "20"})
    return course


def test_block_declares_its_score_and_services(course):
    block = course.people["hoda"].block()
    assert block.has_score and block.max_score() == 20.0 and block.form == "midterm"
    assert EvaluationXBlock._services_requested == {"user": "want", "i18n": "need"}


def test_dual_evaluation_release_and_the_grade_in_the_students_gradebook_at_once(course, gradebook):
    sara, hoda, rami = (course.people[k] for k in ("sara", "hoda", "rami"))
    placement = str(Placement.objects.get(student__subject="sara-anon").pk)
    assert len(placement_ids(hoda.view())) == 2
    assert placement_ids(rami.view()) == [placement]            # he mentors Sara only
    assert rami.act(**sheet(5), placement=placement).status == "200 OK"
    page = hoda.act(action="view", view="evaluate", placement=placement).text
    assert 'name="value_1a"' in page and "maydan-agency-value" not in page
    hoda.act(**sheet(3), placement=placement)
    released = hoda.act(action="release", placement=placement)
    assert tr("ar", "Evaluation released to the student.") in released.text
    assert Evaluation.objects.get(placement=placement).score == pytest.approx(0.8)
    # Released by Hoda, set in Sara's gradebook through edx-submissions: Omar's untouched.
    assert gradebook == [{"anonymous_user_id": "sara-anon", "course_id": str(COURSE_KEY), "item_id": str(USAGE),
                          "points_earned": 16, "points_possible": 20}]
    html = sara.view()
    assert tr("ar", "Final score: %(percent)s%%") % {"percent": "80"} in html
    assert sara.published == [] and len(gradebook) == 1         # the same grade is never sent twice


def test_students_cannot_score_or_release(course):
    sara, omar, hoda = course.people["sara"], course.people["omar"], course.people["hoda"]
    placement = str(Placement.objects.get(student__subject="sara-anon").pk)
    assert sara.act(**sheet(5), placement=placement).status_code == 403
    assert omar.act(action="release", placement=placement).status_code == 403
    assert not Scoresheet.objects.exists()
    assert "has not been released yet" in omar.view()


def test_studio_settings_are_checked(course):
    sara, hoda = course.people["sara"], course.people["hoda"]
    assert sara.post("studio_submit", {"weight": "5"}).status_code == 403
    bad = hoda.post("studio_submit", {"form": "nope"})
    assert bad.status_code == 400 and "form" in bad.json["errors"]
    assert hoda.post("studio_submit", {"weight": "-2"}).status_code == 400
    assert (hoda.block().form, hoda.block().weight) == ("midterm", 20.0)
    assert "maydan-studio" in hoda.view("studio_view")


def test_olx_round_trip_and_a_bad_form_is_refused(course):
    from lxml import etree

    block, runtime = course.open(course.people["hoda"].user)
    node = etree.Element("unknown")
    block.add_xml_to_node(node)
    assert node.tag == "maydan_evaluation" and node.get("form") == "midterm" and node.get("weight") == "20.0"
    imported = runtime.get_block(runtime.parse_xml_string(etree.tostring(node, encoding="unicode")))
    assert (imported.form, imported.weight) == ("midterm", 20.0)
    with pytest.raises(ValueError, match="no evaluation form"):
        runtime.parse_xml_string('<maydan_evaluation form="annual"/>')
    with pytest.raises(ValueError, match="weight"):
        runtime.parse_xml_string('<maydan_evaluation weight="-1"/>')


def test_the_student_self_evaluates_in_the_block_and_supervisors_see_it_after_their_own_scores(course):
    sara, hoda, rami = (course.people[k] for k in ("sara", "hoda", "rami"))
    placement = str(Placement.objects.get(student__subject="sara-anon").pk)
    assert 'value="save_self"' in sara.view()  # before any supervisor, her own form
    mine = dict(sheet(2, **{f"comment_{n}": "ما زلت أتعلّم." for n in range(1, 10)}), action="save_self",
                comment_overall="أحتاج إلى تدريب أكثر.")
    answer = sara.act(**mine)
    assert answer.status_code == 200 and tr("ar", "Your self-evaluation was submitted.") in answer.text
    assert SelfEvaluation.objects.get().submitted_at is not None
    # Supervisors cannot write it; they see nothing of it until their own scores are in.
    assert rami.act(**dict(mine, placement=placement)).status_code == 403
    before = rami.act(action="view", view="evaluate", placement=placement).text
    assert "maydan-self-value" not in before and "أحتاج إلى تدريب أكثر" not in before
    rami.act(**sheet(5), placement=placement)
    after = rami.act(action="view", view="evaluate", placement=placement).text
    assert "maydan-self-value" in after and "أحتاج إلى تدريب أكثر" in after
    assert "maydan-self-value" not in hoda.act(action="view", view="evaluate", placement=placement).text
    hoda.act(**sheet(3), placement=placement)
    hoda.act(action="release", placement=placement)
    released = sara.view()
    assert released.count('<svg class="maydan-chart"') == 9 and "maydan-self-value" in released


def test_the_grading_queue_pages_in_the_block(course):
    from maydan.grading.screens import QUEUE_PAGE
    from tests.unit.test_grading_queue_pages import shown_days, waiting_reflections

    waiting_reflections(Placement.objects.get(student__name="Sara Adel"), QUEUE_PAGE + 2)
    hoda = course.people["hoda"]
    first = hoda.act(action="view", view="queue")
    second = hoda.act(action="view", view="queue", page="2")
    assert first.status_code == second.status_code == 200
    assert len(shown_days(first.text)) == QUEUE_PAGE and len(shown_days(second.text)) == 2
    assert shown_days(first.text)[-1] < shown_days(second.text)[0]
    assert course.people["sara"].act(action="view", view="queue", page="2").text.count("2026-01-") == 0
