"""What the field log's first screens (the student's log, the supervisors' overview) draw around their body, written
in Python rather than fieldlog/_layout.html with _error_summary.html and notify/_mail.html: the heading, who is
reading, the messages, the form's errors listed, and the e-mail section.

Its fixed words are put in once per language and kept (`KEPT`, keyed by the language alone); the course, the person,
the messages and the e-mail address are written in on every draw, escaped, as the templates wrote them.
"""
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..templatetags.maydan_rows import hidden_inputs
from .entry_form import shapes_in_language, value

# [[…]]: a word put in once per language; {…}: a value put in on every draw. The blank lines are the included
# templates' last line breaks.
LAYOUT = """<header class="maydan-header">
  <h2>{heading}</h2>
  <p class="maydan-who"><bdi>{course}</bdi>{name}{role}</p>
</header>
<div class="maydan-messages" role="status" aria-live="polite">
  {notice}
  {error}
</div>
{error_summary}

{body}
{mail}

"""
ERROR_SUMMARY = """<div class="maydan-error-summary" role="alert" aria-labelledby="maydan-error-summary-title" \
tabindex="-1">
  <h3 id="maydan-error-summary-title">[[problem]]</h3>
  <ul>{errors}
    {refused}</ul>
</div>"""
MAIL = """<section class="maydan-mail">
  <h3>[[email]]</h3>
  {mail}
</section>"""
MAIL_ADDRESS = """<p>{writes_to}
    <a href="{preferences}" target="_blank" rel="noopener">[[how_often]]</a></p>
  """
MAIL_FORM = """<p class="maydan-hint">[[no_address]]</p>
  <form class="maydan-inline" method="post" action="{endpoint}">{hidden}
    <input type="hidden" name="action" value="add_email">
    <label>[[your_email]] <input type="email" name="email" dir="ltr" maxlength="254" autocomplete="email" required>\
</label>
    <button type="submit">[[add]]</button>
  </form>"""
SHAPES = ("ERROR_SUMMARY", "MAIL", "MAIL_ADDRESS", "MAIL_FORM")
# The headings a screen names (its template's {% block heading %}).
LOG, STUDENTS = "log", "students"
# {language: {shape's name or heading: the shape with its words put in, or the heading}}
KEPT = {}


def words():
    """The fixed words in the active language, as {% translate "…" %} wrote them (a literal's translation is safe)."""
    return {"problem": _("There is a problem"), "email": _("E-mail"), "how_often": _("Choose how often you hear from us"),
            "no_address": _("Your platform gave Maydan no e-mail address. Add one to hear when entries are returned, "
                            "grades released and work waits for you."),
            "your_email": _("Your e-mail"), "add": _("Add")}


def _kept():
    return shapes_in_language(KEPT, {name: globals()[name] for name in SHAPES}, words,
                              **{LOG: lambda: _("Field training log"), STUDENTS: lambda: _("Field training: students")})


def draw(screen, context, heading, body):
    """The screen `body` (HTML) under the heading `heading` (LOG or STUDENTS), with `context`'s course, role label and
    e-mail settings (fieldlog.screens._context)."""
    kept = _kept()
    person = screen.actor.person
    name = getattr(person, "name", "")
    return SafeString(LAYOUT.format(
        heading=kept[heading], course=value(context["course"].title),
        name=f" · <bdi>{value(name)}</bdi>" if name else "",
        role=f" · {value(context['role_label'])}" if context["role_label"] else "",
        notice=f'<p class="maydan-notice">{value(screen.notice)}</p>' if screen.notice else "",
        error=f'<p class="maydan-error" role="alert">{value(screen.error)}</p>' if screen.error else "",
        error_summary=_error_summary(kept, screen), body=body, mail=_mail(kept, context["mail"], screen)))


def _error_summary(kept, screen):
    if not (screen.errors or screen.refused):
        return ""
    errors = "".join(f'<li><a href="#err-{value(name)}">{value(message)}</a></li>'
                     for name, messages in screen.errors.items() for message in messages)
    refused = "".join(f'<li><a href="#entry-{value(entry_id)}">{value(message)}</a></li>'
                      for entry_id, message in screen.refused)
    return kept["ERROR_SUMMARY"].format(errors=errors, refused=refused)


def _mail(kept, mail, screen):
    if not mail:
        return ""
    if mail.get("address"):
        shown = kept["MAIL_ADDRESS"].format(
            writes_to=_('Maydan writes to <bdi dir="ltr">%(address)s</bdi>.') % {"address": value(mail["address"])},
            preferences=value(mail.get("preferences_url", "")))
    else:
        shown = kept["MAIL_FORM"].format(endpoint=value(screen.endpoint), hidden=hidden_inputs(screen) + "\n")
    return kept["MAIL"].format(mail=shown)
