"""The school's logo on every document, a course setting.

An upload is read by its content (PNG, JPEG, GIF or WebP, size- and pixel-limited), scaled down and written
anew as PNG, so nothing of the uploaded file but its picture is kept (no metadata, no trailing payload).
It is stored through Django's storage API (the LMS's own storage inside Open edX) and put into each
document inline, so the PDF renderer never fetches anything.
"""
import base64
import hashlib
import io
import logging
from functools import lru_cache

from django.core.files.base import ContentFile
from django.db import transaction

from .. import audit, untrusted
from ..courses import require_configurer
from ..errors import Invalid
from ..models import Course

MAX_LOGO_BYTES = 1_000_000
MAX_LOGO_PIXELS = 16_000_000
# Printed at most 45 × 18 mm: 1200 × 480 px is some 680 dpi there, sharp enough for any printer.
LOGO_BOX = (1200, 480)

log = logging.getLogger(__name__)


def png_of(upload):
    """The logo as PNG bytes from an uploaded file (or bytes); Invalid, in the reader's language, when refused."""
    data = upload.read(MAX_LOGO_BYTES + 1) if hasattr(upload, "read") else upload
    try:
        image = untrusted.read_image(data, max_bytes=MAX_LOGO_BYTES, max_pixels=MAX_LOGO_PIXELS)
    except untrusted.Unreadable as refusal:
        raise Invalid(untrusted.message(refusal), {"logo": [untrusted.message(refusal)]}) from None
    image.thumbnail(LOGO_BOX)
    image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


@transaction.atomic
def set_logo(actor, png):
    """Put the logo (PNG bytes from `png_of`, or None to remove it) on the course's documents; audited.
    The file replaced is deleted once the change is committed."""
    require_configurer(actor)
    course = Course.objects.select_for_update().get(pk=actor.course.pk)
    before = course.logo.name or ""
    if png is None and not before:
        return course
    if png is None:
        course.logo = ""
    else:
        digest = hashlib.sha256(png).hexdigest()
        course.logo.save(f"course-{course.pk}-{digest[:16]}.png", ContentFile(png), save=False)
    course.save(update_fields=["logo"])
    audit.record(actor, "course_settings", changes={"logo": [before, course.logo.name or ""]})
    if before:
        storage = course.logo.storage
        transaction.on_commit(lambda: storage.delete(before))
    actor.course.logo = course.logo
    return course


def logo_data_url(course):
    """The course's logo as a data: URL for a document, or "" when it has none (or its file is gone)."""
    return _data_url(course.logo.name) if course.logo else ""


@lru_cache(maxsize=64)
def _data_url(name):
    """Cached by file name: a changed logo is a new file with a new name."""
    storage = Course._meta.get_field("logo").storage
    try:
        with storage.open(name, "rb") as file:
            data = file.read(MAX_LOGO_BYTES * 4)
    except OSError:
        log.warning("A course's logo file is missing from storage.")
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
