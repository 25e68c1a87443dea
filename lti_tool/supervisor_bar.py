"""The course staff's navigation above a launched screen, written in Python rather than a template: it is on every
staff launch's answer, and each of its five forms' addresses was looked up and its words translated on every draw.

What it shows but the launch context is kept (`KEPT`, keyed by the language, the address prefix and which of the
tools this person may open); the launch context and its language are written in on every draw, escaped.
"""
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _, gettext_noop

FORM = """<form method="post" action="{action}" id="{id}" data-leave>
<input type="hidden" name="ctx" value="\x00token\x00"><input type="hidden" name="lang" value="\x00language\x00">
<button type="submit">{label}</button></form>"""
# (who may open them, ((URL name, form id, label), …))
TOOLS = (
    ("supervise", (("lti:dashboard", "maydan-cohort-dashboard", gettext_noop("Cohort dashboard")),
                   ("lti:grades", "maydan-grade-delivery", gettext_noop("Grades sent to the platform")),
                   ("lti:roster", "maydan-roster", gettext_noop("Update the roster from the platform")))),
    ("configure", (("lti:settings", "maydan-course-settings", gettext_noop("Course settings")),)),
    ("author", (("lti:scenarios", "maydan-course-scenarios", gettext_noop("Case scenarios")),)),
)
# {(language, script prefix, supervise, configure, author): the bar with {token} and {language} to put in}
KEPT = {}


def _shape(may):
    """The bar in the active language, the launch context's places marked {token} and {language}."""
    parts = ["\n".join(FORM.format(action=conditional_escape(reverse(url)), id=form_id,
                                   label=conditional_escape(_(label))) for url, form_id, label in tools)
             if may[who] else "" for who, tools in TOOLS]
    summary = conditional_escape(_("Course tools"))  # outside the f-string, where makemessages finds it
    bar = (f'<details class="maydan-menu maydan-noprint" id="maydan-supervisor-bar">\n'
           f'<summary>{summary}</summary>\n<div class="maydan-menu-items">\n'
           + "\n".join(parts) + "\n</div>\n</details>\n")
    # Braces a word or an address holds are text, not a value's place.
    return bar.replace("{", "{{").replace("}", "}}").replace("\x00token\x00", "{token}").replace(
        "\x00language\x00", "{language}")


def draw(token, language, may):
    """The bar for a person who may open the tools `may` names ({"supervise", "configure", "author": bool})."""
    key = (language, get_script_prefix(), may["supervise"], may["configure"], may["author"])
    shape = KEPT.get(key)
    if shape is None:
        with translation.override(language):
            shape = KEPT[key] = _shape(may)
    return SafeString(shape.format(token=conditional_escape(token), language=conditional_escape(language)))
