"""The evaluation form on a 360 px phone in Arabic, in real Chromium through the LTI tool: the student's
self-evaluation walked one competency at a time to the summary, a missing comment named and focused,
then submitted; once both supervisors submit and the result is released, a chart per competency shows
the three voices and the final. Screens are saved under test-artifacts/.
"""
import pytest

from lti_tool import demo_setup
from lti_tool.sandbox.models import SandboxLink
from maydan import people
from maydan.grading import services
from maydan.grading.models import SelfEvaluation
from tests.conftest import form as posted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = services.form_of("midterm")
PHONE = {"width": 360, "height": 740}


def act(page, selector):
    """Press a button that posts the screen's form and wait for the new screen."""
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.click(selector)
    page.wait_for_selector(".maydan:not([aria-busy])")


def sideways(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def visible_steps(page):
    return page.locator("form[data-stepper] [data-step]:visible").count()


def supervisor_scores(value):
    return posted(**{f"value_{b.id}": value for b in FORM.framework.behaviours}, comment_overall="ملتزمة.")


def test_the_self_evaluation_stepper_on_a_phone_in_arabic(browser, live_server, settings, shoot):
    settings.MAYDAN_BASE_URL = live_server.url
    course = demo_setup.prepare()
    link = SandboxLink.objects.create(course="field-training-1", title="منتصف الفصل", score_maximum=20,
                                      custom={"maydan_activity": "evaluation:midterm"})
    page = browser.new_context(locale="ar-EG", viewport=PHONE).new_page()
    launch = f"{live_server.url}/sandbox/launch?person=student_1&course=field-training-1&lang=ar&link={link.pk}"
    page.goto(launch)
    page.wait_for_selector("form[data-stepper].maydan-stepping")
    assert page.get_attribute("html", "dir") == "rtl"

    # One competency at a time, with its place in the form.
    competencies = FORM.framework.competencies
    assert visible_steps(page) == 1
    assert page.locator(".maydan-step-current .maydan-step-count p").inner_text() == f"1 من {len(competencies)}"
    assert sideways(page) == 0
    shoot(page, "stepper-1-first-competency-ar-360")
    for number, competency in enumerate(competencies, start=1):
        step = page.locator(".maydan-step-current")
        assert step.locator("legend").inner_text().startswith(f"{competency.id}.")
        for behaviour in competency.behaviours:
            # Competency 7 gets a low level and no comment: submitting must name it.
            step.locator(f"input[name=value_{behaviour.id}][value='{2 if competency.id == '7' else 4}']").check()
        if number == 3:
            step.locator("button[data-step-go='-1']").click()   # back, and forward again: nothing lost
            assert page.locator(".maydan-step-current input[name=value_2a]:checked").get_attribute("value") == "4"
            page.locator(".maydan-step-current button[data-step-go='1']").click()
            assert page.locator(".maydan-step-current .maydan-step-count p").inner_text().startswith("3 ")
        page.locator(".maydan-step-current button[data-step-go='1']").click()

    # The summary: every answer to check before submitting.
    summary = page.locator(".maydan-step-current[data-summary]")
    assert summary.locator("h3").inner_text() == "راجع إجاباتك قبل التقديم"
    assert summary.locator("[data-summary-of=value_7a]").inner_text() == "2"
    assert summary.locator("[data-summary-of=value_1a]").inner_text() == "4"
    assert summary.locator("[data-summary-of=comment_7]").inner_text() == "بلا تعليق"
    page.fill("textarea[name=comment_overall]", "أتعلّم كثيرًا من الزيارات المنزلية.")
    assert sideways(page) == 0
    shoot(page, "stepper-2-summary-ar-360")
    act(page, "button[name=submit][value='1']")

    # Refused: the error names competency 7, its step is open and its comment box has the focus.
    title = competencies[6].title["ar"]
    assert f"الكفاية 7. {title} تحتاج إلى تعليق" in page.inner_text(".maydan-error-summary")
    assert page.evaluate("document.activeElement.name") == "comment_7"
    assert page.locator(".maydan-step-current textarea[name=comment_7]").is_visible()
    assert "يُرجى توضيح" in page.inner_text("#err-comment_7")
    assert page.locator("input[name=value_1a][value='4']").is_checked()  # what was typed is kept
    assert page.input_value("textarea[name=comment_overall]") == "أتعلّم كثيرًا من الزيارات المنزلية."
    assert not SelfEvaluation.objects.exists()
    shoot(page, "stepper-3-missing-comment-named-ar-360")
    # A step back, then the error summary's link opens competency 7 again, its comment box focused.
    page.locator(".maydan-step-current button[data-step-go='-1']").click()
    assert not page.locator("textarea[name=comment_7]").is_visible()
    page.click(".maydan-error-summary a[href='#err-comment_7']")
    assert page.locator(".maydan-step-current textarea[name=comment_7]").is_visible()
    assert page.evaluate("document.activeElement.name") == "comment_7"
    page.fill("textarea[name=comment_7]", "ما زلت أتعلّم كتابة التقارير في موعدها.")
    for _ in range(len(competencies) - 7 + 1):
        page.locator(".maydan-step-current button[data-step-go='1']").click()
    assert page.locator(".maydan-step-current[data-summary] [data-summary-of=comment_7]").inner_text().startswith("ما زلت")
    act(page, "button[name=submit][value='1']")
    assert "قُدّم تقييمك الذاتي" in page.inner_text(".maydan-notice")
    assert SelfEvaluation.objects.get().submitted_at is not None

    # Both supervisors submit and the result is released: a chart per competency, every voice and the final.
    placement = SelfEvaluation.objects.get().placement
    academic = course_actor(course, "instructor")
    agency = course_actor(course, "mentor")
    services.save_sheet(agency, placement.pk, "midterm", supervisor_scores(5), submit=True)
    services.save_sheet(academic, placement.pk, "midterm", supervisor_scores(3), submit=True)
    services.release(academic, placement.pk, "midterm")
    page.goto(launch)  # a new launch: the platform's launch cannot be replayed
    page.wait_for_selector(".maydan-voices svg.maydan-chart")
    charts = page.locator(".maydan-voices svg.maydan-chart")
    assert charts.count() == len(competencies)
    label = charts.nth(6).get_attribute("aria-label")
    assert label.startswith("7. ") and "التقييم الذاتي للطالب 2" in label and "النهائية 4" in label
    assert charts.nth(6).is_visible() and sideways(page) == 0
    assert page.locator("tr[data-behaviour='7a'] .maydan-self-value").inner_text() == "2"
    shoot(page, "stepper-4-released-three-voices-ar-360")
    charts.nth(6).scroll_into_view_if_needed()
    page.screenshot(path=str(shoot(page, "stepper-5-chart-ar-360")))
    page.locator("tr[data-behaviour='7a']").scroll_into_view_if_needed()
    page.screenshot(path=str(shoot(page, "stepper-6-voices-table-ar-360")))


def course_actor(course, subject):
    """The demo course's supervisor as the services see them."""
    from lti_tool.sandbox.platform import issuer
    from maydan import roles

    role = {"instructor": roles.ACADEMIC, "mentor": roles.AGENCY}[subject]
    return people.enter(issuer(), "field-training-1", subject, {role}, course_title=course.title)
