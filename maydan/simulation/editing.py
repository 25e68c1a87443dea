"""The visual scenario editor's server side, shared by Studio and the LTI authoring page.

The editor (maydan/static/maydan/scenario_editor.js) holds the scenario as the same data a
YAML or JSON file holds and sends it here whole: to check it (the validator's problems,
each tied to its node, in the author's language), to preview it from any node with
chosen variable values (the engine plays it), to load a scenario, and to save it as a
YAML or JSON text through `services.save_scenario`, the one way a course's scenario is
stored. `answer(actor, request, language)` is the one entry both adapters call: it turns
a posted request into (HTTP status, JSON body), refusals included.
"""
import json

import yaml
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _, ngettext

from .. import parse, vocab
from ..errors import Invalid, NotFound, Refused
from . import library, media, services
from .engine import Scenario, text
from .models import CourseScenario
from .screens import OUTCOME_LABELS, PHASE_LABELS, _node_view
from .validate import LANGUAGES, OUTCOMES, PHASES, TYPES, ScenarioError, check

FORMATS = ("yaml", "json")


def answer(actor, request, language):
    """(status, body) for one editor request {"do": check|preview|load|save, ...}; a refusal is its
    message, with the scenario's problems by node when it does not validate."""
    with translation.override(language):
        try:
            return 200, _ACTIONS.get(str(request.get("do")), _unknown)(actor, request, language)
        except Refused as refusal:
            body = {"result": "error", "error": str(refusal.message),
                    "errors": {k: [str(m) for m in v] for k, v in refusal.field_errors.items()}}
            body.update(getattr(refusal, "extra", {}))
            return refusal.status, body


def read(posted):
    """The editor's request from a posted form field `request` (JSON text) or a JSON body already read."""
    if isinstance(posted, dict):
        return posted
    request = parse.parse_json(posted or "{}", message=_("The editor sent something that is not a scenario."))
    if not isinstance(request, dict):
        raise Invalid(_("The editor sent something that is not a scenario."))
    return request


def _unknown(actor, request, language):
    services.require_editor(actor)
    raise Invalid(_("The editor asked for something it cannot do."))


# --- the actions --------------------------------------------------------------------------------


def _check(actor, request, language):
    services.require_editor(actor)
    return {"result": "success", "problems": problems(_scenario(request))}


def _load(actor, request, language):
    """A scenario to edit: one of the course's own, or of the library (to copy under a new id)."""
    services.require_editor(actor)
    key = str(request.get("key") or "")
    row = CourseScenario.objects.filter(course=actor.course, key=key).first()
    if row is not None:
        source, name = row.source, "scenario.json" if row.source.lstrip().startswith("{") else "scenario.yaml"
    elif key in library.shipped():
        source, name = library.shipped()[key]
    else:
        raise NotFound(_("This case simulation does not exist."))
    return {"result": "success", "scenario": _parse(source, name), "format": _format_of(name),
            "shipped": row is None}


def _preview(actor, request, language):
    """The scenario played from a chosen node with chosen variable values, one step at a time."""
    services.require_editor(actor)
    data = _scenario(request)
    try:
        scenario = Scenario(data)
    except ScenarioError as error:
        raise _refusal(error.problems, _("Correct the problems shown on the nodes before a preview.")) from None
    try:
        state = scenario.at(str(request.get("node") or scenario.start), _values(request.get("variables")))
        feedback = ""
        if "choice" in request:
            choice = scenario.choice(state.node, str(request["choice"]))
            feedback = text(choice.get("feedback"), language)
            state = scenario.choose(state, choice["id"])
        elif request.get("answer"):
            state = scenario.answer(state)
    except (KeyError, TypeError):
        raise Invalid(_("This node or choice is not in the scenario.")) from None
    node = _node_view(scenario.nodes[state.node], language)
    html = render_to_string("maydan/simulation/_editor_preview.html", {
        "node": node, "feedback": feedback, "passed": state.passed, "variables": sorted(state.variables.items())})
    return {"result": "success", "node": state.node, "variables": state.variables, "html": html}


def _save(actor, request, language):
    """Store the scenario as a YAML or JSON text (the format it came in); its id is its key."""
    services.require_editor(actor)
    data = _scenario(request)
    found = check(data)
    if found:
        raise _refusal(found, ngettext("The scenario has %(count)d problem.", "The scenario has %(count)d problems.",
                                       len(found)) % {"count": len(found)})
    key = services.save_scenario(actor, dump(data, request.get("format")))
    return {"result": "success", "key": key,
            "notice": _("Scenario “%(key)s” saved: this course can now place it.") % {"key": key}}


_ACTIONS = {"check": _check, "load": _load, "preview": _preview, "save": _save}


# --- the scenario as data and as text -------------------------------------------------------------


def dump(data, format="yaml"):
    """The scenario's text: YAML (keys in the order the author wrote them) or JSON."""
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def _parse(source, name):
    from .validate import parse as parse_scenario

    try:
        return parse_scenario(source, name)
    except ScenarioError as error:
        raise _refusal(error.problems, _("The scenario cannot be read.")) from None


def _format_of(name):
    return "json" if str(name).endswith(".json") else "yaml"


def _scenario(request):
    data = request.get("scenario")
    if not isinstance(data, dict):
        raise Invalid(_("The editor sent something that is not a scenario."))
    return data


def _values(values):
    """Chosen variable values: numbers only (the engine keeps each within its min/max)."""
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise Invalid(_("A variable's value is a number."))
    found = {}
    for name, value in values.items():
        number = parse.optional_number(value)
        if number is None:
            raise Invalid(_("A variable's value is a number."))
        found[str(name)] = int(number) if float(number).is_integer() else number
    return found


