"""What every Maydan XBlock shares: who is here, how a form arrives, how a screen is served.

A block shows one activity kind's screens (maydan.activities): it turns the Open edX
runtime (course key, anonymous user id, role and language from the `user` service) into a
core `Actor` and hands the screen to the core. No domain rule lives here.

The core is imported inside methods: its models need Django's app registry, and Open edX
and the workbench may import XBlock classes (entry points) before it is ready.
"""
import json
from importlib import resources
from urllib.parse import urlsplit

from django.conf import settings
from django.http import QueryDict
from django.template.loader import render_to_string  # only called at render time, with settings configured
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from web_fragments.fragment import Fragment
from webob import Response

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

    The blocks' script posts url-encoded bodies. A multipart body in a Django host (LMS,
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


def posted(request):
    """A JSON object body, or the form fields."""
    if (request.content_type or "").endswith("json"):
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = None
        return data if isinstance(data, dict) else {}
    return form_of(request)


def package_text(*path):
    return resources.files("maydan").joinpath("static", "maydan", *path).read_text(encoding="utf-8")


def own_text(*path):
    return resources.files(__package__).joinpath(*path).read_text(encoding="utf-8")


class ScreensBlock:
    """Mixed into a block that shows the core's screens of one activity kind (`ACTIVITY`)."""

    ACTIVITY = ""

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
            endpoint=self.runtime.handler_url(self, "act"),
            link_url=links.url_for,
        )

    def _screens(self):
        from maydan import activities

        return activities.screens(self.ACTIVITY)

    def _fragment(self, screen):
        """The learner-facing view: the screen inside the shared root, with the shared script."""
        inner = self._safely(screen, lambda: self._screens().render(screen))[1]
        with translation.override(screen.language):
            html = render_to_string("maydan/root.html", {"screen": screen, "inner": mark_safe(inner)})
        fragment = Fragment(html)
        fragment.add_css(package_text("maydan.css"))
        fragment.add_javascript(package_text("maydan.js"))
        fragment.initialize_js("MaydanFieldLog")
        return fragment

    def _answer(self, request, screen):
        """(status, html) of the posted action, as a webob Response."""
        status, html = self._safely(screen, lambda: self._screens().handle(screen, form_of(request)))
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
