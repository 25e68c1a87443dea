"""The field-training log as an Open edX XBlock: a thin adapter over the Maydan core.

It shows the core's field-log screens (`maydan.ui`) through the shared block machinery of
`xblocks.base`; every change goes through a core service. Only its Studio settings (the
course's program, hour targets and time zone) are its own.
"""
import json

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_noop
from webob import Response
from xblock.core import XBlock
from xblock.fields import Float, Scope, String

from .base import MENTEES_ATTR, MaydanBlock, issuer, posted, valid_weight

__all__ = ["FieldLogXBlock", "MENTEES_ATTR", "issuer"]

DEFAULT_DISPLAY_NAME = gettext_noop("Field training log")


@XBlock.wants("user")
# Declared as every Maydan block does; the screens' strings come from the core's gettext
# catalog (maydan/conf/locale), activated for the person's language.
@XBlock.needs("i18n")
class FieldLogXBlock(MaydanBlock):
    """Students log field-training hours; agency and academic supervisors review them."""

    ACTIVITY = "fieldlog"
    DEFAULT_DISPLAY_NAME = DEFAULT_DISPLAY_NAME

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
                "display_name": self._title(language),
                "weight": self.weight,
                "course": course,
                "programs": vocab.PROGRAMS.items(),
                "category_keys": courses.category_keys(),
                "category_targets": json.dumps(course.category_targets or {}, ensure_ascii=False),
                "may_configure": courses.may_configure(actor),
            })
        return self._studio_fragment(html)

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
                return self._refusal(refusal)
        self.display_name, self.weight = display_name, weight
        return Response(json_body={"result": "success"})

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
