"""The student's log and the supervisors' overview drawn in Python (maydan.fieldlog.student_log, layout): the same HTML
their templates drew (tests/fixtures/log_screens holds them as they were) whatever the log holds, the messages shown, the language and the
course's settings, and nothing a person wrote kept."""
from pathlib import Path

import pytest
from django.template import Context, Engine

from maydan import fieldlog, ui
from maydan.fieldlog import screens as fieldlog_screens
from maydan.fieldlog import layout, student_log
from maydan.fieldlog.input import today_in
from maydan.grading import agreements
from maydan.models import Course, Person, Placement
from tests.conftest import entry_form as filled, form

# The screens' templates as they were; what they include, as the other screens still include it.
ROOT = Path(__file__).resolve().parent.parent.parent
REFERENCE = Engine(dirs=[str(ROOT / "tests" / "fixtures" / "log_screens"), str(ROOT / "maydan" / "templates")],
                   libraries={"i18n": "django.templatetags.i18n", "l10n": "django.templatetags.l10n",
                              "maydan": "maydan.templatetags.maydan", "maydan_rows": "maydan.templatetags.maydan_rows",
                              "maydan_choices": "maydan.templatetags.maydan_choices"})


def screen(actor, language, **fields):
    return ui.Screen(actor=actor, language=language, endpoint="/act?a=1&b=2",
                     hidden={"ctx": 'tok"en<&>', "lang": language}, **fields)


def both(shown, template="student.html"):
    """(the screen drawn in Python, the screen the template draws from the same values)."""
    with ui.speaking(shown):
        # One context for both: the e-mail preferences link is signed with the second it is made.
        context = fieldlog_screens._drawn(shown, fieldlog_screens._context(shown))
        drawn = (student_log.draw(shown, context) if template == "student.html" else
                 layout.draw(shown, context, layout.STUDENTS, context["overview"]))
        return drawn, REFERENCE.get_template(f"maydan/fieldlog/{template}").render(Context(context))


def entry(student, hour, **fields):
    return fieldlog.save_entry(student, filled(start_time=f"{hour:02d}:00", end_time=f"{hour:02d}:45", **fields),
                               submit=fields.pop("submit", True))


def _week_old(cohort):
    placement = fieldlog.placement_for(cohort.student)
    return placement.entries.order_by("pk").first()


LOGS = ["empty", "drafts", "returned and approved", "earlier weeks only"]


def fill(cohort, log):
    student = cohort.student
    if log == "empty":
        return
    first = entry(student, 8, competencies=["2", "7"], agency='Hope & "Care" <Centre>',
                  description="Visit about <b>rent</b>\nand more", submit=False)
    if log == "drafts":
        entry(student, 10, modality="remote", meeting_link="https://meet.example.org/a?b=1&c=2", submit=False,
              date=today_in(cohort.course.time_zone).isoformat())  # this week's
        return
    second = entry(student, 10, time_kind="indirect")
    third = entry(student, 12)
    fieldlog.submit_entry(student, first.pk)
    fieldlog.return_entry(cohort.agency, first.pk, "Add the <time> kind & more.")
    fieldlog.return_entry(cohort.agency, third.pk, "Say who was there.")
    fieldlog.approve_entry(cohort.agency, second.pk)
    if log == "earlier weeks only":
        for e in placement_entries(cohort):
            type(e).objects.filter(pk=e.pk).update(date=e.date.replace(year=e.date.year - 1))


