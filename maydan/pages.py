"""Serving a Screen as a Django response: a whole page, or just the screen for the page's script."""
from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import FileResponse, HttpResponse, QueryDict, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import activities, page_frame, ui
from .errors import Invalid, Refused


def respond(request, screen, header=""):
    """GET shows the screen; POST performs the posted action and shows the result.

    `header`: HTML an adapter shows above every screen (the LTI tool's supervisor bar).
    """
    screens = activities.screens(screen.activity)
    if request.method == "POST":
        screen.uploads = request.FILES
        file = _download(request, screens, screen)
        if file is not None:
            return file
        status, inner = screens.handle(screen, request.POST)
    else:
        status, inner = 200, screens.render(screen)
    return screen_response(request, screen, mark_safe(header) + inner, status)


def _download(request, screens, screen):
    """The file a posted form asks for (a screens module's optional `download`), or None for a screen."""
    download = getattr(screens, "download", None)
    try:
        found = download(screen, request.POST) if download else None
    except Refused as refusal:
        return refusal_page(request, refusal, screen.language)
    if found is None:
        return None
    name, content_type, body = found
    if hasattr(body, "read"):  # a stored file, streamed in chunks rather than read whole
        response = FileResponse(body, content_type=content_type)
        response["Cache-Control"] = "private, no-store"
    elif streamed(body):  # an export, written as the rows are read
        response = StreamingHttpResponse(body, content_type=content_type)
        response["Cache-Control"] = "private, no-store"
    else:
        response = HttpResponse(body, content_type=content_type if isinstance(body, bytes)
                                else f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'{disposition(content_type)}; filename="{name}"'
    return response


def streamed(body):
    """Whether a file's body is an iterator of chunks (an export written as it goes) rather than whole."""
    return not isinstance(body, (bytes, str)) and hasattr(body, "__iter__")


def disposition(content_type):
    """A page (a document's print view) opens in the browser; any other file is saved."""
    return "inline" if content_type == "text/html" else "attachment"


def screen_response(request, screen, inner, status=200):
    if request.META.get("HTTP_X_REQUESTED_WITH") == "fetch":  # request.headers would copy every header first
        return HttpResponse(inner, status=status)
    return HttpResponse(page_frame.page(screen, inner, _title(screen)), status=status)


def _title(screen):
    try:
        return activities.find(screen.actor.course, screen.activity, screen.key).title(screen.language)
    except Refused:
        with translation.override(screen.language):
            return _("Field training log")


def refusal_page(request, refusal, language):
    """A whole page saying why a request was refused, in the person's language."""
    return message_page(refusal.message, language, refusal.status)


def message_page(message, language, status):
    """A whole page of one message, in the person's language; it reads neither the database nor the cache."""
    with translation.override(language):
        page = render_to_string(
            "maydan/refused.html", {"message": message, "language": language, "direction": ui.direction(language)})
    return HttpResponse(page, status=status)


def form_data(body: bytes):
    """Form fields from a url-encoded body, as a QueryDict whatever the web framework.

    Held to Django's own limits on a request's size and number of fields (a web framework other
    than Django, such as the XBlock runtime's, does not apply them): Invalid beyond them."""
    if len(body or b"") > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        raise Invalid(_("This form is too large: at most %(max)s MB.")
                      % {"max": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_000_000:.1f}"})
    try:
        return QueryDict(body.decode("utf-8", errors="replace") if body else "")
    except TooManyFieldsSent:
        raise Invalid(_("This form has too many fields."))