def problems(data):
    """The validator's problems of `data` in the reader's language, each with the node it concerns (None:
    the scenario as a whole)."""
    return [{"node": p.node, "kind": p.kind, "message": services.describe_here(p)} for p in check(data)]


def _refusal(found, message):
    refusal = Invalid(message, {"scenario": [services.describe(p) for p in found]})
    refusal.extra = {"problems": [{"node": p.node, "kind": p.kind, "message": services.describe_here(p)}
                                  for p in found]}
    return refusal


# --- what the page gives the editor ---------------------------------------------------------------


def setup(actor, language, endpoint, *, key="", source="", credential=""):
    """The editor's starting point for a template (maydan/simulation/_editor.html): its endpoint, the
    labels in the page's language, the scenarios it may open, and the scenario to open (a given text,
    a course's or library's scenario `key`, else a new one)."""
    services.require_editor(actor)
    scenario, format = None, "yaml"
    if source.strip():
        try:
            scenario, format = _parse(source, "scenario.yaml"), ("json" if source.lstrip().startswith("{") else "yaml")
        except Invalid:
            scenario = None  # the paste box below keeps the text and its problems
    elif key:
        try:
            loaded = _load(actor, {"key": key}, language)
            scenario, format = loaded["scenario"], loaded["format"]
        except Refused:
            scenario = None
    with translation.override(language):
        return {"endpoint": endpoint, "credential": credential, "language": language,
                "config": {"labels": labels(), "scenario": scenario if isinstance(scenario, dict) else None,
                           "format": format, "phases": list(PHASES), "types": list(TYPES),
                           "outcomes": list(OUTCOMES), "languages": list(LANGUAGES),
                           "epas": {str(n): str(name) for n, name in vocab.COMPETENCIES.items()},
                           "items": [(item.key, item.title(language)) for item in library.items(actor.course)],
                           "media": sorted({row.name for row in media.listing(actor)} | media.shipped_names())}}


def labels():
    """Every word the editor shows, in the active language (the script itself holds none)."""
    return {
        "map": _("Map of the scenario"),
        "map_help": _("Each box is a node; arrows are the choices and branches. Choose a box to edit it."),
        "phases": {phase: label() for phase, label in PHASE_LABELS.items()},
        "types": {"choice": _("Choice"), "branch": _("Branch on variables"), "free_text": _("Written answer"),
                  "ending": _("Ending")},
        "outcomes": {outcome: label() for outcome, label in OUTCOME_LABELS.items()},
        "languages": {"en": _("English"), "ar": _("Arabic")},
        "scenario": _("The scenario"),
        "id": _("Id"),
        "title": _("Title"),
        "summary": _("Summary"),
        "feedback_mode": _("Feedback on choices"),
        "feedback_modes": {"immediate": _("Right after each choice"), "end": _("At the debrief")},
        "start": _("First node"),
        "variables": _("Variables"),
        "variable": _("Name"),
        "initial": _("Start value"),
        "min": _("Lowest"),
        "max": _("Highest"),
        "add_variable": _("Add a variable"),
        "competencies": _("Competencies"),
        "add_node": _("Add a node"),
        "new_node_phase": _("Phase of the new node"),
        "type": _("Kind"),
        "phase": _("Phase"),
        "text": _("Text"),
        "hint": _("Hint (practice mode)"),
        "choices": _("Choices"),
        "choice": _("Choice"),
        "add_choice": _("Add a choice"),
        "feedback": _("Feedback"),
        "score": _("Score"),
        "next": _("Leads to"),
        "new_target": _("A new node"),
        "nowhere": _("(choose a node)"),
        "effects": _("Changes to variables"),
        "branches": _("Branches"),
        "add_branch": _("Add a branch"),
        "condition": _("Condition (e.g. rapport >= 2)"),
        "otherwise": _("Otherwise"),
        "points": _("Points for the written answer"),
        "outcome": _("Outcome"),
        "delete": _("Delete"),
        "delete_node": _("Delete this node"),
        "delete_confirm": _("Delete this node?"),
        "delete_arrows": _("These nodes lead to it: %(nodes)s. Their arrows will lead nowhere and be marked as "
                           "problems until you choose where they lead."),
        "delete_start": _("It is the first node: the first node left will start the scenario."),
        "deleted": _("Node deleted."),
        "deleted_arrows": _("Node deleted. Choose where the arrows of %(nodes)s lead now: they are marked on the map."),
        "media": _("Media"),
        "media_kind": _("Media kind"),
        "media_kinds": {"none": _("No media"), "image": _("Image"), "audio": _("Recording (audio)"),
                        "video": _("Video")},
        "media_src": _("File name"),
        "media_per_language": _("A different file for each language"),
        "media_uploaded": _("The files uploaded for this course and those shipped with the library are offered as you type."),
        "media_alt": _("Description of the image (alt)"),
        "media_transcript": _("Transcript"),
        "media_captions": _("Captions (WebVTT file names)"),
        "preview": _("Preview from here"),
        "preview_heading": _("Preview"),
        "preview_values": _("Variable values for the preview"),
        "preview_start": _("Start the preview"),
        "close": _("Close"),
        "save": _("Save the scenario"),
        "check": _("Check"),
        "no_problems": _("No problems: the scenario can be played."),
        "problems": _("Problems"),
        "problems_scenario": _("Problems of the scenario as a whole"),
        "problem_count": _("problems"),
        "new_scenario": _("New scenario"),
        "open": _("Open"),
        "open_which": _("Open a scenario to edit"),
        "edit_node": _("Edit the node"),
        "rtl_note": _("In Arabic the map reads from right to left."),
        "saved": _("Saved."),
        "unsaved": _("Changes not saved yet."),
        "failed": _("The server could not be reached. Your changes are kept here; try again."),
    }
