"""What the tool's course pages let staff upload, Studio lets an Open edX author upload too: a scenario's media in
the simulation editor, the school's name and logo in the field log's course settings. In the xblock-sdk workbench,
through Django's test client with CSRF enforced, posted as the editors' scripts post them (multipart)."""
import io
import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from maydan.models import AuditEvent, Course, Placement
from maydan.simulation.models import ScenarioMedia
from tests.unit.test_simulation_media import MP3, VTT, png

from .xbtools import entry, entry_ids, tr

pytestmark = pytest.mark.usefixtures("workbench_state")

SIMULATION = "/workbench/scenario/maydan_simulation.0/"
FIELDLOG = "/workbench/scenario/maydan_fieldlog.0/"
WRONG_TYPE = ("The file is not an image (PNG, JPEG, GIF, WebP, SVG), audio (MP3, Ogg, WAV, M4A), video (MP4, WebM) "
              "or WebVTT captions, or its content is not what its name says.")
NOT_AN_AUTHOR = "Only the course's authors and supervisors upload a scenario's media."
NOT_A_CONFIGURER = "Only the academic supervisor, the field coordinator or a course author may change these settings."


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Studio:
    """One demo person with a block's Studio editor open in the workbench."""

    def __init__(self, person, scenario):
        self.client = Client(enforce_csrf_checks=True)
        self.person, self.scenario = person, scenario
        self.page = self.open("studio_view/")

    def open(self, view=""):
        response = self.client.get(self.scenario + view, {"student": self.person})
        assert response.status_code == 200
        return response.content.decode()

    def url(self, handler):
        return unescape(re.search(rf'"([^"]+/{handler}/[^"]*)"', self.page).group(1))

    def post(self, handler, form, token=True):
        """A multipart post, as the editor's script sends FormData (an empty file input is left out)."""
        headers = {"HTTP_X_CSRFTOKEN": self.client.cookies["csrftoken"].value} if token else {}
        return self.client.post(self.url(handler), form, **headers)


def upload(name, data):
    return SimpleUploadedFile(name, data)


# --- a scenario's media in the simulation's Studio editor ---------------------------------------------


@pytest.mark.parametrize("person, language", [("author_1", "ar"), ("academic_en", "en")])
def test_an_author_uploads_media_in_studio_and_sees_the_courses_list(person, language):
    studio = Studio(person, SIMULATION)
    assert 'name="media"' in studio.page and 'enctype="multipart/form-data"' in studio.page
    assert tr(language, "Media of this course's scenarios") in studio.page
    assert studio.post("studio_media", {"media": upload("door.png", png())}, token=False).status_code == 403
    assert not ScenarioMedia.objects.exists()

    for name, data in (("door.png", png()), ("mother.en.mp3", MP3), ("mother.en.vtt", VTT)):
        answer = studio.post("studio_media", {"media": upload(name, data)})
        assert answer.status_code == 200, answer.content
        notice = tr(language, "“%(name)s” uploaded: a scenario of this course can name it in its media.")
        assert answer.json()["notice"] == notice % {"name": name}
        assert f'<code dir="ltr">{name}</code>' in answer.json()["html"]
    assert sorted(ScenarioMedia.objects.values_list("name", "kind")) == [
        ("door.png", "image"), ("mother.en.mp3", "audio"), ("mother.en.vtt", "captions")]
    assert AuditEvent.objects.filter(action="simulation_media").count() == 3
    # A new file under the same name replaces the old one; the list shows each name once.
    assert studio.post("studio_media", {"media": upload("door.png", png(8, 8))}).status_code == 200
    page = Studio(person, SIMULATION).page
    assert page.count('<code dir="ltr">door.png</code>') == 1 and "mother.en.vtt" in page


@pytest.mark.parametrize("person, language", [("author_1", "ar"), ("academic_en", "en")])
def test_studio_refuses_a_wrong_type_an_oversize_file_and_no_file_in_the_authors_language(person, language):
    studio = Studio(person, SIMULATION)
    cases = [
        ({"media": upload("door.png", MP3)}, tr(language, WRONG_TYPE)),                    # not what its name says
        ({"media": upload("notes.txt", b"plain text")}, tr(language, WRONG_TYPE)),         # not a media type
        ({"media": upload("long.vtt", VTT + b"x" * 200_001)},
         tr(language, "The file is too large: at most %(limit)s bytes.").split("%")[0]),  # over the captions limit
        ({"media": upload("door.png", b"")}, tr(language, WRONG_TYPE)),                     # an empty file
        ({"note": "no file"}, tr(language, "Choose an image, audio, video or captions file.")),
    ]
    for form, reason in cases:
        answer = studio.post("studio_media", form)
        assert answer.status_code == 400, (form, answer.content)
        assert answer.json()["errors"]["media"][0].startswith(reason)
    assert not ScenarioMedia.objects.exists() and not AuditEvent.objects.filter(action="simulation_media").exists()
    if language == "ar":
        assert re.search("[\u0600-\u06ff]", answer.json()["errors"]["media"][0])


