"""The one address of a scenario's media files: a signed pass checked on every request (see media.py)."""
from django.http import FileResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from .. import pages
from ..errors import Refused
from ..views import asked_language
from . import media

# A media file is shown, never run: an SVG opened on its own cannot script the site.
SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@require_GET
def simulation_media(request, name):
    language = asked_language(request) or translation.get_language_from_request(request)
    with translation.override(language):
        try:
            file, content_type = media.opened(request.GET.get("v", ""), name)
        except Refused as refusal:
            return pages.refusal_page(request, refusal, language)
    response = FileResponse(file, content_type=content_type)
    response["Content-Security-Policy"] = SANDBOX
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response
