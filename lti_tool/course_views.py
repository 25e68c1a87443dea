"""The course staff's pages in the tool: the course settings, and the course's own case scenarios.

Opened from the supervisor bar with the signed launch context (service_views.supervisor_page); the
rules, checks and audit rows are the core's (maydan.course_settings, maydan.simulation), as in Studio.
"""
from django.utils import translation
from django.utils.translation import gettext as _

from maydan import course_settings, courses, untrusted
from maydan.errors import Forbidden, Invalid, Refused
from maydan.simulation import imports, library, media, screens, services as simulation
from maydan.simulation.importers.h5p import MAX_PACKAGE_BYTES
from maydan.simulation.engine import text as in_language

from .service_views import supervisor_page

@supervisor_page
def settings(request, actor):
    """Show the course settings; with `save`, save the whole form or send it back with every error beside its field."""
    courses.require_configurer(actor)
    page = {"errors": {}, "notice": "", "error": ""}
    posted = None
    if request.POST.get("save"):
        try:
            course_settings.save(actor, request.POST)
            page["notice"] = _("Settings saved.")
        except Invalid as refusal:
            posted = request.POST
            page.update(errors=refusal.field_errors, error=refusal.message, status=400)
    return "lti_tool/course_settings.html", {**page, **course_settings.values(actor, posted)}


@supervisor_page
def scenarios(request, actor):
    """The course's own scenarios: check and preview a pasted or uploaded text, save it (new or a new
    version of one with the same id), or open a saved one to change it."""
    simulation.require_editor(actor)
    action = request.POST.get("do", "")
    page = {"errors": {}, "notice": "", "error": "", "preview": "", "source": "", "report": ""}
    try:
        if action == "open":
            page["source"] = simulation.source_of(actor, request.POST.get("key", ""))
        elif action == "import":
            upload = request.FILES.get("package")
            drafted = imports.draft(actor, upload.read(MAX_PACKAGE_BYTES + 1) if upload else b"",
                                    upload.name if upload else "", translation.get_language())
            page.update(source=drafted["source"], report=drafted["html"])
        elif action == "media":
            upload = request.FILES.get("media")
            if upload is None:
                message = _("Choose an image, audio, video or captions file.")
                raise Invalid(message, {"media": [message]})
            row = media.upload(actor, upload.name, upload.read(untrusted.MAX_MEDIA_BYTES + 1))
            page["notice"] = _("“%(name)s” uploaded: a scenario of this course can name it in its media.") % {
                "name": row.name}
        elif action in ("check", "save"):
            page["source"] = _source(request)
            if action == "save":
                key = simulation.save_scenario(actor, page["source"])
                page["notice"] = _("Scenario “%(key)s” saved: this course can now place it.") % {"key": key}
            page["preview"] = screens.preview(actor, page["source"], "", translation.get_language())
    except Forbidden:
        raise
    except Refused as refusal:
        page.update(errors=refusal.field_errors or {"scenario": [refusal.message]}, error=refusal.message,
                    status=refusal.status)
    own = [(row.key, in_language(library.compiled(row.source).title, translation.get_language()), row.updated_by)
           for row in simulation.course_scenarios(actor)]
    return "lti_tool/scenarios.html", {**page, "own": own, "media": media.listing(actor)}


def _source(request):
    """The scenario text: an uploaded YAML/JSON file, else the pasted text, within the content limits."""
    upload = request.FILES.get("file")
    try:
        text = untrusted.text_of(upload.read(untrusted.MAX_DOCUMENT_BYTES + 1) if upload is not None
                                 else request.POST.get("source", ""))
    except untrusted.Unreadable as error:
        raise Invalid(untrusted.message(error)) from None
    if not text.strip():
        raise Invalid(_("Paste a scenario or choose a file."))
    return text
