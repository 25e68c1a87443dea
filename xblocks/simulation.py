"""The case simulation as an Open edX XBlock: a thin adapter over the Maydan core.

Studio chooses a scenario from the library (course_content/scenarios) or takes one pasted
as YAML or JSON, checked by the same validator as `maydan validate`, with a preview. The
attempts policy (attempts, undo, which attempt makes the grade) is the course's, kept in
the core. Grades are the core's: queued when a student finishes an attempt, handed to
`runtime.publish` right after, or on the student's next visit.
"""
import re

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_noop
from xblock.core import XBlock
from xblock.fields import Float, Scope, String

from webob import Response

from .base import MaydanBlock, package_text, posted, read_once, upload_of, valid_weight

__all__ = ["SimulationXBlock"]

DEFAULT_DISPLAY_NAME = gettext_noop("Case simulation")
DEFAULT_SCENARIO = "etherapy-anxious"
# The posted actions that move an attempt in progress.
STEPS = ("choose", "answer", "hint", "undo")


@XBlock.wants("user")
# The screens' strings come from the core's gettext catalog, activated for the person's language.
@XBlock.needs("i18n")
class SimulationXBlock(MaydanBlock, XBlock):
    """Students play a case through study, diagnosis and treatment; supervisors see analytics."""

    display_name = String(display_name=gettext_noop("Display name"), default=DEFAULT_DISPLAY_NAME,
                          scope=Scope.settings)
    scenario = String(display_name=gettext_noop("Scenario"), default=DEFAULT_SCENARIO, scope=Scope.settings,
                      help=gettext_noop("The id of a scenario of the library or of this course."))
    weight = Float(display_name=gettext_noop("Weight"), default=1.0, values={"min": 0}, scope=Scope.settings,
                   help=gettext_noop("The most points this simulation is worth."))
    mode = String(display_name=gettext_noop("Mode"), default="assessment", scope=Scope.settings,
                  values=[{"value": "assessment", "display_name": gettext_noop("Assessment")},
                          {"value": "practice", "display_name": gettext_noop("Practice")}],
                  help=gettext_noop("Practice: hints, retries, immediate feedback, no grade. "
                                    "Assessment: the attempts policy and the grade."))

    has_score = True
    icon_class = "problem"
    VIEW_FIELDS = ("scenario", "mode")

    def max_score(self):
        # Read where a grade or the gradebook's record needs it: a student's step in an attempt does not.
        read_once(self, ("mode", "weight"))
        # A practice placement is never graded: it weighs nothing in the course's grade.
        return 0.0 if self.mode == "practice" else self.weight

    def _activity(self):
        return f"simulation:{self.scenario}"

    def _screen(self, actor, language, handler="act"):
        from maydan import ui

        return ui.Screen(actor=actor, language=language, activity="simulation", key=self.scenario, mode=self.mode,
                         endpoint=self.runtime.handler_url(self, handler))

    def _deliver_grade(self, actor, activity):
        if self.mode == "practice":
            from maydan.simulation import services

            services.place(actor.course, self._destination(), self.scenario, self.mode)
            return
        super()._deliver_grade(actor, activity)

    def _deliver_due(self, actor, form):
        """A student's step in an attempt (a choice, an answer, a hint, a step back) follows the attempt's
        start, posted here, which recorded this block and the student and delivered what waited; a step
        queues no grade. A grade that came to wait since goes at the next view or the attempt's end."""
        from maydan import roles

        if form.get("action") not in STEPS or not actor.has(roles.STUDENT):
            super()._deliver_due(actor, form)

    # --- Studio -----------------------------------------------------------------------------

    def studio_view(self, context=None):
        from maydan.simulation import editing, library, media, services

        actor, language = self._enter()
        editor = editing.setup(actor, language, self.runtime.handler_url(self, "studio_editor"), key=self.scenario) \
            if actor.has(*services.EDITORS) else None
        fragment = self._studio_fragment("maydan/studio_simulation.html", {
            "editor": editor,
            "language": language,
            "preview_endpoint": self.runtime.handler_url(self, "studio_preview"),
            "display_name": self._title(language, DEFAULT_DISPLAY_NAME),
            "weight": self.weight,
            "scenario": self.scenario,
            "mode": self.mode,
            "import_endpoint": self.runtime.handler_url(self, "studio_import"),
            "items": [(item.key, item.title(language)) for item in library.items(actor.course)],
            "policy": services.policy(actor.course, self.scenario),
            "rules": [(rule, label()) for rule, label in _rule_labels()],
            "may_edit": actor.has(*services.EDITORS),
            "media": media.listing(actor) if actor.has(*services.EDITORS) else [],
            "media_endpoint": self.runtime.handler_url(self, "studio_media"),
            "block_id": re.sub(r"[^A-Za-z0-9_-]", "-", str(self.scope_ids.usage_id)),
        }, "simulation_studio.js", "MaydanSimulationStudio")
        fragment.add_css(package_text("scenario_editor.css"))
        fragment.add_javascript(package_text("scenario_editor.js"))
        return fragment

    @XBlock.handler
    def studio_editor(self, request, suffix=""):
        """The visual editor's requests (check, preview, load, save): the core answers, refusals included."""
        from maydan.errors import Refused
        from maydan.simulation import editing

        if request.method != "POST":
            return Response(status=405, allow="POST")
        actor, language = self._enter()
        with translation.override(language):
            try:
                asked = editing.read(posted(request))
            except Refused as refusal:
                return self._refused(refusal)
        status, body = editing.answer(actor, asked, language)
        return Response(json_body=body, status=status)

    @XBlock.handler
    def studio_preview(self, request, suffix=""):
        """Check a pasted scenario (or the chosen one) and answer with its problems or its preview."""
        return self._studio_call(request, self._preview)

    def _preview(self, actor, data, language):
        from maydan.simulation.screens import preview

        return {"html": preview(actor, str(data.get("source") or ""), data.get("scenario") or self.scenario, language)}

    @XBlock.handler
    def studio_submit(self, request, suffix=""):
        """Save the block's settings, a pasted scenario and the course's policy for it, all or nothing."""
        return self._studio_call(request, self._save_settings)

    def _save_settings(self, actor, data, language):
        from maydan.errors import Invalid
        from maydan.simulation import library, services

        with transaction.atomic():
            source = str(data.get("source") or "").strip()
            key = services.save_scenario(actor, source) if source else str(data.get("scenario") or self.scenario)
            library.get(actor.course, key)
            if any(name in data for name in ("max_attempts", "grade_rule", "undo_allowed")):
                current = services.policy(actor.course, key)
                services.set_policy(
                    actor, key,
                    max_attempts=data.get("max_attempts", current.max_attempts),
                    undo_allowed=str(data.get("undo_allowed", "1" if current.undo_allowed else ""))
                    in ("1", "true", "True", "on"),
                    grade_rule=data.get("grade_rule", current.grade_rule),
                )
            display_name, weight = self._block_settings(data, Invalid, DEFAULT_DISPLAY_NAME)
            mode = services.mode_of(data.get("mode", self.mode))
            services.point_grades(actor.course, self._destination(), key)
            if mode == "practice":
                services.place(actor.course, self._destination(), key, mode)
        self.display_name, self.weight, self.scenario, self.mode = display_name, weight, key, mode
        return {"scenario": key}

    @XBlock.handler
    def studio_import(self, request, suffix=""):
        """Convert an uploaded H5P package or branching-xblock JSON: the report and the YAML, nothing saved."""
        from maydan.simulation.importers.h5p import MAX_PACKAGE_BYTES

        stream, name = upload_of(request, "file")
        upload = (stream.read(MAX_PACKAGE_BYTES + 1), name) if stream is not None else (b"", "")

        def work(actor, data, language):
            from maydan.simulation import imports

            return imports.draft(actor, *upload, language)

        return self._studio_call(request, work)

    @XBlock.handler
    def studio_media(self, request, suffix=""):
        """Upload a media file for the course's scenarios (multipart, field `media`), as the tool's scenarios page
        does: the notice and the course's media list, or the refusal beside the field."""
        stream, name = upload_of(request, "media")

        def work(actor, data, language):
            from maydan.simulation import media

            row = media.upload_file(actor, name, stream)
            html = render_to_string("maydan/simulation/_media_list.html", {"media": media.listing(actor)})
            return {"notice": media.uploaded_notice(row), "html": html}

        return self._studio_call(request, work)

    # --- OLX -------------------------------------------------------------------------------

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Fields are attributes (<maydan_simulation scenario="etherapy-anxious" weight="5"/>)."""
        block = super().parse_xml(node, runtime, keys)
        if not valid_weight(block.weight):
            raise ValueError(f"maydan_simulation: weight must be a number, 0 or more (got {node.get('weight')!r})")
        from maydan.simulation.validate import SCENARIO_ID

        if not SCENARIO_ID.match(block.scenario or ""):
            raise ValueError(f"maydan_simulation: scenario must be a scenario id (got {block.scenario!r})")
        if block.mode not in ("assessment", "practice"):
            raise ValueError(f"maydan_simulation: mode is assessment or practice (got {block.mode!r})")
        return block

    # --- workbench -------------------------------------------------------------------------

    @staticmethod
    def workbench_scenarios():
        """Open with ?student=student_1 (Arabic), student_en (English), academic_1, agency_1 or author_1."""
        return [
            ("Maydan case simulation: e-therapy by chat (open with ?student=student_1, academic_1 or author_1)",
             '<maydan_simulation scenario="etherapy-anxious" weight="10"/>'),
        ]


def _rule_labels():
    from maydan.simulation.screens import RULE_LABELS

    return RULE_LABELS.items()

