"""One e-mail from notification rows: plain text and HTML (RTL in Arabic), the product's name as sender,
a one-click unsubscribe (RFC 8058) for the kind, a link to the preferences."""
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .. import ui
from ..fieldlog import links
from ..paths import path_of
from . import services
from .models import KINDS


absolute = links.public_url  # mails lead where agency links do: the app's public host


def absolute_preferences(address):
    return absolute(path_of("maydan:notify-preferences", services.preferences_token(address)))


def sender():
    """The product's name (in the recipient's language) before the configured address."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((_("Maydan"), address or "maydan@localhost"))


def context(rows):
    lead = rows[0]
    items = [item for row in rows for item in row.content.get("items", [])]
    if len(rows) == 1:
        subject, intro = lead.subject, lead.content.get("intro", "")
        url, action = lead.content.get("url", ""), lead.content.get("action", "")
        if lead.content.get("open"):  # the page that shows this notification's matter, read-only
            url = absolute(reverse("maydan:notify-open", args=[services.open_token(lead)]))
    else:
        subject = _("%(kind)s: %(count)d updates") % {"kind": KINDS[lead.kind], "count": len(rows)}
        intro, url, action = "", "", ""
    return {
        "subject": subject, "intro": intro, "items": items, "url": url, "action": action or _("Open"),
        "outro": lead.content.get("outro", ""),
        "language": lead.language, "direction": ui.direction(lead.language), "kind": KINDS[lead.kind],
        "unsubscribe_url": absolute(reverse("maydan:notify-unsubscribe",
                                            args=[services.unsubscribe_token(lead.address, lead.kind)])),
        "preferences_url": absolute_preferences(lead.address),
    }


def message(rows, connection=None):
    lead = rows[0]
    with translation.override(lead.language):
        data = context(rows)
        text = render_to_string("maydan/notify/email.txt", data)
        html = render_to_string("maydan/notify/email.html", data)
        email = EmailMultiAlternatives(
            subject=data["subject"], body=text, from_email=sender(), to=[lead.address], connection=connection,
            headers={
                "List-Unsubscribe": f"<{data['unsubscribe_url']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
                "Content-Language": lead.language,
            },
        )
    email.attach_alternative(html, "text/html")
    return email
