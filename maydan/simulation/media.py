"""The images, audio, video and captions of case scenarios: uploaded by a course, shipped with the library.

A scenario names a media file by its plain name (`src: sleep-diary.svg`); the name is looked up in
the course's uploads (ScenarioMedia, kept through Django's storage API), then in the library's
folder (course_content/scenarios/media). Files are never at a public address: a page gets
`url(actor, name)`, a link carrying a signed, expiring pass for one person in one course, and the
view (`maydan.views.simulation_media`) checks the pass, that the person still belongs to the course,
and finds the name within that course only. A student of another course finds nothing there.
"""
import re
from importlib import resources

from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import audit, untrusted
from ..errors import Forbidden, Invalid, NotFound
from ..models import Membership
from .models import ScenarioMedia
from .validate import media_files

SALT = "maydan.simulation-media"
PASS_HOURS = 8  # a working day, as a launched page's context
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")


def shipped_folder():
    return resources.files("course_content").joinpath("scenarios", "media")


def shipped_names():
    """The media files shipped with the library's scenarios."""
    folder = shipped_folder()
    return {f.name for f in folder.iterdir() if f.is_file() and NAME.match(f.name) and _suffix(f.name)}


def _suffix(name):
    suffix = name[name.rfind("."):].lower() if "." in name else ""
    return suffix if suffix in untrusted.MEDIA_TYPES else ""


def missing(course, scenario_data):
    """The media names of a scenario that neither the course nor the library has, in order."""
    names = media_files(scenario_data)
    have = set(ScenarioMedia.objects.filter(course=course, name__in=names).values_list("name", flat=True))
    have |= shipped_names()
    return [name for name in dict.fromkeys(names) if name not in have]


# --- uploads ------------------------------------------------------------------------------------


def _require_editor(actor):
    from .services import EDITORS

    if not actor.has(*EDITORS):
        raise Forbidden(_("Only the course's authors and supervisors upload a scenario's media."))


@transaction.atomic
def upload(actor, name, data):
    """Keep an uploaded media file under its name for the course (a new file replaces the old one).

    Refused whole (Invalid, in the reader's language) when the name is not a plain file name of a media
    type, when the bytes are not what the name says, or when the file is over its kind's size limit."""
    _require_editor(actor)
    name = str(name or "").strip().rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if not NAME.match(name):
        message = _("Name the file with letters, digits, '-', '_' or '.', ending in its type (e.g. voice.mp3).")
        raise Invalid(message, {"media": [message]})
    try:
        kind, content_type = untrusted.media_type(data, name)
    except untrusted.Unreadable as error:
        message = untrusted.message(error)
        raise Invalid(message, {"media": [message]}) from None
    row = ScenarioMedia.objects.select_for_update().filter(course=actor.course, name=name).first()
    old_file = row.file.name if row else None
    row = row or ScenarioMedia(course=actor.course, name=name)
    row.kind, row.content_type, row.size, row.uploaded_by = kind, content_type, len(data), actor.person
    row.file.save(name, ContentFile(bytes(data)), save=False)
    row.save()
    if old_file:
        # Removed once the new row is committed: a failed save keeps the old file usable.
        storage = row.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    audit.record(actor, "simulation_media", changes={"name": name, "kind": kind, "size": len(data),
                                                     "replaced": bool(old_file)})
    return row


def upload_file(actor, name, stream):
    """`upload` from a posted file (anything with `read(n)`, or None when the form carried none), read within
    the largest media limit so an oversize file is refused without being read whole."""
    _require_editor(actor)
    if stream is None:
        message = _("Choose an image, audio, video or captions file.")
        raise Invalid(message, {"media": [message]})
    return upload(actor, name, stream.read(untrusted.MAX_MEDIA_BYTES + 1))


def uploaded_notice(row):
    return _("“%(name)s” uploaded: a scenario of this course can name it in its media.") % {"name": row.name}


def listing(actor):
    """The course's uploaded media, by name, for its authors."""
    _require_editor(actor)
    return list(ScenarioMedia.objects.filter(course=actor.course).order_by("name"))


# --- reading ------------------------------------------------------------------------------------


def url(actor, name):
    """The address of a media file for this person in this course; '' when the actor has no person
    (a media file is then shown by its transcript only)."""
    if getattr(actor, "person", None) is None or not NAME.match(name or ""):
        return ""
    token = signing.dumps({"p": actor.person.pk, "c": actor.course.pk}, salt=SALT, compress=True)
    return f"{reverse('maydan:simulation-media', args=[name])}?v={token}"


def opened(token, name):
    """(file object, content type) of `name` for the holder of `token`.

    Forbidden when the pass is missing, forged or expired, or its person no longer belongs to its
    course; NotFound when neither that course nor the library has the file."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=PASS_HOURS * 3600)
        person, course = int(data["p"]), int(data["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Forbidden(_("This file is shown only in its course's pages. Open the activity from the course again."))
    if not Membership.objects.filter(person_id=person, course_id=course).exists():
        raise Forbidden(_("This file is shown only to the people of its course."))
    if not NAME.match(name or "") or not _suffix(name):
        raise NotFound(_("This file does not exist."))
    row = ScenarioMedia.objects.filter(course_id=course, name=name).first()
    if row is not None:
        return row.file.open("rb"), row.content_type
    if name in shipped_names():
        return shipped_folder().joinpath(name).open("rb"), untrusted.MEDIA_TYPES[_suffix(name)][1][0]
    raise NotFound(_("This file does not exist."))