def placement_entries(cohort):
    return list(fieldlog.placement_for(cohort.student).entries.all())


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("log", LOGS)
def test_the_log_is_the_log_the_templates_drew(cohort, language, log):
    fill(cohort, log)
    shown = [screen(cohort.student, language),
             screen(cohort.student, language, notice="Draft <saved> & kept.", error='Refused: "x" & <y>',
                    errors={"date": ["Enter a real date."], "description": ["No <names> & no phones."]},
                    refused=[(7, "Not <yours>.")]),
             screen(cohort.student, language, entry_id=str(getattr(_week_old(cohort), "pk", "")))]
    drawn = []
    for each in shown:
        mine, reference = both(each)
        assert mine == reference
        drawn.append(mine)
    assert ("maydan-returned-banner" in drawn[0]) == (log in ("returned and approved", "earlier weeks only"))
    assert ("maydan-earlier" in drawn[0]) == (log != "empty")
    assert language == "ar" or ("Nothing logged this week yet" in drawn[0]) == (log not in ("empty", "drafts"))
    assert "maydan-error-summary" in drawn[1] and "Draft &lt;saved&gt; &amp; kept." in drawn[1]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_course_settings_placement_agreement_and_mail_show_as_the_templates_drew_them(cohort, language):
    fill(cohort, "returned and approved")
    student = cohort.student
    drawn, reference = both(screen(student, language))
    assert drawn == reference and "maydan-mail" in drawn
    Course.objects.filter(pk=cohort.course.pk).update(
        digits="arab", target_hours=333, title='Field <Training> & "II"',
        category_targets={"direct": 120, "home_visit": 12.5, "<odd>": 3})
    Person.objects.filter(pk=student.person.pk).update(email="sara@example.org", name='Sara "S" <A>')
    Placement.objects.filter(student=student.person).update(agency='Agency <One> & "Two"')
    agreements.save(student, form(goals_1="Practise <confidentiality>\nwith clients & families",
                                  activities_1="Weekly <conference>", goals_3="Only a goal"))
    student.course.refresh_from_db()
    student.person.refresh_from_db()
    drawn, reference = both(screen(student, language))
    assert drawn == reference
    assert "sara@example.org" in drawn and "&lt;confidentiality&gt;<br>with clients" in drawn
    Placement.objects.filter(student=student.person).update(agency_supervisor=None)
    Person.objects.filter(pk=student.person.pk).update(name="")
    student.person.refresh_from_db()
    drawn, reference = both(screen(student, language))
    assert drawn == reference


def test_the_words_follow_the_language_and_nothing_typed_is_kept(cohort):
    fill(cohort, "returned and approved")
    english = fieldlog_screens.render(screen(cohort.student, "en"))
    arabic = fieldlog_screens.render(screen(cohort.student, "ar"))
    overview = fieldlog_screens.render(screen(cohort.academic, "en"))
    assert english.startswith('<header class="maydan-header">\n  <h2>Field training log</h2>')
    assert overview.startswith('<header class="maydan-header">\n  <h2>Field training: students</h2>')
    assert 'class="maydan-form"' in english and 'class="maydan-form"' not in overview and "maydan-table" in overview
    assert "My entries" in english and "My entries" not in arabic
    assert "Read your supervisor's comment" in english
    fieldlog_screens.render(screen(cohort.academic, "en", notice="Sara saved"))
    kept = repr((student_log.KEPT, layout.KEPT))
    for text in ("Hope", "rent", "time&gt;", "Sara", "Field Training", "tok"):
        assert text not in kept


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_overview_screen_is_the_screen_the_templates_drew(cohort, language):
    fill(cohort, "returned and approved")
    Person.objects.filter(pk=cohort.academic.person.pk).update(email="hoda@example.org", name='Dr. "Hoda" <S>')
    cohort.academic.person.refresh_from_db()
    for actor in (cohort.academic, cohort.agency, cohort.coordinator):
        for shown in (screen(actor, language), screen(actor, language, notice="Entry <approved>.",
                                                      error="Refused & why", filters={"student": "<Sara>"},
                                                      refused=[("12", 'Already "signed"')])):
            drawn, reference = both(shown, "overview.html")
            assert drawn == reference and "maydan-table" in drawn
    Course.objects.filter(pk=cohort.course.pk).update(digits="arab", title="<Course> & co")
    cohort.agency.course.refresh_from_db()
    drawn, reference = both(screen(cohort.agency, language), "overview.html")
    assert drawn == reference and "&lt;Course&gt; &amp; co" in drawn
