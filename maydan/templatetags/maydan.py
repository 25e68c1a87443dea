from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def field_state(errors, name):
    """Marks an input invalid and ties it to its messages, for screen readers too."""
    if name in errors:
        return format_html('aria-invalid="true" aria-describedby="err-{}"', name)
    return ""


@register.simple_tag
def field_errors(errors, name):
    return format_html_join(
        "", '<span class="maydan-field-error" id="err-{}">{}</span>', ((name, m) for m in errors.get(name, ()))
    )
