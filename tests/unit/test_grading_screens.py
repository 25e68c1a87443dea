"""The evaluation screens, as every adapter shows them: each role, both languages, refusals."""
import re

import pytest

from maydan import activities, fieldlog, ui
from maydan.errors import Forbidden
from maydan.grading import screens, services
from maydan.grading.models import Agreement, Marking, Scoresheet
from tests.conftest import entry_form, form
from tests.unit.test_grading_evaluations import answers

BEHAVIOURS = [b.id for b in services.form_of("midterm").framework.behaviours]


def screen(actor, language="en", **kwargs):
    return ui.Screen(actor=actor, language=language, activity="evaluation", key="midterm", endpoint="/act",
                     hidden={"ctx": "T"}, **kwargs)


def post(actor, language="en", **values):
    return screens.handle(screen(actor, language), form(**values))


def sheet_post(placement, value=4, **changes):
    data = {k: v for k, v in answers(value, **changes).items()}
    return dict(data, action="save_sheet", placement=placement.pk, submit="1")


@pytest.fixture
def placement(cohort):
    return cohort.student.person.placements.get()


def test_the_evaluation_kind_offers_one_item_per_form_with_both_titles(cohort):
    items = [i for i in activities.catalog(cohort.course) if i.kind == "evaluation"]
    assert {i.key for i in items} == {"midterm", "final"}
    assert activities.find(cohort.course, "evaluation", "final").title("ar") == "التقييم النهائي للكفايات"
    assert activities.screens("evaluation") is screens


def test_grading_list_in_arabic_is_right_to_left_and_lists_every_student(cohort):
    html = screens.render(screen(cohort.academic, "ar"))
    assert "تقييم الكفايات في منتصف التدريب" in html
    assert len(re.findall(r'data-placement="\d+"', html)) == 2 and "Sara Adel" in html and "Omar Nabil" in html
    assert 'name="ctx" value="T"' in html


def test_agency_supervisor_fills_the_form_and_only_sees_their_side(cohort, placement):
    status, html = post(cohort.agency, action="view", view="evaluate", placement=placement.pk)
    assert status == 200 and 'name="value_1a"' in html and "beginning-level social worker" in html
    status, html = post(cohort.agency, **sheet_post(placement, 5))
    assert status == 200 and "Your scores were submitted." in html
    status, html = post(cohort.academic, action="view", view="evaluate", placement=placement.pk)
    assert 'name="value_1a"' in html and "maydan-agency-value" not in html  # the agency's 5s stay hidden


def test_a_refused_submission_keeps_the_input_and_marks_the_fields(cohort, placement):
    status, html = post(cohort.agency, "ar", **sheet_post(placement, 4, value_2a="", value_1a="NO",
                                                          comment_overall="كلام عام"))
    assert status == 400 and 'aria-invalid="true"' in html and "كلام عام" in html
    assert "يُرجى توضيح «لم يُلاحظ»" in html
    assert re.search(r'name="value_1a" value="NO" checked', html)
    assert not Scoresheet.objects.exists()


def test_reconcile_decide_release_then_the_student_sees_the_result(cohort, placement):
    post(cohort.academic, action="configure", rule="moderator", agency_weight=1, academic_weight=1, threshold=1,
         show_both_voices="1")
    post(cohort.agency, **sheet_post(placement, 4, value_1a=5))
    post(cohort.academic, **sheet_post(placement, 4, value_1a=2, comment_1="Late reports."))
    status, html = post(cohort.student, action="view", view="results")
    assert "has not been released yet" in html and "maydan-final-value" not in html
    status, html = post(cohort.academic, action="view", view="evaluate", placement=placement.pk)
    assert 'name="action" value="decide"' in html and "Release to the student" not in html
    status, html = post(cohort.academic, action="decide", placement=placement.pk, behaviour="1a", value=3,
                        reason="Ethics strong, reports late.")
    assert status == 200 and "Release to the student" in html
    status, html = post(cohort.coordinator, action="release", placement=placement.pk)
    assert status == 200 and "Evaluation released to the student." in html
    status, html = post(cohort.student, "ar", action="view", view="results")
    assert "الدرجة النهائية: 79%" in html  # (3 + 19 × 4) / 20 = 3.95 of 5
    assert "Late reports." in html and 'dir="rtl"' not in html  # the adapter's root carries dir
    assert "Ethics strong, reports late." in html  # the moderator's reason is released with both voices


def test_student_cannot_act_as_a_supervisor(cohort, placement):
    status, _html = post(cohort.student, **sheet_post(placement))
    assert status == 403 and not Scoresheet.objects.exists()
    status, _html = post(cohort.student, action="release", placement=placement.pk)
    assert status == 403
    status, _html = post(cohort.other_student, action="view", view="agreement", placement=placement.pk)
    assert status == 200  # a student sees only their own agreement, whatever they ask for


def test_agency_link_opens_the_evaluation_of_its_placement(cohort, placement):
    from maydan.fieldlog import links

    supervisor = screen(cohort.academic, link_url=lambda token: f"https://maydan.example/agency/{token}/")
    status, html = screens.handle(supervisor, form(action="issue_link", placement=placement.pk, days=5))
    link = re.search(r'class="maydan-new-link".*?value="([^"]+)"', html, re.S).group(1)
    assert link.endswith("?activity=evaluation&amp;key=midterm")
    token = link.split("/agency/")[1].split("/")[0]
    visitor = links.open_link(token)
    html = screens.render(screen(visitor))
    assert 'name="value_1a"' in html and "All students" not in html