@pytest.mark.parametrize("person, language", [("student_1", "ar"), ("student_en", "en"), ("agency_1", "ar")])
def test_students_and_agency_supervisors_cannot_upload_media(person, language):
    studio = Studio(person, SIMULATION)
    assert 'name="media"' not in studio.page
    # The handler is there for anyone who finds its address: the same as the editor's other handlers.
    url = studio.url("studio_submit").replace("/studio_submit/", "/studio_media/")
    answer = studio.client.post(url, {"media": upload("door.png", png())},
                                HTTP_X_CSRFTOKEN=studio.client.cookies["csrftoken"].value)
    assert answer.status_code == 403 and answer.json()["error"] == tr(language, NOT_AN_AUTHOR)
    assert not ScenarioMedia.objects.exists()


# --- the school's name and logo in the field log's Studio editor --------------------------------------


def picture(format="PNG", size=(400, 160)):
    out = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(out, format=format)
    return out.getvalue()


def approved_placement():
    """A placement with approved hours, made as its people make it in the workbench."""
    client = Client()
    client.get(FIELDLOG, {"student": "student_1"})

    def act(person, **form):
        browser = Client(enforce_csrf_checks=True)
        page = browser.get(FIELDLOG, {"student": person}).content.decode()
        endpoint = unescape(re.search(r'class="maydan[^"]*"[^>]*data-endpoint="([^"]+)"', page).group(1))
        return browser.post(endpoint, urlencode(form), content_type="application/x-www-form-urlencoded",
                            HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)

    entry_id = entry_ids(act("student_1", **entry()).content.decode())[0]
    assert act("agency_1", action="approve", entry=entry_id).status_code == 200
    placement = Placement.objects.get().pk
    return lambda person, **form: act(person, action="document", document="certificate", placement=placement,
                                      format="html", **form)


def test_the_academic_supervisor_puts_the_schools_logo_on_the_certificate_from_studio():
    certificate = approved_placement()
    studio = Studio("academic_1", FIELDLOG)
    assert 'name="logo"' in studio.page and 'name="school_name"' in studio.page and 'name="remove_logo"' not in studio.page
    saved = studio.post("studio_submit", {"display_name": "Field log", "school_name": "Helwan University",
                                          "time_zone": "Africa/Cairo", "logo": upload("seal.png", picture())})
    assert saved.status_code == 200, saved.content
    assert saved.json()["logo"].startswith("data:image/png;base64,")
    course = Course.objects.get()
    assert course.school_name == "Helwan University" and course.logo.name.endswith(".png")
    assert AuditEvent.objects.filter(action="course_settings", changes__has_key="logo").count() == 1

    shown = certificate("student_1", language="en")
    assert shown.status_code == 200 and "Helwan University" in shown.content.decode()
    assert 'src="data:image/png;base64,' in shown.content.decode()
    reopened = Studio("academic_1", FIELDLOG).page
    assert 'class="maydan-logo" src="data:image/png;base64,' in reopened and 'name="remove_logo"' in reopened

    # A JPEG replaces it (kept as PNG); ticking "Remove the logo" takes it off the documents.
    assert studio.post("studio_submit", {"logo": upload("seal.jpg", picture("JPEG"))}).status_code == 200
    assert Course.objects.get().logo.name != course.logo.name
    assert studio.post("studio_submit", {"remove_logo": "1"}).status_code == 200
    assert not Course.objects.get().logo
    assert "data:image/png;base64," not in certificate("student_1", language="en").content.decode()


@pytest.mark.parametrize("person, language", [("academic_1", "ar"), ("academic_en", "en")])
def test_a_text_file_named_png_is_refused_beside_the_logo_field_and_nothing_is_saved(person, language):
    studio = Studio(person, FIELDLOG)
    assert studio.post("studio_submit", {"logo": upload("seal.png", picture())}).status_code == 200
    kept = Course.objects.get().logo.name
    refused = studio.post("studio_submit", {"school_name": "Another School", "target_hours": "300",
                                            "logo": upload("seal.png", b"This is a text file, not a picture.\n")})
    assert refused.status_code == 400
    body = refused.json()
    assert list(body["errors"]) == ["logo"]
    assert body["errors"]["logo"][0].startswith(tr(language, "The file is not an image: use %(formats)s.").split("%")[0])
    assert body["error"] == tr(language, "Some settings need correcting: nothing was saved.")
    course = Course.objects.get()
    assert course.logo.name == kept and course.school_name != "Another School" and course.target_hours != 300


@pytest.mark.parametrize("person, language", [("student_1", "ar"), ("student_en", "en"), ("agency_1", "ar")])
def test_a_student_or_agency_supervisor_cannot_set_the_logo(person, language):
    studio = Studio(person, FIELDLOG)
    assert re.search(r"<fieldset disabled>\s*<legend>[^<]*</legend>\s*<label[^>]*>[^<]*\s*<input type=\"text\" "
                     r"name=\"school_name\"", studio.page)
    answer = studio.post("studio_submit", {"logo": upload("seal.png", picture())})
    assert answer.status_code == 403 and answer.json()["error"] == tr(language, NOT_A_CONFIGURER)
    assert not Course.objects.get().logo
