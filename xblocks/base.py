"""What every Maydan block shares: who is here, how forms are read, how grades leave.

A Maydan block is a thin adapter: it turns what the Open edX runtime knows (course key,
usage key, anonymous user id, role and language from the `user` service) into a core
`Actor`, shows the core's screens and hands pending grades of the core's outbox to
`runtime.publish`. The core is imported inside methods: its models need Django's app
registry, and Open edX and the workbench may import XBlock classes before it is ready.
"""
import math
from functools import lru_cache
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
ANONYMOUS_ID_ATTR = "edx-platform.anonymous_user_id"


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


def uploads_of(request):
    """The files of a multipart form, by field name: whatever the host, each value carries the file as `file`
    (a cgi.FieldStorage in plain WebOb, xblock's DjangoUploadedFile in the LMS and the workbench)."""
    if not (request.content_type or "").startswith("multipart/"):
        return {}
    return {key: value.file for key, value in request.POST.items() if getattr(value, "file", None) is not None}


def upload_of(request, field):
    """(stream, file name) of one file of a multipart form, or (None, "") when the form has none by that name."""
    stream = uploads_of(request).get(field)
    if stream is None:
        return None, ""
    return stream, str(getattr(request.POST.get(field), "filename", "") or "")


def posted(request):
    """A JSON object body, or the posted form; Invalid when the body is too large, too deep or not an object."""
    from maydan import parse
    from maydan.errors import Invalid

    if (request.content_type or "").endswith("json"):
        data = parse.parse_json(request.body or b"{}")
        if not isinstance(data, dict):
            raise Invalid(_("The text is not valid JSON."))
        parse.check_form(data)
        return data
    return form_of(request)


# The styles and scripts every fragment carries are read once per process: they change only with a release.
@lru_cache(maxsize=None)
def package_text(*path):
    return resources.files("maydan").joinpath("static", "maydan", *path).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def own_text(*path):
    return resources.files(__package__).joinpath(*path).read_text(encoding="utf-8")


def weight_from(data, current, invalid):
    """A block weight from posted data: a finite number, 0 or more (the XBlock field's rule)."""
    from maydan import parse

    weight = parse.optional_number(data.get("weight", current), low=0)
    if weight is None:
        message = _("The weight must be a number, 0 or more.")
        raise invalid(message, {"weight": [message]})
    return weight


def valid_weight(weight):
    return weight is not None and math.isfinite(weight) and weight >= 0


def read_once(block, names):
    """Read the fields `names` of `block` with one read of the runtime's store each.

    XBlock's Field.__get__ asks the store whether it holds a value, then reads it: two reads of a field an
    author set, each an SQL query where the store keeps fields apart (the workbench's). Here the value is
    read at once (FieldData.get raises KeyError for a value the store does not hold: then the default, as
    Field.__get__ takes it) and left in the block's field cache, where every later access of the field,
    the block's or the runtime's, finds it. A field already read or set on this block is not read again."""
    from xblock.fields import NO_CACHE_VALUE

    # pylint: disable=protected-access  # the field cache is the one Field.__get__ reads first
    for name in names:
        field = block.fields[name]
        if field._get_cached_value(block) is not NO_CACHE_VALUE:
            continue
        try:
            value = field.from_json(block._field_data.get(block, name))
        except KeyError:
            value = field._get_default_value_to_cache(block)
        field._set_cached_value(block, value)


