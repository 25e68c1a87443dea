"""The simulation's shared screens: a student plays the demo in Arabic; staff see analytics."""
import re

import pytest

from maydan import activities, roles
from maydan.errors import Forbidden
from maydan.simulation import screens
from maydan.simulation.models import SimulationAttempt
from maydan.ui import Screen
from tests.conftest import form

DEMO = "etherapy-anxious"


def screen(actor, language="ar", **kw):
    return Screen(actor=actor, language=language, activity="simulation", key=DEMO, endpoint="/sim", **kw)


def post(actor, language="ar", **values):
    return screens.handle(screen(actor, language), form(**values))


def attempt_of(actor):
    return SimulationAttempt.objects.get(student=actor.person)


def test_the_simulation_is_an_activity_kind_with_its_screens(cohort):
    item = activities.find(cohort.course, "simulation", DEMO)
    assert item.title("en").startswith("E-therapy") and activities.screens("simulation") is screens


def test_a_student_plays_the_demo_in_arabic_to_the_debrief(cohort):
    student = cohort.student
    intro = screens.render(screen(student))
    assert screen(student).direction == "rtl" and "ابدأ الحالة" in intro and "العلاج الإلكتروني بالمحادثة" in intro
    status, page = post(student, action="start")
    assert status == 200 and "الدراسة" in page and "أفضّل ألّا أشغّل الكاميرا" in page
    attempt = attempt_of(student)
    status, page = post(student, action="choose", attempt=attempt.pk, node="opening", choice="accept")
    assert status == 200 and "احترام اختيارها لوسيلة التواصل" in page    # feedback right after the choice
    status, page = post(student, action="choose", attempt=attempt.pk, node="opening", choice="accept")
    assert status == 409                                                  # the same page posted twice
    for node, choice in [("confidentiality", "explain"), ("story", "reflect"), ("risk-check", "ask-safety"),
                         ("safety-answer", "thank")]:
        status, page = post(student, action="choose", attempt=attempt.pk, node=node, choice=choice)
        assert status == 200, page
    assert "اكتب عبارتك التشخيصية" in page and 'aria-current="step">التشخيص' in page
    status, page = post(student, action="answer", attempt=attempt.pk, node="formulation", answer="الحالة سلمى تخاف")
    assert status == 400 and "C-014" in page and "الحالة سلمى تخاف" in page   # refused, her text kept on screen
    status, page = post(student, action="answer", attempt=attempt.pk, node="formulation",
                        answer="تعاني C-27 من قلق الأداء، وتعززه مخاوف من التقييم، ولديها دافعية قوية للعمل.")
    assert status == 200 and "حُفظت إجابتك" in page
    for node, choice in [("contract", "joint-goals"), ("homework", "breathing-log")]:
        status, page = post(student, action="choose", attempt=attempt.pk, node=node, choice=choice)
    assert "نتيجة جيدة" in page and "ملف الكفاءات" in page and "تأملك" in page
    status, page = post(student, action="reflect", attempt=attempt.pk, reflection="")
    assert status == 400
    status, page = post(student, action="reflect", attempt=attempt.pk, reflection="تعلمت أن أحترم اختيار العميلة.")
    assert status == 200 and "100%" in page and "تعلمت أن أحترم" in page
    assert "العب مرة أخرى" in screens.render(screen(student))


def test_the_transcript_of_media_is_shown(cohort):
    student = cohort.student
    post(student, language="en", action="start")
    attempt = attempt_of(student)
    attempt.node = "homework"
    attempt.save()
    page = screens.render(screen(student, "en"))
    # The recording has captions, so it plays where browsers show them; its transcript opens on request.
    assert "Read the transcript" in page and "Breathe in slowly" in page and "<track" in page


def test_feedback_waits_for_the_end_when_the_scenario_says_so(cohort, monkeypatch):
    from maydan.simulation import library

    scenario = library.get(cohort.course, DEMO)
    monkeypatch.setattr(scenario, "feedback", "end")
    post(cohort.student, language="en", action="start")
    status, page = post(cohort.student, language="en", action="choose", attempt=attempt_of(cohort.student).pk,
                        node="opening", choice="accept")
    assert status == 200 and "Respecting her choice" not in page


def test_staff_see_analytics_attempts_and_settings_students_do_not(cohort):
    post(cohort.student, language="en", action="start")
    post(cohort.student, language="en", action="choose", attempt=attempt_of(cohort.student).pk,
         node="opening", choice="insist")
    page = screens.render(screen(cohort.academic, "en"))
    assert "Choices at each step" in page and "Sara Adel" in page and 'name="grade_rule"' in page
    # The browser posts the analytics form itself and saves the file (the screen's script would show the CSV).
    assert re.search(r'<form method="post" action="/sim" data-leave>.*?<input[^>]*value="csv"', page, re.S)
    row = re.search(r'data-node="opening" data-choice="insist">.*?class="count">(\d+)<', page, re.S)
    assert row.group(1) == "1"
    agency = screens.render(screen(cohort.agency, "en"))
    assert "Sara Adel" in agency and 'name="grade_rule"' not in agency
    status, page = post(cohort.student, language="en", action="policy", max_attempts="5", grade_rule="best")
    assert status == 403
    status, page = post(cohort.academic, language="ar", action="policy", max_attempts="2", grade_rule="last",
                        undo_allowed="1")
    assert status == 200 and "حُفظت الإعدادات" in page
    name, content_type, body = screens.download(screen(cohort.academic, "en"), form(action="csv"))
    assert (name, content_type) == (f"simulation-{DEMO}.csv", "text/csv") and "opening,study" in body
    assert screens.download(screen(cohort.academic), form(action="view")) is None
    with pytest.raises(Forbidden):
        screens.download(screen(cohort.student), form(action="csv"))


def test_an_author_sees_analytics_and_a_preview_but_no_attempts(cohort):
    author = cohort.enter("w1", roles.AUTHOR, "Author")
    page = screens.render(screen(author, "en"))
    assert "Choices at each step" in page and "<h3>Attempts</h3>" not in page
    status, preview = post(author, language="en", action="view", view="preview")
    assert status == 200 and "rapport &gt;= 3 and trust &gt;= 3" in preview and "ending-engaged" in preview


def test_a_student_cannot_open_another_student_s_attempt(cohort):
    post(cohort.other_student, language="en", action="start")
    other = attempt_of(cohort.other_student)
    status, page = post(cohort.student, language="en", action="view", view="attempt", attempt=other.pk)
    assert status == 404


def test_unknown_action_and_unknown_scenario(cohort):
    assert post(cohort.student, action="hack")[0] == 400
    bad = Screen(actor=cohort.student, language="en", activity="simulation", key="nope")
    with pytest.raises(Exception):
        screens.render(bad)
