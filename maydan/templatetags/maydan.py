from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from .. import vocab

register = template.Library()


@register.simple_tag
def field_state(errors, name):
    """Marks an input invalid and ties it to its messages, for screen readers too."""
    if name in errors:
        return format_html('aria-invalid="true" aria-describedby="err-{}"', name)
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
