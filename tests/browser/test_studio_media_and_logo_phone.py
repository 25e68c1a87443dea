"""On a phone, in Arabic and English, in the XBlock workbench (the real runtime, CSRF enforced): a course author
uploads a scenario's media in the simulation's Studio editor and the school's logo in the field log's, as the
tool's pages allow; a file that is not what its name says is refused with the reason beside its field, and the
editors fit 360 px with no serious axe violation.
"""
import io

import pytest
from playwright.sync_api import expect
from PIL import Image

from maydan.models import Course
from maydan.simulation.models import ScenarioMedia

from .test_every_screen_on_phones import phone_walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT_AS_PNG = {"name": "seal.png", "mimeType": "image/png", "buffer": b"This is a text file, not a picture.\n"}


def _png(size=(300, 120)):
    out = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(out, format="PNG")
    return {"name": "seal.png", "mimeType": "image/png", "buffer": out.getvalue()}


def _send(form, field, file, handler, button):
    """Choose `file` in the form's `field`, press its button; the answer's status."""
    form.locator(f"input[name={field}]").set_input_files(file)
    with form.page.expect_response(lambda r: handler in r.url) as answer:
        form.locator(button).click()
    return answer.value.status


def _reason_beside(form, field, errors):
    """The message shown beside the field, once the refusal is drawn; the field is marked invalid."""
    beside = form.locator(f"{errors} li")
    beside.wait_for()
    assert form.locator(f"input[name={field}]").get_attribute("aria-invalid") == "true"
    return beside.inner_text()


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("language", ["ar", "en"])
def test_author_uploads_media_and_the_logo_in_studio_with_refusals_beside_the_field(browser, site, language):
    who = "author_1" if language == "ar" else "author_en"
    walk = phone_walk(browser, site, language)
    page = walk.page
    try:
        page.goto(f"{site}/workbench/scenario/maydan_simulation.0/studio_view/?student={who}")
        media = page.locator(".maydan-sim-media")
        media.wait_for()
        assert _send(media, "media", TEXT_AS_PNG, "studio_media", "button[type=submit]") == 400
        reason = _reason_beside(media, "media", ".maydan-field-error")
        assert ("محتواه" if language == "ar" else "not what its name says") in reason
        walk.check("author-studio-media-refused", ".maydan")
        assert not ScenarioMedia.objects.exists()

        assert _send(media, "media", {**_png(), "name": "door.png"}, "studio_media", "button[type=submit]") == 200
        media.locator("#maydan-media-list code").wait_for()
        assert media.locator("#maydan-media-list code").inner_text() == "door.png"
        assert media.locator(".maydan-field-error").is_hidden() and "door.png" in media.locator(".maydan-notice").inner_text()
        assert ScenarioMedia.objects.get().name == "door.png"

        page.goto(f"{site}/workbench/scenario/maydan_fieldlog.0/studio_view/?student={who}")
        form = page.locator(".maydan-studio form")
        form.wait_for()
        form.locator("input[name=school_name]").fill("Helwan University")
        assert _send(form, "logo", TEXT_AS_PNG, "studio_submit", "button.maydan-primary") == 400
        reason = _reason_beside(form, "logo", ".maydan-field-error[data-errors-for=logo]")
        assert ("ليس صورة" if language == "ar" else "not an image") in reason
        walk.check("author-studio-logo-refused", ".maydan")
        assert Course.objects.get().school_name != "Helwan University" and not Course.objects.get().logo

        assert _send(form, "logo", _png(), "studio_submit", "button.maydan-primary") == 200
        expect(form.locator(".maydan-field-error")).to_have_count(0)  # the refusal goes once the answer is drawn
        course = Course.objects.get()
        assert course.school_name == "Helwan University" and course.logo.name.endswith(".png")
        page.reload()
        page.locator("img.maydan-logo").wait_for()
        walk.check("author-studio-logo", ".maydan")
    finally:
        walk.context.close()
    assert walk.problems == [], "\n".join(walk.problems)
