"""The field-training log as an Open edX XBlock: a thin adapter over the Maydan core.

The block translates what the Open edX runtime knows into a core `Actor` (xblocks/base.py)
and shows the core's shared screens (`maydan.ui`). Every change goes through a core
service; no rule of the field log is written here.
"""
import json
import math

from django.db import transaction
from django.template.loader import render_to_string  # only called at render time, with settings configured
from django.utils import translation
from django.utils.translation import gettext as _, gettext_noop
from web_fragments.fragment import Fragment
from webob import Response
from xblock.core import XBlock
from xblock.fields import Float, Scope, String

from .base import MENTEES_ATTR, ScreensBlock, own_text, package_text, posted

__all__ = ["FieldLogXBlock", "MENTEES_ATTR", "DEFAULT_DISPLAY_NAME"]

DEFAULT_DISPLAY_NAME = gettext_noop("Field training log")


@XBlock.wants("user")
# Declared as every Maydan block does; the screens' strings come from the core's gettext
# catalog (maydan/conf/locale), activated for the person's language.
@XBlock.needs("i18n")
class FieldLogXBlock(ScreensBlock, XBlock):
    """Students log field-training hours; agency and academic supervisors review them."""

    display_name = String(
        display_name=gettext_noop("Display name"), default=DEFAULT_DISPLAY_NAME, scope=Scope.settings
    )
    weight = Float(
        display_name=gettext_noop("Weight"),
        help=gettext_noop("The most points this log is worth; the grade is the share of target hours approved."),
        default=1.0,
        values={"min": 0},
        scope=Scope.settings,
    )

    has_score = True
    icon_class = "problem"
    ACTIVITY = "fieldlog"

    def max_score(self):
        return self.weight

    # --- grades -------------------------------------------------------------------------

    def _destination(self):
        return f"xblock:{self.scope_ids.usage_id}"

    def _deliver_grade(self, actor):
        """Register this block as a place the course's log grade goes, and hand the current
        student their pending grade.

        Open edX publishes a grade for the runtime's user only: when a supervisor approves or
        reopens an entry here, nothing can be published for the student. The core queues
        the grade, and it goes out on the student's next visit to this block.
        """
        from maydan import grades, roles

        destination = self._destination()
        grades.register_destination(actor.course, destination)
        if not actor.has(roles.STUDENT) or actor.person is None:
            return
        row = grades.pending(destination, actor.person)
        if row is not None:
            grades.deliver(row, send=self._publish_grade)

    def _publish_grade(self, score):
        self.runtime.publish(self, "grade", {"value": score * self.max_score(), "max_value": self.max_score()})

    # --- the learner-facing view and its one handler --------------------------------------

    def student_view(self, context=None):
        actor, language = self._enter()
        self._deliver_grade(actor)
        return self._fragment(self._screen(actor, language))

    @XBlock.handler
    def act(self, request, suffix=""):
        """Every form of the screens posts here; the answer is the screen's HTML again."""
        if request.method != "POST":
            return Response(status=405, allow="POST")
        actor, language = self._enter()
        response = self._answer(request, self._screen(actor, language))
        self._deliver_grade(actor)
        return response

    # --- Studio -----------------------------------------------------------------------------

    def _title(self, language):
        """The display name, translated when it is still the default."""
        with translation.override(language):
            return _(self.display_name) if self.display_name == DEFAULT_DISPLAY_NAME else self.display_name

    def studio_view(self, context=None):
        from maydan import courses, ui, vocab

        actor, language = self._enter()
        course = actor.course
        with translation.override(language):
            html = render_to_string("maydan/studio_fieldlog.html", {
                "language": language,
                "direction": ui.direction(language),
                "endpoint": self.runtime.handler_url(self, "studio_submit"),
                "display_name": self._title(language),
                "weight": self.weight,
                "course": course,
                "programs": vocab.PROGRAMS.items(),
                "category_keys": courses.category_keys(),
                "category_targets": json.dumps(course.category_targets or {}, ensure_ascii=False),
                "may_configure": courses.may_configure(actor),
            })
        fragment = Fragment(html)
        fragment.add_css(package_text("maydan.css"))
        fragment.add_javascript(own_text("static", "fieldlog_studio.js"))
        fragment.initialize_js("MaydanFieldLogStudio")
        return fragment

    @XBlock.handler
    def studio_submit(self, request, suffix=""):
        """Save the block's settings and the course's field-training settings (JSON or a form)."""
        from maydan import courses
        from maydan.errors import Invalid, Refused

        if request.method != "POST":
            return Response(status=405, allow="POST")
        data = self._posted(request)
        actor, language = self._enter()
        with translation.override(language):
            try:
                with transaction.atomic():  # course settings and block fields succeed or fail together
                    courses.configure(
                        actor,
                        program=data.get("program", actor.course.program),
                        target_hours=data.get("target_hours", actor.course.target_hours),
                        category_targets=data.get("category_targets", actor.course.category_targets),
                        time_zone=data.get("time_zone", actor.course.time_zone),
                    )
                    display_name, weight = self._block_settings(data, Invalid)
            except Refused as refusal:
                return Response(
                    json_body={"result": "error", "error": str(refusal.message),
                               "errors": {k: [str(m) for m in v] for k, v in refusal.field_errors.items()}},
                    status=refusal.status,
                )
        self.display_name, self.weight = display_name, weight
        return Response(json_body={"result": "success"})

    def _block_settings(self, data, invalid):
        """The block's own fields from the posted data (the XBlock's field types, not a field-log rule)."""
        display_name = str(data.get("display_name", self.display_name) or "").strip() or DEFAULT_DISPLAY_NAME
        raw = data.get("weight", self.weight)
        try:
            weight = float(raw)
        except (TypeError, ValueError):
            weight = -1.0
        if not math.isfinite(weight) or weight < 0:
            message = _("The weight must be a number, 0 or more.")
            raise invalid(message, {"weight": [message]})
        return display_name[:255], weight

    @staticmethod
    def _posted(request):
        return posted(request)

    # --- OLX -------------------------------------------------------------------------------

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Fields are attributes (<maydan_fieldlog display_name=".." weight="2"/>); a bad weight is refused."""
        block = super().parse_xml(node, runtime, keys)
        if block.weight is None or not math.isfinite(block.weight) or block.weight < 0:
            raise ValueError(f"maydan_fieldlog: weight must be a number, 0 or more (got {node.get('weight')!r})")
        return block

    # --- workbench -------------------------------------------------------------------------

    @staticmethod
    def workbench_scenarios():
        """The role comes from the workbench's ?student= id (see xblocks/demo.py): student_1,
        student_2, student_en (English), academic_1, agency_1 (mentors the students), coordinator_1."""
        return [
            (
                "Maydan field log: open with ?student=student_1, academic_1, agency_1 or coordinator_1",
                "<maydan_fieldlog/>",
            ),
            (
                "Maydan field log worth 10 points",
                '<maydan_fieldlog display_name="Field training log (MSW)" weight="10"/>',
            ),
        ]
