"""The dual evaluation in Arabic, in real Chromium: the agency supervisor (through a signed link)
then the academic supervisor score the mid-term form, a moderator decides the one value they
disagree on, the evaluation is released and the student sees it. Screens are saved under
test-artifacts/.
"""
import pytest

from maydan.grading import services
from maydan.grading.models import Evaluation
from maydan.models import Placement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCENARIO = "/workbench/scenario/maydan_evaluation.0/"
BEHAVIOURS = [b.id for b in services.form_of("midterm").framework.behaviours]


def person(browser, site, who):
    page = browser.new_context(locale="ar-EG", viewport={"width": 1200, "height": 900}).new_page()
    page.goto(f"{site}{SCENARIO}?student={who}")
    page.wait_for_selector(".maydan[data-endpoint]")
    return page


def act(page, selector):
    """Click a button that posts the screen's form and wait for the new screen."""
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.click(selector)
    page.wait_for_selector(".maydan:not([aria-busy])")


def fill_sheet(page, value, **special):
    for behaviour in BEHAVIOURS:
        page.check(f"input[name=value_{behaviour}][value='{special.get(behaviour, value)}']")


def test_dual_evaluation_in_arabic(browser, site, shoot):
    student = person(browser, site, "student_1")
    assert student.get_attribute(".maydan", "dir") == "rtl"
    assert "لم يُعلن تقييمك بعد" in student.inner_text(".maydan")
    placement = Placement.objects.get(student__subject="student_1").pk

    # The academic supervisor chooses "a moderator decides" and sends Sara's agency a link.
    academic = person(browser, site, "academic_1")
    act(academic, "button[name=view][value=settings]")
    academic.check("input[name=rule][value=moderator]")
    act(academic, "button:has-text('حفظ الإعدادات')")
    assert "حُفظت الإعدادات" in academic.inner_text(".maydan-notice")
    act(academic, "button[name=view][value=list]")
    act(academic, f"tr[data-placement='{placement}'] button[value=view]")
    academic.fill("input[name=name]", "أ. رامي فتحي")
    act(academic, "form:has(input[name=action][value=issue_link]) button")
    link = academic.input_value(".maydan-new-link input")
    assert link.startswith(site + "/maydan/agency/") and "activity=evaluation" in link
    shoot(academic, "eval-1-academic-link-ar")

    # The agency supervisor scores through the link, without an account.
    agency = browser.new_context(locale="ar-EG", viewport={"width": 1200, "height": 900}).new_page()
    agency.goto(link)
    assert agency.get_attribute("html", "dir") == "rtl"
    assert "أخصائي اجتماعي مبتدئ" in agency.inner_text(".maydan")
    fill_sheet(agency, 4, **{"1a": 5, "9b": "NO"})
    act(agency, "button[name=submit][value='1']")
    assert "يُرجى توضيح" in agency.inner_text("#err-comment_9")   # N/O needs a comment
    shoot(agency, "eval-2-agency-not-observed-needs-comment-ar")
    agency.fill("textarea[name=comment_9]", "لم تُتح فرصة لتقييم النتائج بعد.")
    agency.fill("textarea[name=comment_overall]", "طالبة ملتزمة، تحسّن تواصلها مع الأسر.")
    act(agency, "button[name=submit][value='1']")
    assert "قُدّمت درجاتك" in agency.inner_text(".maydan-notice")
    shoot(agency, "eval-3-agency-submitted-ar")

    # The academic supervisor scores independently: the agency's scores are not shown yet.
    act(academic, "button[name=view][value=evaluate]")
    assert academic.locator(".maydan-agency-value").count() == 0
    fill_sheet(academic, 4, **{"1a": 2})
    academic.fill("textarea[name=comment_1]", "تأخرت التقارير الأسبوعية مرتين.")
    act(academic, "button[name=submit][value='1']")

    # Reconciliation: both voices side by side; 5 against 2 needs the moderator's decision.
    row = academic.locator("tr[data-behaviour='1a']")
    assert row.locator(".maydan-agency-value").inner_text() == "5"
    assert row.locator(".maydan-academic-value").inner_text() == "2"
    shoot(academic, "eval-4-reconciliation-ar")
    row.locator("select[name=value]").select_option("3")
    row.locator("input[name=reason]").fill("التزام أخلاقي واضح في المؤسسة، مع تأخر في التقارير.")
    act(academic, "tr[data-behaviour='1a'] button")
    act(academic, "button[name=action][value=release]")
    assert "أُعلن التقييم للطالب" in academic.inner_text(".maydan-notice")
    evaluation = Evaluation.objects.get(placement_id=placement, form="midterm")
    # 1a decided 3, 9b observed by the academic only (4), the rest 4: 79 / 20 = 3.95 of 5.
    assert evaluation.final_values["1a"] == 3 and evaluation.score == pytest.approx(0.79)
    shoot(academic, "eval-5-released-ar")

    student.reload()
    student.wait_for_selector(".maydan[data-endpoint]")
    text = student.inner_text(".maydan")
    assert "الدرجة النهائية: 79%" in text and "تأخرت التقارير الأسبوعية" in text
    assert student.locator("tr[data-behaviour='1a'] .maydan-final-value").inner_text().startswith("3")
    shoot(student, "eval-6-student-sees-released-ar")
