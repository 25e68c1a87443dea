"""The school's logo: uploaded in the course settings, checked by its content, kept through the storage API,
shown on every document; anything else is refused beside the field, and nothing is written."""
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageDraw
from pypdf import PdfReader

from maydan import course_settings
from maydan.documents import branding, render, services
from maydan.errors import Forbidden, Invalid
from maydan.models import AuditEvent, Course
from tests.conftest import form
from tests.unit.test_documents import placed  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def picture(format="PNG", size=(300, 120), mode="RGB"):
    image = Image.new(mode, size, "white")
    ImageDraw.Draw(image).rectangle([10, 10, size[0] - 10, size[1] - 10], fill="navy")
    out = io.BytesIO()
    image.save(out, format=format)
    return out.getvalue()


def png_claiming(width, height):
    """A valid PNG header announcing a huge picture, with almost no data: a decompression bomb's shape."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def upload(data, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored(media):
    return sorted(path.name for path in media.rglob("*") if path.is_file())


@pytest.mark.parametrize("format", ["PNG", "JPEG", "GIF", "WEBP"])
def test_an_uploaded_logo_is_kept_as_png_and_shown_on_every_document(cohort, placed, media, format):
    course_settings.save(cohort.academic, form(school_name="Helwan University"),
                         {"logo": upload(picture(format, size=(2400, 600)), name="anything.bin")})
    course = Course.objects.get(pk=cohort.course.pk)
    assert course.school_name == "Helwan University" and course.logo.name.endswith(".png")
    with course.logo.open("rb") as file:
        kept = Image.open(file)
        assert kept.format == "PNG" and kept.size == (1200, 300)  # scaled into the box, proportions kept
    assert AuditEvent.objects.filter(action="course_settings", changes__has_key="logo").count() == 1
    document = services.issue(cohort.student, services.document_for(cohort.student, "certificate"))
    assert "data:image/png;base64," in render.html(document, "ar", for_print_view=True)
    pages = PdfReader(io.BytesIO(render.pdf(document, "en"))).pages
    assert len(pages[0].images) == 1


def test_the_logo_heads_each_document_of_the_portfolio(cohort, placed):
    course_settings.save(cohort.coordinator, form(), {"logo": upload(picture())})
    cohort.student.course.refresh_from_db()
    document = services.issue(cohort.student, services.document_for(cohort.student, "portfolio"))
    assert render.html(document, "ar").count('class="logo"') == 1 + len(document.parts) == 3
    pages = PdfReader(io.BytesIO(render.pdf(document, "ar"))).pages
    assert len(pages) >= 3 and len(pages[0].images) == 1


def test_a_new_logo_replaces_the_old_file_and_removing_it_deletes_it(cohort, media,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course_settings.save(cohort.academic, form(), {"logo": upload(picture())})
    first = stored(media)
    with django_capture_on_commit_callbacks(execute=True):
        course_settings.save(cohort.academic, form(), {"logo": upload(picture(size=(200, 200)))})
    second = stored(media)
    assert len(first) == len(second) == 1 and first != second
    with django_capture_on_commit_callbacks(execute=True):
        course_settings.save(cohort.academic, form(remove_logo="1"))
    assert stored(media) == [] and not Course.objects.get(pk=cohort.course.pk).logo
    assert branding.logo_data_url(Course.objects.get(pk=cohort.course.pk)) == ""
    assert AuditEvent.objects.filter(action="course_settings", changes__has_key="logo").count() == 3


@pytest.mark.parametrize("data, reason", [
    (b"Helwan University\n", "The file is not an image"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "The file is not an image"),
    (b"%PDF-1.7\n1 0 obj\n", "The file is not an image"),
    (picture()[:200], "The file is not an image"),  # cut short
    (png_claiming(50_000, 50_000), "The image is too large"),
    (picture("BMP"), "The file is not an image"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 1_100_000, "The file is too large"),
])
def test_anything_but_a_picture_is_refused_beside_the_field_and_nothing_is_written(cohort, media, data, reason):
    with translation.override("en"), pytest.raises(Invalid) as refused:
        course_settings.save(cohort.academic, form(school_name="Cairo University"), {"logo": upload(data)})
    assert reason in refused.value.field_errors["logo"][0]
    course = Course.objects.get(pk=cohort.course.pk)
    assert not course.logo and course.school_name == ""  # the whole form is refused: nothing saved
    assert stored(media) == [] and not AuditEvent.objects.filter(action="course_settings").exists()


def test_the_refusal_speaks_the_readers_language(cohort):
    with translation.override("ar"), pytest.raises(Invalid) as refused:
        course_settings.save(cohort.academic, form(), {"logo": upload(b"not a picture")})
    assert "ليس صورة" in refused.value.field_errors["logo"][0]


@pytest.mark.parametrize("who", ["student", "agency", "other_student"])
def test_only_those_who_set_the_course_put_a_logo_on_its_documents(cohort, media, who):
    with pytest.raises(Forbidden):
        branding.set_logo(getattr(cohort, who), branding.png_of(picture()))
    assert stored(media) == []
