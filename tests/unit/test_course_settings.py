"""The course settings form's service: one save over the field log's and the evaluations' settings."""
import pytest

from maydan import activities, course_settings, roles
from maydan.errors import Forbidden, Invalid
from maydan.grading import services as grading
from maydan.models import AuditEvent, Course
from maydan.sessions import calendars
from tests.conftest import form

GOOD = dict(program="MSW", target_hours="900", category_targets='{"direct": 450}', time_zone="Africa/Cairo",
            language="en", digits="arab", forms="1", forms_in_use=["midterm"], due_midterm="2027-03-01",
            due_final="2027-06-01")


def test_a_coordinator_saves_everything_at_once_and_each_part_is_audited(cohort):
    course_settings.save(cohort.coordinator, form(**GOOD))
    course = Course.objects.get()
    assert (course.program, course.target_hours, course.language, course.language_chosen, course.digits) == (
        "MSW", 900, "en", True, "arab")
    # a due date of a form the course does not use is not kept
    assert grading.settings_for(course).due_dates == {"midterm": "2027-03-01"}
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {"course_settings", "grading_settings"}


def test_forms_out_of_use_leave_the_picker_but_are_still_found(cohort):
    course_settings.save(cohort.academic, form(**GOOD))
    course = Course.objects.get()
    offered = [(item.kind, item.key) for item in activities.catalog(course)]
    assert ("evaluation", "midterm") in offered and ("evaluation", "final") not in offered
    assert activities.find(course, "evaluation", "final").key == "final"  # links already placed keep working
    assert [form.id for form, _day in grading.due_dates(course)] == ["midterm"]


def test_the_calendar_shows_only_the_due_dates_of_forms_in_use(cohort):
    def student():  # as each request finds them
        return cohort.enter("s1", roles.STUDENT, "Sara Adel")

    course_settings.save(cohort.academic, form(**dict(GOOD, forms_in_use=["midterm", "final"])))
    assert len(calendars._evaluations_due(student())) == 2
    course_settings.save(cohort.academic, form(**GOOD))
    assert len(calendars._evaluations_due(student())) == 1


def test_one_bad_part_saves_nothing_and_reports_every_field(cohort):
    with pytest.raises(Invalid) as refused:
        course_settings.save(cohort.academic, form(**dict(GOOD, target_hours="-3", due_midterm="someday")))
    assert set(refused.value.field_errors) == {"target_hours", "due_midterm"}
    course = Course.objects.get()
    assert (course.program, course.digits, course.language_chosen) == ("BSW", "latn", False)
    assert cohort.academic.course.program == "BSW"  # the caller's course is not left half-changed
    assert grading.settings_for(course).forms_in_use == [] and not AuditEvent.objects.exists()


@pytest.mark.parametrize("who", ["student", "agency"])
def test_students_and_agency_supervisors_are_refused(cohort, who):
    with pytest.raises(Forbidden):
        course_settings.save(getattr(cohort, who), form(**GOOD))
    assert Course.objects.get().program == "BSW" and not AuditEvent.objects.exists()


def test_a_studio_editor_posting_part_of_the_form_leaves_the_rest(cohort):
    course_settings.save(cohort.academic, form(**GOOD))
    course_settings.save(cohort.academic, {"target_hours": 950, "forms_in_use": "final"})  # JSON, no "forms"
    course = Course.objects.get()
    assert (course.program, course.target_hours, course.language, course.digits) == ("MSW", 950, "en", "arab")
    assert grading.settings_for(course).forms_in_use == ["midterm"]
    course_settings.save(cohort.academic, {"forms": "1", "forms_in_use": "final"})
    assert grading.settings_for(Course.objects.get()).forms_in_use == ["final"]
