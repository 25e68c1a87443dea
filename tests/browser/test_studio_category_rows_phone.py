"""A course author sets the hours per category in the field log's Studio editor on a phone, in Arabic and
English, in the XBlock workbench (the real runtime, CSRF enforced): rows added and removed with the keyboard's
buttons, numbers typed plainly, saved; the editor fits 360 px with no serious axe violation.
"""
import pytest
from playwright.sync_api import expect

from maydan.models import Course

from .test_every_screen_on_phones import phone_walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_author_adds_and_removes_category_rows_and_saves(browser, site, language):
    who = "author_1" if language == "ar" else "author_en"
    walk = phone_walk(browser, site, language)
    page = walk.page
    try:
        page.goto(f"{site}/workbench/scenario/maydan_fieldlog.0/studio_view/?student={who}")
        page.wait_for_selector(".maydan-studio [data-add-row]:visible")
        rows = page.locator(".maydan-category-row")
        assert rows.count() == 1
        rows.nth(0).locator("select").select_option("direct")
        rows.nth(0).locator("input").fill("200")
        page.click("[data-add-row]")
        assert rows.count() == 2
        # The new row's category takes the focus, for the keyboard and screen readers.
        assert page.evaluate("document.activeElement.name") == "category_key"
        rows.nth(1).locator("select").select_option("supervision")
        rows.nth(1).locator("input").fill("22.5")
        page.click("[data-add-row]")
        rows.nth(2).locator("select").select_option("home_visit")
        rows.nth(2).locator("input").fill("40")
        walk.check("author-studio-category-rows", ".maydan")
        remove = rows.nth(2).locator("[data-remove-row]")
        assert remove.get_attribute("aria-label").endswith(rows.nth(2).locator("select option:checked").inner_text())
        remove.click()
        assert rows.count() == 2
        with page.expect_response(lambda r: "studio_submit" in r.url) as answer:
            page.click(".maydan-studio button.maydan-primary")
        assert answer.value.status == 200, answer.value.text()
        assert Course.objects.get().category_targets == {"direct": 200, "supervision": 22.5}
        # Two rows of one category: the editor says so in the author's language and nothing is saved.
        rows.nth(1).locator("select").select_option("direct")
        with page.expect_response(lambda r: "studio_submit" in r.url) as answer:
            page.click(".maydan-studio button.maydan-primary")
        assert answer.value.status == 400
        # The editor says that nothing was saved, and the reason beside the rows.
        # The answer is drawn once its body is read, a moment after the response arrives: wait for it.
        expect(page.locator(".maydan-studio .maydan-error")).to_contain_text(
            "لم يُحفظ" if language == "ar" else "nothing was saved")
        expect(page.locator(".maydan-studio .maydan-field-error[data-errors-for=category_targets]")).to_contain_text(
            "مرتين" if language == "ar" else "listed twice")
        assert page.get_attribute("[data-field=category_targets]", "aria-invalid") == "true"
        assert Course.objects.get().category_targets == {"direct": 200, "supervision": 22.5}
    finally:
        walk.context.close()
    assert walk.problems == [], "\n".join(walk.problems)
