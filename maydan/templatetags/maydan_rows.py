"""What every row of a list screen draws (a progress bar, the button that opens the row's placement,
a form's hidden context), written in Python rather than included templates: a list of sixty students
would include them sixty times, and an included template costs a tenth of a millisecond each time."""
from django import template
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


# Where a drawing kept for other screens (an entry's card, the overview's rows) holds the hidden context: each screen's
# own (its launch token differs from launch to launch) is written in when it is shown (`with_hidden`). A comment no
# escaped text can make.
HIDDEN_CONTEXT = SafeString("<!--maydan-hidden-context-->")


def with_hidden(drawn, screen):
    """A kept drawing with `screen`'s hidden context written in."""
    return SafeString(drawn.replace(HIDDEN_CONTEXT, hidden_inputs(screen)))


@register.simple_tag
def hidden_inputs(screen):
    """The context a screen's every form posts back (the launch token, the language…), written once
    per screen and `hidden` (every row's form carries the same, and the token is long to escape)."""
    items = tuple(screen.hidden.items())
    written = getattr(screen, "_hidden_inputs", None)
    if written is None or written[0] != items:
        written = screen._hidden_inputs = (items, format_html_join("", '<input type="hidden" name="{}" value="{}">', items))
    return written[1]


@register.simple_tag
def progress_bar(percent, pending=None, small=False, label="", labelledby=""):
    """A bar of approved hours (and, unless `pending` is None or not given, those waiting beside them),
    in percent. Named by `labelledby` (an element's id) or else by `label`."""
    return format_html(
        '<div class="maydan-bar{}" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{}"{}>'
        '<span class="maydan-bar-approved" style="inline-size: {}%"></span>{}</div>\n',
        " maydan-bar-small" if small else "", _plain(percent),
        format_html(' aria-labelledby="{}"', labelledby) if labelledby else format_html(' aria-label="{}"', label),
        _plain(percent),
        "" if pending in (None, "") else format_html('<span class="maydan-bar-pending" style="inline-size: {}%"></span>',
                                               _plain(pending)))


@register.simple_tag(takes_context=True)
def open_placement(context, view, placement):
    """A row's "Open" button: the screen's `view` of this placement."""
    screen = context["screen"]
    return open_button(screen.endpoint, hidden_inputs(screen), view, placement)


def open_button(endpoint, hidden, view, placement):
    return format_html(
        '<form method="post" action="{}">{}\n\n  <input type="hidden" name="view" value="{}">'
        '<input type="hidden" name="placement" value="{}">\n'
        '  <button type="submit" name="action" value="view">{}</button></form>\n',
        endpoint, hidden, view, localize(placement), _("Open"))


def _plain(number):
    """A number as an attribute carries it (Django's `unlocalize`): never "33,3"."""
    return localize(number, use_l10n=False)
