"""What every Maydan block shares: who is here, the screens' one handler, grade delivery, Studio basics.

A block is a thin adapter: it turns what the Open edX runtime knows (course key, usage key,
anonymous user id, role and language from the `user` service) into a core `Actor`, shows
the core's screens for its activity (`maydan.activities`) and delivers the core's queued
grades. No rule of the domain is written here.

The core is imported inside methods: its models need Django's app registry, and Open edX
and the workbench may import XBlock classes (entry points) before it is ready.
"""
import json
import math
from importlib import resources
from urllib.parse import urlsplit

from django.conf import settings
from django.http import QueryDict
from django.template.loader import render_to_string  # only called at render time, with settings configured
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from web_fragments.fragment import Fragment
from webob import Response
from xblock.core import XBlock

# Which students an agency supervisor with an account mentors, as a list of anonymous user
# ids. Open edX has no such attribute: the workbench demo's user service sets it
# (xblocks/demo.py), as an LTI platform would send role_scope_mentor.
MENTEES_ATTR = "maydan.mentees"


def issuer():
    """The identity issuer for people and courses seen through Open edX."""
    host = urlsplit(getattr(settings, "LMS_ROOT_URL", "") or "").hostname
    return f"openedx:{host}" if host else "openedx"


def form_of(request):
    """The posted form fields as a QueryDict.

    The block's script posts url-encoded bodies. A multipart body in a Django host (LMS,
    workbench) was already consumed by the CSRF middleware, so it is read from request.POST.
    """
    from maydan import pages

    if (request.content_type or "").startswith("multipart/"):
        form = QueryDict(mutable=True)
        for key, value in request.POST.items():
            if isinstance(value, str):
                form.appendlist(key, value)
        return form
    return pages.form_data(request.body)


def package_text(*path):
    return resources.files("maydan").joinpath("static", "maydan", *path).read_text(encoding="utf-8")


def own_text(*path):
    return resources.files(__package__).joinpath(*path).read_text(encoding="utf-8")


def posted(request):
    """A Studio post: JSON (the editor's script) or a form."""
    if (request.content_type or "").endswith("json"):
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = None
        return data if isinstance(data, dict) else {}
    return form_of(request)


def valid_weight(weight):
    return weight is not None and math.isfinite(weight) and weight >= 0


