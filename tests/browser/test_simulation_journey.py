"""A student plays the e-therapy case in Arabic to the end in real Chromium, through the XBlock in the workbench.

The supervisor then sees the choices the student made in the analytics, grades the written answer with the
rubric and releases it; the student sees the released grade in their debrief.
"""
import pytest

from maydan.models import GradeOutbox
from maydan.simulation.models import SimulationAnswer, SimulationAttempt
from tests.browser.test_every_screen_on_phones import OUTSIDE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCENARIO = "/workbench/scenario/maydan_simulation.0/"


def act(page, selector):
    """Click a button that posts the screen's form and wait for the new screen."""
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.click(selector)
    page.wait_for_selector(".maydan:not([aria-busy])")


def choose(page, choice):
    act(page, f"button[name=choice][value='{choice}']")


@pytest.fixture
def new_page(browser):
    """Pages in contexts of their own, closed at the end so no connection outlives the live server."""
    contexts = []

    def make():
        contexts.append(browser.new_context(locale="ar-EG", viewport={"width": 1100, "height": 900}))
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


def test_a_student_plays_the_case_in_arabic_to_the_end(new_page, site, shoot):
    student = new_page()
    student.goto(f"{site}{SCENARIO}?student=student_1")
    student.wait_for_selector(".maydan[data-endpoint]")
    assert student.get_attribute(".maydan", "dir") == "rtl"
    shoot(student, "sim-1-intro-ar")

    act(student, ".maydan-sim-intro button.maydan-primary")
    assert "أفضّل ألّا أشغّل الكاميرا" in student.inner_text(".maydan-sim-text")
    assert student.inner_text(".maydan-sim-phases [aria-current=step]") == "الدراسة"
    choose(student, "insist")
    # Immediate feedback on the weaker choice, then the rupture is repaired.
    assert "الإلحاح في طلب الفيديو" in student.inner_text(".maydan-notice")
    shoot(student, "sim-2-feedback-ar")
    choose(student, "repair")
    for choice in ("explain", "reflect", "ask-safety", "thank"):
        choose(student, choice)
    assert student.inner_text(".maydan-sim-phases [aria-current=step]") == "التشخيص"
    student.fill("textarea[name=answer]", "الحالة سلمى تخاف من المقابلات")
    act(student, ".maydan-sim-answer button")
    assert "C-014" in student.inner_text(".maydan-error")                 # a name: refused, nothing stored
    assert not SimulationAnswer.objects.exists()
    student.fill("textarea[name=answer]", "تعاني C-27 من قلق الأداء قبل المقابلات، ويغذّيه خوفها من التقييم، "
                                          "ولديها دافعية قوية للعمل واستبصار بمشكلتها.")
    act(student, ".maydan-sim-answer button")
    shoot(student, "sim-3-diagnosis-ar")
    choose(student, "joint-goals")
    # The recording: the Arabic voice, with both caption tracks and the Arabic one on; it is served to her.
    video = student.locator(".maydan-sim-media video")
    source = video.get_attribute("src")
    assert "breathing-exercise.ar.mp3?v=" in source and video.get_attribute("aria-label")
    assert student.locator(".maydan-sim-media track").count() == 2
    assert student.locator(".maydan-sim-media track[srclang=ar][default]").count() == 1
    student.wait_for_function("document.querySelector('.maydan-sim-media track[default]').readyState === 2")
    served = student.request.get(f"{site}{source}")
    assert served.status == 200 and served.headers["content-type"] == "audio/mpeg" and len(served.body()) > 10_000
    assert student.request.get(f"{site}{source.split('?')[0]}").status == 403        # no pass, no file
    # The transcript is a toggle, closed until she opens it.
    assert not student.locator(".maydan-sim-transcript p").is_visible()
    student.click(".maydan-sim-transcript summary")
    assert "خذي نفسًا بطيئًا" in student.inner_text(".maydan-sim-transcript")
    student.set_viewport_size({"width": 360, "height": 740})
    assert student.evaluate(OUTSIDE, ".maydan") == []           # nothing of the block reaches past a phone's edge
    shoot(student, "sim-3b-recording-360-ar")
    student.set_viewport_size({"width": 1100, "height": 900})
    choose(student, "breathing-log")

    assert student.locator(".maydan-sim-debrief").is_visible()
    assert "نتيجة جيدة" in student.inner_text(".maydan-sim-ending")
    assert student.locator(".maydan-sim-profile tr").count() >= 3
    student.fill("textarea[name=reflection]", "تعلمت أن أحترم اختيار العميلة لوسيلة التواصل، وأن أسأل عن الخطر مباشرة.")
    act(student, ".maydan-sim-reflect button")
    attempt = SimulationAttempt.objects.get()
    assert attempt.status == "finished" and 0 < attempt.score < 1           # the first choice was the weaker one
    assert student.locator(".maydan-sim-grade").inner_text().endswith(f"{round(attempt.score * 100)}%")
    assert GradeOutbox.objects.get().delivered_at is not None
    shoot(student, "sim-4-debrief-ar")

    supervisor = new_page()
    supervisor.goto(f"{site}{SCENARIO}?student=academic_1")
    supervisor.wait_for_selector(".maydan-sim-staff")
    assert supervisor.inner_text("tr[data-node=opening][data-choice=insist] .count") == "1"
    shoot(supervisor, "sim-5-analytics-ar")

    # The academic supervisor grades the written answer with the rubric, moves it along and releases it.
    act(supervisor, f"form:has(input[name=attempt][value='{attempt.pk}']) button")
    answer = f"answer:{attempt.answers.get().pk}"
    marking = f".maydan-marking[data-target='{answer}']"
    assert "الاستناد إلى وقائع الحالة" in supervisor.inner_text(marking)
    for criterion, points in (("facts", 2), ("reasoning", 4), ("client", 2), ("clarity", 1)):
        supervisor.check(f"{marking} input[name=crit_{criterion}][value='{points}']")
    supervisor.fill(f"{marking} textarea[name=comment]", "تشخيص واضح يستند إلى وقائع الحالة.")
    act(supervisor, f"{marking} .maydan-form button[type=submit]")
    for status in ("in_review", "ready"):
        act(supervisor, f"{marking} button[name=status][value={status}]")
    shoot(supervisor, "sim-6-rubric-ar")
    act(supervisor, f"{marking} button[name=action][value=release_marking]")
    assert supervisor.inner_text(f"{marking} .maydan-badge") == "مُعلَن"
    assert supervisor.locator(f"{marking} button[name=action][value=override]").is_visible()

    student.goto(f"{site}{SCENARIO}?student=student_1")
    student.wait_for_selector(".maydan[data-endpoint]")
    act(student, f"form:has(input[name=attempt][value='{attempt.pk}']) button")
    assert "درجة المشرف: 90%" in student.inner_text(".maydan-released-grade")
    assert "تشخيص واضح" in student.inner_text(".maydan-released-grade")
    shoot(student, "sim-7-released-grade-ar")
