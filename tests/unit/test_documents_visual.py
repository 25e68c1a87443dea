"""How a document looks: its first page, rasterised, against a kept reference image, in Arabic and in English.

The references are tests/fixtures/documents/*.png. After an intended change to the documents' look, make
them anew and look at them before committing (see tests/fixtures/documents/README.md):

    MAYDAN_UPDATE_REFERENCES=1 .venv/bin/python -m pytest tests/unit/test_documents_visual.py
"""
import io
import os
from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pypdfium2
import pytest
from django.core.files.base import ContentFile
from PIL import Image, ImageChops, ImageDraw

from maydan.documents import render
from maydan.documents.services import Document
from maydan.models import Course, Placement

REFERENCES = Path(__file__).resolve().parent.parent / "fixtures" / "documents"
ARTIFACTS = Path(os.environ.get("MAYDAN_TEST_ARTIFACTS", "test-artifacts")) / "documents"
DPI = 96
# A pixel "differs" when its grey level moves by more than this (anti-aliasing differs a little between
# builds of the font renderer); the page differs when more than MAX_CHANGED of its pixels do.
LEVEL, MAX_CHANGED = 64, 0.0001


@pytest.fixture
def logo(settings, tmp_path):
    """A fixed logo, stored as the course settings store one."""
    settings.MEDIA_ROOT = tmp_path
    image = Image.new("RGB", (480, 192), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse([8, 8, 184, 184], fill="#1d4e89")
    draw.rectangle([208, 64, 472, 128], fill="#c8102e")
    out = io.BytesIO()
    image.save(out, format="PNG")
    course = Course(pk=1, title="Field Training I", digits="arab")
    course.logo.save("visual-test.png", ContentFile(out.getvalue()), save=False)
    return course


def certificate(course, school, student):
    """A certificate whose every word and number is fixed, so its page can be compared pixel by pixel."""
    placement = Placement(course=course)
    data = {
        "kind": "certificate", "school": school, "course": course.title, "student": student,
        "agency": "Hope Family Centre", "academic_supervisor": "Dr. Hoda Samir",
        "agency_supervisor": "Rami Fathy", "starts_on": date(2026, 2, 1), "ends_on": date(2026, 6, 30),
        "target_minutes": 400 * 60, "approved_minutes": 250 * 60 + 30, "entries": 87, "countersigned_entries": 80,
        "first_day": date(2026, 2, 3), "last_day": date(2026, 6, 25),
        "by_time_kind": [["direct", 190 * 60], ["indirect", 60 * 60 + 30]],
        "by_activity_type": [["home_visit", 100 * 60], ["supervision", 40 * 60], ["group_session", 110 * 60 + 30]],
        "by_competency": [["1", 90 * 60], ["6", 160 * 60 + 30]],
        "sign_offs": {"approve": {"first": date(2026, 2, 5), "last": date(2026, 6, 26)}},
    }
    signed = SimpleNamespace(typed_name=student, role="student",
                             signed_at=datetime(2026, 6, 28, 9, 30, tzinfo=timezone.utc))
    return Document("certificate", placement, data, "5e" * 32, [signed], code="K7QF3MWX9P2DHT4R")


def first_page(pdf):
    page = pypdfium2.PdfDocument(pdf)[0]
    return page.render(scale=DPI / 72).to_pil().convert("L")


def changed_share(image, reference):
    if image.size != reference.size:
        return 1.0
    diff = ImageChops.difference(image, reference).point(lambda level: 255 if level > LEVEL else 0)
    return diff.histogram()[255] / (image.width * image.height)


CASES = {
    "certificate-ar": ("ar", "كلية الخدمة الاجتماعية — جامعة حلوان", "سارة عادل"),
    "certificate-en": ("en", "Helwan University — Faculty of Social Work", "Sara Adel"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_first_page_looks_as_the_kept_reference(settings, logo, name):
    settings.MAYDAN_BASE_URL = "https://maydan.example.edu"
    language, school, student = CASES[name]
    image = first_page(render.pdf(certificate(logo, school, student), language))
    reference_path = REFERENCES / f"{name}.png"
    if os.environ.get("MAYDAN_UPDATE_REFERENCES"):
        REFERENCES.mkdir(parents=True, exist_ok=True)
        image.save(reference_path, optimize=True)
        pytest.skip(f"reference written: {reference_path}")
    reference = Image.open(reference_path).convert("L")
    share = changed_share(image, reference)
    if share > MAX_CHANGED:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        image.save(ARTIFACTS / f"{name}.actual.png")
        if image.size == reference.size:
            ImageChops.difference(image, reference).save(ARTIFACTS / f"{name}.diff.png")
    assert share <= MAX_CHANGED, f"{share:.2%} of the page differs from {reference_path.name}; see {ARTIFACTS}"


def test_the_comparison_tells_a_different_page(settings, logo):
    """The tolerance does not hide a real change: another name, or the other language's page, is caught."""
    settings.MAYDAN_BASE_URL = "https://maydan.example.edu"
    reference = Image.open(REFERENCES / "certificate-en.png").convert("L")
    renamed = first_page(render.pdf(certificate(logo, CASES["certificate-en"][1], "Omar Nabil"), "en"))
    assert changed_share(renamed, reference) > MAX_CHANGED
    arabic = first_page(render.pdf(certificate(logo, *CASES["certificate-ar"][1:]), "ar"))
    assert changed_share(arabic, reference) > MAX_CHANGED
