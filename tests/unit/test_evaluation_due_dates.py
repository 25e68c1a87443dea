"""Evaluation due dates: a course setting per form (validated, audited), events in students' and supervisors' feeds."""
import icalendar
import pytest
import vobject
from django.test import Client
from django.utils import translation

from maydan import ui
from maydan.errors import Forbidden, Invalid
from maydan.grading import screens, services
from maydan.grading.models import GradingSettings
from maydan.models import AuditEvent
from maydan.sessions import calendars
from maydan.sessions.views import feed_url
from tests.conftest import form

SETTINGS = {"rule": "weighted_mean", "agency_weight": "1", "academic_weight": "1", "threshold": "1",
            "show_both_voices": "1", "retention_days": "365"}


def configure(actor, **due):
    return services.configure(actor, **{k: v for k, v in SETTINGS.items()}, due_dates=due)


def stored(cohort):
    return GradingSettings.objects.get_or_create(course=cohort.course)[0].due_dates


def settings_post(actor, language, **fields):
    screen = ui.Screen(actor=actor, language=language, activity="evaluation", key="midterm", endpoint="/act")
    return screens.handle(screen, form(action="configure", view="settings", **SETTINGS, **fields))


def feed_events(actor):
    """The events of the person's feed as two independent parsers read them: [(summary, start, sequence)]."""
    body = Client().get("/" + feed_url(calendars.feed_token(actor).key).split("://", 1)[1].split("/", 1)[1]).content
    first = [(str(e["SUMMARY"]), e["DTSTART"].dt, int(e["SEQUENCE"])) for e in
             icalendar.Calendar.from_ical(body).walk("VEVENT") if str(e["UID"]).startswith("evaluation-due")]
    second = [(e.summary.value, e.dtstart.value, int(e.sequence.value)) for e in vobject.readOne(body.decode()).vevent_list
              if e.uid.value.startswith("evaluation-due")]
    assert [(s, d.replace(tzinfo=None)) for s, d, _q in first] == [(s, d.replace(tzinfo=None)) for s, d, _q in second]
    return first


def test_due_dates_are_validated_audited_and_refused_to_students(cohort):
    with pytest.raises(Forbidden):
        configure(cohort.student, midterm="2026-03-20")
    for bad in ({"midterm": "20/03/2026"}, {"midterm": "2026-02-30"}, {"nope": "2026-03-20"}, {"final": "1900-01-01"}):
        with pytest.raises(Invalid) as refusal, translation.override("en"):
            configure(cohort.academic, **bad)
        assert refusal.value.field_errors == {f"due_{next(iter(bad))}": ["Enter the due date as YYYY-MM-DD."]}
    assert stored(cohort) == {} and not AuditEvent.objects.filter(
        action="grading_settings").exists()
    configure(cohort.academic, midterm="2026-03-20", final=" 2026-06-10 ")
    assert stored(cohort) == {"midterm": "2026-03-20", "final": "2026-06-10"}
    assert [(f.id, d.isoformat()) for f, d in services.due_dates(cohort.academic.course)] == [
        ("midterm", "2026-03-20"), ("final", "2026-06-10")]
    row = AuditEvent.objects.get(action="grading_settings")
    assert row.actor == cohort.academic.person and "2026-06-10" in row.changes["due_dates"][1]


@pytest.mark.parametrize("language, label, error", [
    ("en", "Evaluation due dates", "Enter the due date as YYYY-MM-DD."),
    ("ar", "مواعيد تسليم التقييمات", "أدخل موعد التسليم بالصيغة YYYY-MM-DD."),
])
def test_the_grading_settings_screen_sets_due_dates_in_both_languages(cohort, language, label, error):
    status, page = settings_post(cohort.academic, language, due_midterm="2026-13-01")
    assert status == 400 and error in page and 'value="2026-13-01"' in page and label in page
    assert stored(cohort) == {}
    status, page = settings_post(cohort.academic, language, due_midterm="2026-03-20", due_final="")
    assert status == 200 and 'value="2026-03-20"' in page
    assert stored(cohort) == {"midterm": "2026-03-20"}
    status, _page = settings_post(cohort.student, language, due_midterm="2026-03-21")
    assert status == 403
    assert stored(cohort) == {"midterm": "2026-03-20"}


def test_due_dates_are_events_in_students_and_supervisors_feeds(cohort):
    # The feed is in the course's language (Arabic here), whatever the calendar program asks.
    assert feed_events(cohort.student) == []
    configure(cohort.academic, midterm="2026-03-20", final="2026-06-10")
    for person in (cohort.student, cohort.academic, cohort.agency, cohort.coordinator):
        events = feed_events(person)
        assert [(s, d.date().isoformat(), d.hour) for s, d, _q in events] == [
            ("موعد تسليم التقييم: تقييم الكفايات في منتصف التدريب", "2026-03-20", 23),
            ("موعد تسليم التقييم: التقييم النهائي للكفايات", "2026-06-10", 23)]
        assert str(events[0][1].tzinfo).endswith("Cairo")
    before = feed_events(cohort.student)[0][2]
    configure(cohort.academic, midterm="2026-03-27")  # the final's date cleared
    [(summary, start, sequence)] = feed_events(cohort.student)
    assert start.date().isoformat() == "2026-03-27" and sequence > before
    cohort.course.language = "en"  # an English course's feed is in English, whatever the site's language
    cohort.course.save(update_fields=["language"])
    body = calendars.feed_for(calendars.actor_for_feed(calendars.feed_token(cohort.student).key)).decode()
    summary = icalendar.Calendar.from_ical(body).walk("VEVENT")[-1]["SUMMARY"]
    assert summary == "Evaluation due: Mid-term competency evaluation"
