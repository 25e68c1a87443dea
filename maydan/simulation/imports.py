"""Importing a scenario written in H5P or branching-xblock: the draft and its report, in the author's language.

Nothing is saved: the author reads the report, finishes the YAML in the editor's paste box and saves
it through `services.save_scenario`, which checks it as any scenario.
"""
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ..errors import Invalid
from . import library, services
from .importers import Refused, convert

REFUSALS = {
    "empty": lambda: _("Choose a file to import."),
    "unreadable": lambda: _("The file is neither an H5P package (.h5p) nor a branching-xblock scenario (JSON)."),
    "package_too_large": lambda: _("The package is too large: at most %(limit)s bytes."),
    "not_zip": lambda: _("The file is not a readable .h5p package (a zip file)."),
    "too_many_members": lambda: _("The package holds too many files: at most %(limit)s."),
    "unsafe_name": lambda: _("The package holds a file whose name leads outside it (%(name)s): it is refused."),
    "duplicate_name": lambda: _("The package holds two files with the same name (%(name)s)."),
    "encrypted": lambda: _("The package holds an encrypted file."),
    "zip_bomb": lambda: _("The package expands far beyond its size (a zip bomb): it is refused."),
    "too_large_unpacked": lambda: _("The package is too large once unpacked: at most %(limit)s bytes."),
    "no_content": lambda: _("The package has no content/content.json: it is not an H5P package."),
    "member_too_large": lambda: _("The package's content.json is too large: at most %(limit)s bytes."),
    "bad_json": lambda: _("The package's %(name)s is not valid JSON."),
    "not_branching": lambda: _("The file holds no branching scenario."),
}
NOTES = {
    "phases": lambda: _("Every node is in the study phase: set the diagnosis and treatment phases."),
    "competencies": lambda: _("No competency tags came with it: add them to the nodes and choices."),
    "translate": lambda: _("Texts are in one language only: the other language holds a marked copy to translate."),
    "unscored": lambda: _("The source had no scores: every choice scores 0 until you give scores."),
    "unscored_source": lambda: _("Scoring was off in the source: its choice scores are kept."),
    "end_scores": lambda: _("H5P scored the endings; here each choice is scored: the ending scores are on the "
                            "choices that lead to them."),
    "media_left_out": lambda: _("An image, audio or video was not carried over (media are not imported)."),
    "content_left_out": lambda: _("A content type that has no equal here was not carried over, only its title."),
    "content_score": lambda: _("A score on plain content was dropped: reaching it is no decision."),
    "unknown_target": lambda: _("A link led to content that does not exist."),
    "unreachable": lambda: _("No path from the start reached it: left out."),
    "hint_left_out": lambda: _("A hint was not carried over: one hint per choice or free-text node."),
}


def draft(actor, data, name, language):
    """{"source": YAML, "html": the report, "scenario": its data (for the visual editor)} of an uploaded file; Invalid with the reason when it is refused."""
    services.require_editor(actor)
    try:
        imported = convert(data, name, taken=library.keys(actor.course))
    except Refused as refusal:
        params = {k: f"{v:,}" if isinstance(v, int) else v for k, v in refusal.params.items()}
        message = REFUSALS[refusal.kind]() % params
        raise Invalid(message, {"file": [message]}) from None
    notes = [{"node": note.node, "message": NOTES[note.kind](), "detail": note.detail} for note in imported.notes]
    problems = [services.describe(problem) for problem in imported.problems]
    html = render_to_string("maydan/simulation/_import_report.html", {
        "format": imported.source_format, "language": imported.language, "notes": notes, "problems": problems,
        "key": imported.scenario["id"]})
    return {"source": imported.yaml(), "html": html, "scenario": imported.scenario}
