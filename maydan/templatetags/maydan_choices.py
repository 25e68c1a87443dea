"""The log's fixed lists as a form's options, kept drawn per language (maydan.fieldlog.choices)."""
from django import template

from ..fieldlog import choices

register = template.Library()
register.simple_tag(choices.options, name="options")
register.simple_tag(choices.competency_checks, name="competency_checks")
register.simple_tag(choices.category_name, name="category_name")