class MaydanBlock:
    """Mixed into each Maydan XBlock, which names its activity kind (ACTIVITY) and defines
    `max_score()`; a block showing one item of its kind (a scenario, a form) overrides
    `_screen(actor, language)` and `_activity()` (the activity its grades are for)."""

    ACTIVITY = ""
    # The fields the learner's view and the screens' handler read, each read once per request (read_once).
    VIEW_FIELDS = ()

    def _screen(self, actor, language):
        from maydan import ui
        from maydan.fieldlog import links

        return ui.Screen(
            actor=actor,
            language=language,
            activity=self.ACTIVITY,
            endpoint=self.runtime.handler_url(self, "act"),
            link_url=links.url_for,
        )

    def _activity(self):
        return self.ACTIVITY

    # --- the learner-facing view and its one handler --------------------------------------

    def student_view(self, context=None):
        from maydan import activities

        read_once(self, self.VIEW_FIELDS)
        actor, language = self._enter()
        self._deliver_grade(actor, self._activity())
        screen = self._screen(actor, language)
        screens = activities.screens(screen.activity)
        return self._fragment(screen, self._safely(screen, lambda: screens.render(screen))[1], "MaydanFieldLog")

    @XBlock.handler
    def act(self, request, suffix=""):
        """Every form of the screens posts here; the answer is the screen's HTML again."""
        from maydan import activities

        if request.method != "POST":
            return Response(status=405, allow="POST")
        read_once(self, self.VIEW_FIELDS)
        actor, language = self._enter()
        screen = self._screen(actor, language)
        with translation.override(language):  # a refused form is refused in the person's language
            status, form = self._safely(screen, lambda: (200, form_of(request)))
        if status != 200:
            return Response(text=form, status=status, content_type="text/html", charset="utf-8")
        screen.uploads = uploads_of(request)
        download = self._download(screen, form)
        if download is not None:
            return download
        status, html = self._safely(screen, lambda: activities.screens(screen.activity).handle(screen, form))
        self._deliver_due(actor, form)
        return Response(text=html, status=status, content_type="text/html", charset="utf-8")

    def _download(self, screen, form):
        """The file the posted form asks for instead of a screen (the screens' `download`), or None."""
        from maydan import activities

        download = getattr(activities.screens(screen.activity), "download", None)
        status, found = self._safely(screen, lambda: (200, download and download(screen, form)))
        if status != 200:
            return Response(text=found, status=status, content_type="text/html", charset="utf-8")
        if not found:
            return None
        from maydan.pages import disposition, streamed

        name, content_type, body = found
        if hasattr(body, "read"):  # a stored file, streamed in chunks rather than read whole
            from webob.static import FileIter

            response = Response(app_iter=FileIter(body), content_type=content_type)
            response.cache_control = "private, no-store"
        elif streamed(body):  # an export, written as the rows are read
            response = Response(app_iter=body, content_type=content_type)
            response.cache_control = "private, no-store"
        elif isinstance(body, bytes):
            response = Response(body=body, content_type=content_type)
        else:
            response = Response(text=body, content_type=content_type, charset="utf-8")
        response.content_disposition = f'{disposition(content_type)}; filename="{name}"'
        return response

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

    def _user(self):
        """(user, optional attributes) from the runtime's user service."""
        service = self.runtime.service(self, "user")
        user = service.get_current_user() if service is not None else None
        return user, getattr(user, "opt_attrs", None) or {}

    def _enter(self):
        """(actor, language) for the person this runtime renders for."""
        from maydan import people, roles
        from maydan.models import Person

        user, attrs = self._user()
        subject = attrs.get(ANONYMOUS_ID_ATTR) or str(self.scope_ids.user_id)
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

    # --- grades -------------------------------------------------------------------------

    def _destination(self):
        return f"xblock:{self.scope_ids.usage_id}"

    def _deliver_grade(self, actor, activity):
        """Register this block as a place the course's `activity` grade goes, and deliver what waits.

        Open edX publishes a grade for the runtime's user only. The student's own pending grade
        goes out by `runtime.publish`; what a supervisor decides for students goes to their
        gradebook through edx-submissions at once (xblocks.gradebook), or, where that is not
        installed, on the student's next visit to this block.
        """
        from maydan import grades, roles

        from . import gradebook

        student = actor.has(roles.STUDENT) and actor.person is not None
        destination = self._destination() if self.has_score else None
        channel = gradebook.available()
        block = destination and channel and (destination, self.scope_ids.block_type, self.max_score())
        anonymous_id = (self._user()[1].get(ANONYMOUS_ID_ATTR) or "") if student and channel else ""
        # One query finds what is already recorded: a returning person's view usually writes nothing.
        kept = gradebook.kept(actor, destination, block, anonymous_id, actor.person if student else None)
        if destination and not kept.registered:
            grades.register_destination(actor.course, destination, activity=activity)
        if channel and not (kept.block and kept.learner):
            gradebook.remember(actor, None if kept.block else block, "" if kept.learner else anonymous_id)
        if not student:  # whatever a supervisor decided here, for any block of the course
            gradebook.deliver_due(actor.course)
            return
        row = grades.pending(destination, actor.person) if kept.waiting else None
        if row is not None:
            send = gradebook.sender(actor, destination, self.scope_ids.block_type, self.max_score())
            grades.deliver(row, send=send or self._publish_grade)

    def _deliver_due(self, actor, form):
        """After a posted form, as after a view: this block and the person recorded, what waits delivered."""
        self._deliver_grade(actor, self._activity())

    def _publish_grade(self, score):
        self.runtime.publish(self, "grade", {"value": score * self.max_score(), "max_value": self.max_score()})

    # --- drawing ---------------------------------------------------------------------------

    def _fragment(self, screen, inner, script):
        """The block's fragment: the shared root around a screen's HTML, with the screens' script."""
        with translation.override(screen.language):
            html = render_to_string("maydan/root.html", {"screen": screen, "inner": mark_safe(inner)})
        fragment = Fragment(html)
        fragment.add_css(package_text("maydan.css"))
        fragment.add_javascript(package_text("maydan.js"))
        fragment.initialize_js(script)
        return fragment

    def _studio_fragment(self, template, context, script, initializer):
        """A Studio editor: the template rendered with its endpoint, language and direction, and its script."""
        from maydan import ui

        language = context["language"]
        with translation.override(language):
            html = render_to_string(template, dict(
                context, direction=ui.direction(language),
                endpoint=self.runtime.handler_url(self, "studio_submit")))
        fragment = Fragment(html)
        fragment.add_css(package_text("maydan.css"))
        fragment.add_javascript(package_text("rows.js"))
        fragment.add_javascript(own_text("static", script))
        fragment.initialize_js(initializer)
        return fragment

    def _studio_call(self, request, work):
        """A Studio handler: POST only; `work(actor, data, language)` runs in the person's language and
        returns what to add to a success answer; a refusal becomes its JSON answer."""
        from maydan.errors import Refused

        if request.method != "POST":
            return Response(status=405, allow="POST")
        actor, language = self._enter()
        with translation.override(language):
            try:
                data = posted(request)
                return Response(json_body={"result": "success", **(work(actor, data, language) or {})})
            except Refused as refusal:
                return self._refused(refusal)

    def _block_settings(self, data, invalid, default_name):
        """The block's display name and weight from the posted data (the XBlock's field types)."""
        display_name = str(data.get("display_name", self.display_name) or "").strip() or default_name
        return display_name[:255], weight_from(data, self.weight, invalid)

    @staticmethod
    def _refused(refusal):
        """A core refusal as the JSON answer Studio editors read (message and per-field messages)."""
        return Response(
            json_body={"result": "error", "error": str(refusal.message),
                       "errors": {k: [str(m) for m in v] for k, v in refusal.field_errors.items()}},
            status=refusal.status,
        )

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

    def _title(self, language, default):
        """The display name, translated when it is still the default."""
        with translation.override(language):
            return _(self.display_name) if self.display_name == default else self.display_name
