"""The one address of a scenario's media files: a signed pass checked on every request (see media.py).

Recordings are asked for in byte ranges (a player seeking, or fetching the start first); a range is
answered with that part only, so a student can move back and forth in a recording."""
import re

from django.http import FileResponse, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from .. import pages
from ..errors import Refused
from ..views import asked_language
from . import media

# A media file is shown, never run: an SVG opened on its own cannot script the site.
SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
MAX_PART = 2 * 1024 * 1024  # a player asking for "the rest" gets it in parts of this size


@require_GET
def simulation_media(request, name):
    language = asked_language(request) or translation.get_language_from_request(request)
    with translation.override(language):
        try:
            file, content_type = media.opened(request.GET.get("v", ""), name)
        except Refused as refusal:
            return pages.refusal_page(request, refusal, language)
    size = file.seek(0, 2)
    file.seek(0)
    wanted = RANGE.match(request.headers.get("Range", "").strip())
    response = _part(file, size, wanted, content_type) if wanted and any(wanted.groups()) else \
        FileResponse(file, content_type=content_type)
    response["Accept-Ranges"] = "bytes"
    response["Content-Security-Policy"] = SANDBOX
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


def _part(file, size, wanted, content_type):
    first, last = wanted.groups()
    if first:
        start, end = int(first), int(last) if last else size - 1
    else:  # "bytes=-N": the last N bytes
        start, end = max(0, size - int(last)), size - 1
    with file:
        if start >= size or end < start:
            return HttpResponse(status=416, headers={"Content-Range": f"bytes */{size}"})
        end = min(end, size - 1, start + MAX_PART - 1)
        file.seek(start)
        response = HttpResponse(file.read(end - start + 1), status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response