class MaydanBlock(XBlock):
    """Base of the Maydan blocks. Subclasses name their activity kind and declare `display_name`
    (defaulting to DEFAULT_DISPLAY_NAME) and `weight` fields."""

    ACTIVITY = ""
    DEFAULT_DISPLAY_NAME = ""

    has_score = True
    icon_class = "problem"

    def max_score(self):
        return self.weight

    def activity_key(self):
        """Which item of the activity kind this block shows (e.g. an evaluation form's id)."""
        return ""

    # --- who is here ----------------------------------------------------------------

    def _course_id(self):
        """The course key as a string, whichever runtime we run in.

        LMS/Studio and tests with opaque keys: `context_key`. The workbench uses plain string
        usage ids and sets `course_id` on the block inside render()/handle(); older runtimes
        carry `runtime.course_id`. Outside any course, the block is its own context.
        """
        for candidate in (self.context_key, getattr(self, "course_id", None), getattr(self.runtime, "course_id", None)):
            if candidate:
                return str(candidate)
        return str(self.scope_ids.usage_id)

    def _enter(self):
        """(actor, language) for the person this runtime renders for."""
        from maydan import people, roles
        from maydan.models import Person

        service = self.runtime.service(self, "user")
        user = service.get_current_user() if service is not None else None
        attrs = getattr(user, "opt_attrs", None) or {}
        subject = attrs.get("edx-platform.anonymous_user_id") or str(self.scope_ids.user_id)
        emails = getattr(user, "emails", None) or []
        actor = people.enter(
            issuer(),
            self._course_id(),
            subject,
            roles.from_openedx(attrs.get("edx-platform.user_role")),
            name=getattr(user, "full_name", "") or "",
            email=emails[0] if emails else "",
        )
        mentees = attrs.get(MENTEES_ATTR)
        if mentees and actor.has(roles.AGENCY):
            students = Person.objects.filter(issuer=issuer(), subject__in=list(mentees))
            people.assign_agency_supervisor(actor.course, actor.person, students)
        prefs = attrs.get("edx-platform.user_preferences") or {}
        language = prefs.get("pref-lang") or translation.get_language() or actor.course.language
        return actor, language

    def _screen(self, actor, language):
        from maydan import links, ui

        return ui.Screen(
            actor=actor,
            language=language,
            activity=self.ACTIVITY,
            key=self.activity_key(),
            endpoint=self.runtime.handler_url(self, "act"),
            link_url=links.url_for,
        )

    # --- grades -------------------------------------------------------------------------

    def _destination(self):
        return f"xblock:{self.scope_ids.usage_id}"

    def _grade_activity(self):
        """The activity name the core queues this block's grades under (maydan.grades.queue_grade)."""
        return self.ACTIVITY

    def _deliver_grade(self, actor):
        """Register this block as a place the course's grade goes, and hand the current
        student their pending grade.

        Open edX publishes a grade for the runtime's user only: when a supervisor decides a
        grade here, nothing can be published for the student. The core queues the grade,
        and it goes out on the student's next visit to this block.
        """
        from maydan import grades, roles

        destination = self._destination()
        grades.register_destination(actor.course, destination, activity=self._grade_activity())
        if not actor.has(roles.STUDENT) or actor.person is None:
            return
        row = grades.pending(destination, actor.person)
        if row is not None:
            grades.deliver(row, send=self._publish_grade)

    def _publish_grade(self, score):
        self.runtime.publish(self, "grade", {"value": score * self.max_score(), "max_value": self.max_score()})

    # --- the learner-facing view and its one handler --------------------------------------

    def student_view(self, context=None):
        from maydan import activities

        actor, language = self._enter()
        self._deliver_grade(actor)
        screen = self._screen(actor, language)
        screens = activities.screens(self.ACTIVITY)
        inner = self._safely(screen, lambda: screens.render(screen))[1]
        with translation.override(language):
            html = render_to_string("maydan/root.html", {"screen": screen, "inner": mark_safe(inner)})
        fragment = Fragment(html)
        fragment.add_css(package_text("maydan.css"))
        fragment.add_javascript(package_text("maydan.js"))
        fragment.initialize_js("MaydanFieldLog")
        return fragment

    @XBlock.handler
    def act(self, request, suffix=""):
        """Every form of the screens posts here; the answer is the screen's HTML again."""
        from maydan import activities

        if request.method != "POST":
            return Response(status=405, allow="POST")
        actor, language = self._enter()
        screen = self._screen(actor, language)
        screens = activities.screens(self.ACTIVITY)
        status, html = self._safely(screen, lambda: screens.handle(screen, form_of(request)))
        self._deliver_grade(actor)
        return Response(text=html, status=status, content_type="text/html", charset="utf-8")

    @staticmethod
    def _safely(screen, make):
        """(status, html) of a screen; a refusal raised while drawing it becomes its message."""
        from maydan.errors import Refused

        try:
            result = make()
        except Refused as refusal:
            with translation.override(screen.language):
                message = str(refusal.message)
            return refusal.status, format_html('<p class="maydan-error" role="alert">{}</p>', message)
        return result if isinstance(result, tuple) else (200, result)

    # --- Studio -----------------------------------------------------------------------------

    @staticmethod
    def _studio_fragment(html):
        """A Studio editor: the settings form posts its fields as JSON to `studio_submit`."""
        fragment = Fragment(html)
        fragment.add_css(package_text("maydan.css"))
        fragment.add_javascript(own_text("static", "fieldlog_studio.js"))
        fragment.initialize_js("MaydanFieldLogStudio")
        return fragment

    def _title(self, language):
        """The display name, translated when it is still the default."""
        with translation.override(language):
            if self.display_name in ("", self.DEFAULT_DISPLAY_NAME):
                return _(self.DEFAULT_DISPLAY_NAME)
            return self.display_name

    def _block_settings(self, data, invalid):
        """The block's own fields from the posted data (the XBlock's field types, not a domain rule)."""
        display_name = str(data.get("display_name", self.display_name) or "").strip() or self.DEFAULT_DISPLAY_NAME
        raw = data.get("weight", self.weight)
        try:
            weight = float(raw)
        except (TypeError, ValueError):
            weight = -1.0
        if not valid_weight(weight):
            message = _("The weight must be a number, 0 or more.")
            raise invalid(message, {"weight": [message]})
        return display_name[:255], weight

    @staticmethod
    def _refusal(refusal):
        return Response(
            json_body={"result": "error", "error": str(refusal.message),
                       "errors": {k: [str(m) for m in v] for k, v in refusal.field_errors.items()}},
            status=refusal.status,
        )
