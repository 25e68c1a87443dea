"""The pages e-mails link to: unsubscribe (RFC 8058 one-click), preferences, address confirmation, and the
notification's own page. The signed token in the address is the credential: no account, no cookie."""
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from .. import pages, ui
from ..errors import Refused
from ..views import asked_language
from . import mail, services
from .models import CADENCES, KINDS, Notification


def _language(request, default="ar"):
    return asked_language(request) or default


def _address_language(address):
    last = Notification.objects.filter(address=address).order_by("-id").values_list("language", flat=True).first()
    return last or "ar"


def _page(request, template, language, status=200, **context):
    with translation.override(language):
        body = render_to_string(f"maydan/notify/{template}", {
            "language": language, "direction": ui.direction(language), **context}, request=request)
    return HttpResponse(body, status=status)


def _refused(request, refusal, language):
    return pages.refusal_page(request, refusal, language)


# Mail clients post the one-click unsubscribe without cookies (RFC 8058): the token is the credential.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        address, kind = services.read_unsubscribe(token)
    except Refused as refusal:
        return _refused(request, refusal, _language(request))
    language = _language(request, _address_language(address))
    if request.method == "POST":
        services.set_cadence(address, kind, "never")
    with translation.override(language):
        kind_label = str(KINDS[kind])
    return _page(request, "unsubscribe.html", language, done=request.method == "POST", kind=kind_label,
                 preferences_url=mail.absolute_preferences(address))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    try:
        address = services.read_preferences(token)
    except Refused as refusal:
        return _refused(request, refusal, _language(request))
    language = _language(request, _address_language(address))
    saved = False
    if request.method == "POST":
        try:
            with translation.override(language):
                for kind in services.cadences(address):
                    value = request.POST.get(kind)
                    if value is not None:
                        services.set_cadence(address, kind, value)
        except Refused as refusal:
            return _refused(request, refusal, language)
        saved = True
    chosen = services.cadences(address)
    with translation.override(language):
        rows = [{"kind": kind, "label": str(KINDS[kind]), "value": value} for kind, value in chosen.items()]
        options = [(value, str(label)) for value, label in CADENCES.items()]
    return _page(request, "preferences.html", language, rows=rows, options=options, saved=saved)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    language = _language(request)
    if request.method == "GET":
        return _page(request, "confirm.html", language, done=False)
    try:
        person = services.confirm_address(token)
    except Refused as refusal:
        return _refused(request, refusal, language)
    return _page(request, "confirm.html", language, done=True, address=person.email)


@require_GET
def opened(request, token):
    try:
        row = services.read_open(token)
    except Refused as refusal:
        return _refused(request, refusal, _language(request))
    language = _language(request, row.language)
    with translation.override(row.language):
        data = mail.context([row])
    data.pop("language"), data.pop("direction")
    return _page(request, "opened.html", language, **data)


@require_GET
def demo_outbox(request):
    """The demo's outbox: every e-mail written, as the person receives it. Never served in production."""
    rows = list(Notification.objects.order_by("-id")[:50])
    shown = []
    for row in rows:
        message = mail.message([row])
        shown.append({"row": row, "message": message, "html": message.alternatives[0][0],
                      "headers": message.extra_headers})
    language = _language(request, "en")
    with translation.override(language):
        title = _("Demo outbox")
    return _page(request, "outbox.html", language, shown=shown, title=title)
