"""The course staff's pages in the tool: the course settings, and the course's own case scenarios.

Opened from the supervisor bar with the signed launch context (service_views.supervisor_page); the
rules, checks and audit rows are the core's (maydan.course_settings, maydan.simulation), as in Studio.
"""
from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from maydan import course_settings, courses, untrusted
from maydan.errors import Forbidden, Invalid, Refused
from maydan.simulation import editing, imports, library, media, screens, services as simulation
from maydan.simulation.importers.h5p import MAX_PACKAGE_BYTES
from maydan.simulation.engine import text as in_language

from . import context
from .service_views import supervisor_page

@supervisor_page
def settings(request, actor):
    """Show the course settings; with `save`, save the whole form or send it back with every error beside its field."""
    courses.require_configurer(actor)
    page = {"errors": {}, "notice": "", "error": ""}
    posted = None
    if request.POST.get("save"):
        try:
            course_settings.save(actor, request.POST, request.FILES)
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
            row = media.upload_file(actor, upload.name if upload else "", upload)
            page["notice"] = media.uploaded_notice(row)
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
    editor = editing.setup(actor, translation.get_language(), reverse("lti:scenario_editor"),
                           source=page["source"], credential=request.POST.get("ctx", ""))
    return "lti_tool/scenarios.html", {**page, "own": own, "editor": editor, "media": media.listing(actor)}


@csrf_exempt
@xframe_options_exempt
@require_POST
def scenario_editor(request):
    """The visual editor's requests (check, preview, load, save) as JSON; the signed launch context is
    the credential, as for the page the editor sits on."""
    try:
        launched = context.load(request.POST.get("ctx", ""))
    except context.ContextRefused as refusal:
        return JsonResponse({"result": "error", "error": str(refusal.message)}, status=refusal.status)
    with translation.override(launched.language):
        try:
            asked = editing.read(request.POST.get("request", ""))
        except Refused as refusal:
            return JsonResponse({"result": "error", "error": str(refusal.message)}, status=refusal.status)
    status, body = editing.answer(launched.actor, asked, launched.language)
    return JsonResponse(body, status=status)


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
