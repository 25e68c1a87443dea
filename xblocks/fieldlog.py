"""The field-training log as an Open edX XBlock: a thin adapter over the Maydan core.

The block translates what the Open edX runtime knows into a core `Actor` (xblocks/base.py)
and shows the core's shared screens (`maydan.ui`). Every change goes through a core
service; no rule of the field log is written here.
"""
import json

from django.db import transaction
from django.template.loader import render_to_string  # only called at render time, with settings configured
from django.utils import translation
from django.utils.translation import gettext_noop
from web_fragments.fragment import Fragment
from webob import Response
from xblock.core import XBlock
from xblock.fields import Float, Scope, String

from .base import MENTEES_ATTR, MaydanBlock, form_of, own_text, package_text, posted, valid_weight, weight_from

__all__ = ["FieldLogXBlock", "MENTEES_ATTR"]

DEFAULT_DISPLAY_NAME = gettext_noop("Field training log")


@XBlock.wants("user")
# Declared as every Maydan block does; the screens' strings come from the core's gettext
# catalog (maydan/conf/locale), activated for the person's language.
@XBlock.needs("i18n")
class FieldLogXBlock(MaydanBlock, XBlock):
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

    def max_score(self):
        return self.weight

    def _screen(self, actor, language):
        from maydan import links, ui

        return ui.Screen(
            actor=actor,
            language=language,
            endpoint=self.runtime.handler_url(self, "act"),
            link_url=links.url_for,
        )

    # --- the learner-facing view and its one handler --------------------------------------

    def student_view(self, context=None):
        from maydan import ui

        actor, language = self._enter()
        self._deliver_grade(actor, "fieldlog")
        screen = self._screen(actor, language)
        return self._fragment(screen, self._safely(screen, lambda: ui.render(screen))[1], "MaydanFieldLog")

    @XBlock.handler
    def act(self, request, suffix=""):
        """Every form of the screens posts here; the answer is the screen's HTML again."""
        from maydan import ui

        if request.method != "POST":
            return Response(status=405, allow="POST")
        actor, language = self._enter()
        screen = self._screen(actor, language)
        status, html = self._safely(screen, lambda: ui.handle(screen, form_of(request)))
        self._deliver_grade(actor, "fieldlog")
        return Response(text=html, status=status, content_type="text/html", charset="utf-8")

    # --- Studio -----------------------------------------------------------------------------

    def studio_view(self, context=None):
        from maydan import courses, ui, vocab

        actor, language = self._enter()
        course = actor.course
        with translation.override(language):
            html = render_to_string("maydan/studio_fieldlog.html", {
                "language": language,
                "direction": ui.direction(language),
                "endpoint": self.runtime.handler_url(self, "studio_submit"),
                "display_name": self._title(language, DEFAULT_DISPLAY_NAME),
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
        data = posted(request)
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
        return display_name[:255], weight_from(data, self.weight, invalid)

    # --- OLX -------------------------------------------------------------------------------

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Fields are attributes (<maydan_fieldlog display_name=".." weight="2"/>); a bad weight is refused."""
        block = super().parse_xml(node, runtime, keys)
        if not valid_weight(block.weight):
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