def test_agreement_screens(cohort, placement):
    status, html = post(cohort.student, action="save_agreement", goals_1="Use supervision weekly.")
    assert status == 200 and "Learning agreement saved." in html
    status, html = post(cohort.agency, action="sign", view="agreement", placement=placement.pk)
    assert status == 200 and "Learning agreement signed." in html
    assert Agreement.objects.get().agency_signed_at
    status, html = post(cohort.student, action="save_agreement", goals_1="Phone 01012345678")
    assert status == 400 and 'aria-invalid="true"' in html


def test_reflection_grading_screens(cohort, placement):
    entry = fieldlog.save_entry(cohort.student, entry_form(), submit=True)
    status, html = post(cohort.academic, action="view", view="reflections", placement=placement.pk)
    assert "I noticed I rushed the opening" in html and 'name="crit_analysis"' in html
    full = {"crit_description": 2, "crit_analysis": 4, "crit_self_awareness": 1, "crit_next_steps": 1}
    post(cohort.academic, action="grade", placement=placement.pk, entry=entry.pk, **full)
    for status_ in ("in_review", "ready"):
        post(cohort.academic, action="move", placement=placement.pk, entry=entry.pk, status=status_)
    status, html = post(cohort.academic, action="release_marking", placement=placement.pk, entry=entry.pk)
    assert status == 200 and Marking.objects.get().status == "released"
    assert "Ready for release → Released" in html
    status, html = post(cohort.student, action="view", view="results")
    assert "Graded reflections" in html and "80%" in html
    status, _html = post(cohort.agency, action="view", view="reflections", placement=placement.pk)
    assert status == 200 and "crit_analysis" not in _html  # not theirs: back to their list


def test_export_and_import_screens(cohort, placement):
    name, content_type, chunks = screens.download(screen(cohort.academic), form(action="export", what="reflections"))
    assert name == "reflection-grades.csv" and content_type.startswith("text/csv")
    assert b"".join(chunks).decode("utf-8-sig").startswith("student,name,entry,writing")
    name, _type, chunks = screens.download(screen(cohort.academic), form(action="export"))
    text = b"".join(chunks).decode("utf-8-sig")
    assert name == "midterm-grades.csv" and text.startswith("student,name,form,side,status,score,1a,")
    assert 'data-leave' in post(cohort.academic, action="view", view="bulk")[1]  # the browser saves the file
    status, html = post(cohort.academic, action="import", csv="student,form,side,1a\nnobody,midterm,agency,4\n",
                        apply="1")
    assert status == 200 and "1 row has an error: nothing was imported." in html
    assert "No student with this id in the course." in html
    with pytest.raises(Forbidden):
        screens.download(screen(cohort.agency), form(action="export"))


def test_settings_screen_refuses_bad_values(cohort):
    status, html = post(cohort.academic, action="configure", rule="weighted_mean", agency_weight="-1",
                        academic_weight="1", threshold="1")
    assert status == 400 and "Weights must be numbers" in html
    status, _html = post(cohort.agency, action="configure", rule="minimum", agency_weight=1, academic_weight=1,
                         threshold=1)
    assert status == 403


def test_the_grading_list_takes_the_same_number_of_queries_for_2_or_22_students(cohort, placement):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            screens.render(screen(cohort.academic))
        return len(queries)

    post(cohort.agency, **sheet_post(placement, 4))
    count()  # the course's grading settings are read once, then kept
    small = count()
    for n in range(20):
        student = cohort.enter(f"extra{n}", "student", f"Student {n}")
        services.save_sheet(cohort.academic, student.person.placements.get().pk, "midterm", answers(3), submit=True)
    assert count() == small == 4


def test_process_recording_screens(cohort, placement):
    from tests.unit.test_grading_recordings import ROWS, recording_form

    status, html = post(cohort.student, action="view", view="recordings")
    assert status == 200 and 'name="worker_0"' in html and "365 days" in html
    status, html = post(cohort.student, action="save_recording", submit="1",
                        **dict(recording_form(client_0="Call 01012345678").items()))
    assert status == 400 and 'id="err-client_0"' in html and ROWS["worker_0"] in html
    status, html = post(cohort.student, action="save_recording", submit="1", **dict(recording_form().items()))
    assert status == 200 and "Process recording submitted" in html
    recording = re.search(r'data-recording="(\d+)"', html).group(1)
    status, html = post(cohort.agency, action="comment_recording", view="recordings", placement=placement.pk,
                        recording=recording, comment_0="Slow down before reassuring.")
    assert status == 200 and "Comments saved." in html
    status, html = post(cohort.student, "ar", action="view", view="recordings")
    assert "Slow down before reassuring." in html and 'name="comment_0"' not in html


def test_a_placement_that_is_not_theirs_shows_a_message_over_their_list(cohort):
    other = cohort.other_student.person.placements.get()
    stranger = cohort.enter("m2", "agency_supervisor", "Another agency")
    for view in ("evaluate", "agreement", "recordings"):
        status, html = post(stranger, action="view", view=view, placement=other.pk)
        assert "This placement does not exist or is not yours to see." in html and "Sara Adel" not in html
    status, html = post(cohort.agency, action="view", view="reflections", placement=other.pk)
    assert "crit_analysis" not in html


def test_a_course_author_sets_the_grading_rules_and_sees_no_student(cohort):
    author = cohort.enter("w1", "author", "Dr. Karim")
    status, html = post(author, action="view", view="list")
    assert status == 200 and 'name="rule"' in html and "data-placement" not in html and "Sara Adel" not in html
    status, html = post(author, action="configure", rule="minimum", agency_weight=1, academic_weight=1, threshold=1)
    assert status == 200 and "Settings saved." in html
    from maydan.grading.models import GradingSettings

    assert GradingSettings.objects.get(course=cohort.course).rule == "minimum"
