from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils import translation
from django.utils.translation import gettext as _

from .. import numbers, vocab

register = template.Library()


@register.simple_tag
def field_state(errors, name):
    """Marks an input invalid and ties it to its messages, for screen readers too; the first invalid
    field of the page takes the focus (only the first `autofocus` of a document counts)."""
    if name in errors:
        return format_html('aria-invalid="true" aria-describedby="err-{}" autofocus', name)
    return ""


@register.simple_tag
def field_errors(errors, name):
    """A field's messages; one that found a client identifier shows it highlighted in the text."""
    return format_html_join("", "{}", ((_field_error(name, m),) for m in errors.get(name, ())))


def _field_error(name, message):
    if getattr(message, "excerpt", None):
        return render_to_string("maydan/_identifier_found.html", {"name": name, "message": message})
    return format_html('<span class="maydan-field-error" id="err-{}">{}</span>', name, message)


@register.filter
def audit_action(action):
    return vocab.AUDIT_ACTIONS.get(action, action)


@register.filter
def audit_actor(event):
    if event.actor is not None:
        return str(event.actor)
    return _("agency supervisor (link)") if event.via.startswith("agency link") else event.via


def _language():
    return translation.get_language() or "en"


@register.filter
def number(value, places=2):
    """A number for reading, in the current language (maydan.numbers); never inside an input's value."""
    return numbers.screen_number(value, _language(), int(places))


@register.filter
def hours(value):
    """Hours for reading: "6.98" becomes "6.98" in English and Arabic alike, never "6,98" beside "18.5"."""
    return numbers.screen_number(value, _language(), 2)


@register.filter
def percent(fraction):
    """A fraction (0..1) as a whole percentage for reading: 0.1667 -> "17%"."""
    if fraction in (None, ""):
        return ""
    return f"{numbers.screen_number(float(fraction) * 100, _language(), 0)}%"


@register.filter
def ltr(value):
    """A date, time, code or address that reads left to right, isolated inside a sentence of either
    direction ("2026-11-28" stays so in Arabic, not "28-11-2026")."""
    if value in (None, ""):
        return value
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.inclusion_tag("maydan/_link_handoff.html")
def link_handoff(address, placement, label=""):
    """An agency link handed on: copied, sent by e-mail or shared on WhatsApp, with a message written in
    the course's language (the agency supervisor reads the course's language, not the sender's)."""
    from urllib.parse import quote, urlencode  # noqa: PLC0415 (only this tag needs it)

    with translation.override(placement.course.language or _language()):
        subject = _("Field training log of %(student)s") % {"student": placement.student}
        body = _("Hello,\n\nPlease review the field training of %(student)s at %(agency)s through this link; "
                 "it needs no account and stops working on its own:\n%(address)s") % {
            "student": placement.student, "agency": placement.agency or "—", "address": address}
    return {
        "address": address,
        "label": label or _("New link:"),
        "mailto": "mailto:?" + urlencode({"subject": subject, "body": body}, quote_via=quote),
        "whatsapp": "https://wa.me/?" + urlencode({"text": body}, quote_via=quote),
    }


@register.inclusion_tag("maydan/_copy_field.html")
def copy_field(address, label, field_id):
    """A read-only address with a Copy button; without JavaScript the address can still be selected."""
    return {"address": address, "label": label, "field_id": field_id}
