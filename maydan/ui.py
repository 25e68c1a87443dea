"""What every capability's screens share: the `Screen` an adapter builds, the language and digits
a screen is drawn in, and how a posted action is performed and the screen drawn again.

An adapter builds a `Screen` (who, in which language, where forms post to) and calls the
activity's `render()` for a first view or `handle()` for a posted form (maydan.activities finds
them). Every form posts back to the same endpoint with an `action`; the answer is the screen's
HTML again, so no string lives in JavaScript and a posted form that fails comes back with the
person's input and the reasons, in their language.
"""
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from . import numbers, parse, roles
from .errors import Invalid, Refused

RTL_LANGUAGES = {"ar", "fa", "he", "ur"}


@dataclass
class Screen:
    actor: object
    language: str = "ar"
    # Which activity this screen shows (maydan.activities): its kind and, e.g., the scenario id.
    activity: str = "fieldlog"
    key: str = ""
    # How this placement plays a case simulation: "practice" or "assessment" (the adapter's setting).
    mode: str = "assessment"
    endpoint: str = ""
    # Sent back with every form: the LTI tool's signed launch context, for instance.
    hidden: dict = field(default_factory=dict)
    # Turns an agency-link token into the absolute URL handed to the agency supervisor.
    link_url: object = None
    view: str = "home"
    placement_id: str = ""
    entry_id: str = ""
    filters: dict = field(default_factory=dict)
    form: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    error: str = ""
    notice: str = ""
    new_link: str = ""
    # Entries a bulk sign-off left alone, each with its reason: (entry id, message).
    refused: list = field(default_factory=list)
    # Files posted with the form, by field name: each has `name` and `read(n)` (the adapter's uploads).
    uploads: dict = field(default_factory=dict)
    # The status of a refusal met while the screen was drawn (see `draw`); None when it was drawn whole.
    refused_status: int | None = None
    # What the posted action just wrote (a simulation attempt, say): drawn as it is, not read again.
    acted_on: object = None

    @property
    def direction(self):
        return direction(self.language)


@contextmanager
def speaking(screen):
    """Draw or handle a screen in its language, with its course's digits."""
    course = getattr(screen.actor, "course", None)
    with translation.override(screen.language), numbers.digits_of(getattr(course, "digits", "latn")):
        yield


def direction(language):
    return "rtl" if (language or "").split("-")[0] in RTL_LANGUAGES else "ltr"


def draw(screen, view, refused_template, extra):
    """A screen of an activity with views: `view(screen)` gives (template, values), `extra(screen)` the values
    every view shares; a refusal draws `refused_template` with its message instead."""
    with speaking(screen):
        try:
            template, context = view(screen)
        except Refused as refusal:
            # The adapter answers with the refusal's status (see the activity's `handle`).
            screen.error, screen.refused_status = str(refusal.message), refusal.status
            template, context = refused_template, {}
        # Every form posts its view back: inside the cohort block, that is how a post finds these screens.
        screen.hidden = {**screen.hidden, "view": screen.view}
        context.update(screen=screen, course=screen.actor.course, role_label=role_label(screen.actor), **extra(screen))
        return render_to_string(template, context)


def perform(screen, form, actions, draw):
    """Every activity's `handle`: run the posted action, then draw the screen.

    A refusal does not escape: the screen is drawn again with its message and the
    fields it names, so the person keeps what they typed. Returns (HTTP status, HTML).
    """
    with speaking(screen):
        status = 200
        try:
            parse.check_form(form)
            action = form.get("action", "view")
            if action not in actions:
                raise Invalid(_("Unknown action."))
            actions[action](screen, form)
        except Refused as refusal:
            status = refusal.status
            screen.error = str(refusal.message)
            screen.errors = refusal.field_errors
        try:
            return status, draw(screen)
        except Refused as refusal:  # the screen itself cannot be drawn (its scenario or form is gone)
            return refusal.status, format_html('<p class="maydan-error" role="alert">{}</p>', str(refusal.message))


def role_label(actor):
    """How the screens name the person's role: the highest of theirs."""
    for role in (roles.COORDINATOR, roles.ACADEMIC, roles.AGENCY, roles.AUTHOR, roles.STUDENT):
        if actor.has(role):
            return roles.LABELS[role]
    return ""
