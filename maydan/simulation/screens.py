"""The case simulation's screens, shared by every adapter (as maydan.ui is for the field log).

`render(screen)` draws what the person may see: a student plays, resumes or reads a
debrief; supervisors see analytics and attempts; authors see analytics and a preview.
`handle(screen, form)` performs one posted action through the services and draws the
result; `csv(screen)` is the analytics export. `screen.key` names the scenario.
"""
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .. import roles
from ..errors import Unshowable
from .. import ui
from ..errors import Invalid
from ..ui import role_label
from . import library, media, services
from .engine import text
from .models import ASSESSMENT, DEBRIEF, FINISHED, PLAYING, PRACTICE, SimulationAttempt

PHASE_LABELS = {
    "study": lambda: _("Study"),
    "diagnosis": lambda: _("Diagnosis"),
    "treatment": lambda: _("Treatment"),
}
OUTCOME_LABELS = {
    "good": lambda: _("A good outcome"),
    "mixed": lambda: _("A mixed outcome"),
    "poor": lambda: _("A poor outcome"),
}
RULE_LABELS = {
    "best": lambda: _("the best attempt"),
    "last": lambda: _("the last attempt"),
    "first": lambda: _("the first attempt"),
}


def render(screen):
    with ui.speaking(screen):
        template, context = _explained(screen, _view)
        context.update(screen=screen, course=screen.actor.course, role_label=role_label(screen.actor))
        return render_to_string(f"maydan/simulation/{template}.html", context)


def handle(screen, form):
    """Perform the posted action; return (HTTP status, HTML of the resulting screen)."""
    screen.view = form.get("view", screen.view)
    screen.filters = {"attempt": form.get("attempt", ""), "student": form.get("student", "")}

    def draw(screen):
        if screen.error:  # a refused answer or reflection comes back as it was typed
            screen.form = {k: form.get(k, "") for k in ("answer", "reflection")}
        return render(screen)

    return ui.perform(screen, form, _ACTIONS, draw)


def download(screen, form):
    """(file name, content type, text) when the form asks for a file (the analytics CSV), else None.

    Adapters call this before `handle`, and answer with the file instead of a screen."""
    if form.get("action") != "csv":
        return None
    with ui.speaking(screen):
        body = services.analytics_csv(screen.actor, screen.key, screen.language)
    return f"simulation-{screen.key}.csv", "text/csv", body


# --- actions -----------------------------------------------------------------------------------


def _start(screen, form):
    screen.acted_on = services.start(screen.actor, screen.key, screen.mode)
    screen.view = "home"


def _choose(screen, form):
    attempt = screen.acted_on = services.choose(screen.actor, form.get("attempt"), form.get("node"), form.get("choice"))
    scenario = library.get(screen.actor.course, screen.key)
    if scenario.feedback == "immediate" or attempt.mode == PRACTICE:
        choice = scenario.choice(form.get("node"), form.get("choice"))
        screen.notice = text(choice.get("feedback"), screen.language)
    return attempt


def _answer(screen, form):
    screen.acted_on = services.answer(screen.actor, form.get("attempt"), form.get("node"), form.get("answer"))
    screen.notice = _("Your answer is saved for your supervisor.")


def _undo(screen, form):
    attempt = screen.acted_on = services.undo(screen.actor, form.get("attempt"))
    screen.notice = _("Step taken back: try it again.") if attempt.mode == PRACTICE else \
        _("Step taken back. It still counts towards your score.")


def _hint(screen, form):
    screen.notice = _("Hint: %(hint)s") % {
        "hint": text(services.hint(screen.actor, form.get("attempt"), form.get("node")), screen.language)}


def _reflect(screen, form):
    attempt = services.reflect(screen.actor, form.get("attempt"), form.get("reflection"))
    screen.view, screen.filters["attempt"] = "attempt", str(attempt.pk)
    screen.notice = _("Attempt finished. Your reflection is saved.")


def _mark(screen, form):
    """A rubric grade of a written answer or the reflection, through the grading core's workflow."""
    from ..grading.screens import mark

    screen.view = "attempt"
    mark(screen, form)


def _policy(screen, form):
    services.set_policy(screen.actor, screen.key, max_attempts=form.get("max_attempts"),
                        undo_allowed=form.get("undo_allowed") == "1", grade_rule=form.get("grade_rule", ""))
    screen.notice = _("Settings saved.")


def _view_action(screen, form):
    pass


_ACTIONS = {
    "view": _view_action,
    "start": _start,
    "choose": _choose,
    "answer": _answer,
    "undo": _undo,
    "hint": _hint,
    "reflect": _reflect,
    "policy": _policy,
    **{action: _mark for action in ("grade", "move", "release_marking", "override", "undo_override")},
}


# --- what each person sees ----------------------------------------------------------------------


def _explained(screen, view):
    """The view; for a scenario that cannot be shown, the course's staff also read why."""
    try:
        return view(screen)
    except Unshowable as refusal:
        if refusal.reason and screen.actor.has(roles.AUTHOR, *roles.COURSE_SUPERVISORS):
            refusal.message = f"{refusal.message} ({refusal.reason})"
        raise


def _view(screen):
    actor = screen.actor
    attempt_id = (screen.filters or {}).get("attempt")
    if screen.view == "attempt" and attempt_id:
        scenario = library.get(actor.course, screen.key)
        attempt = services.attempt_for(actor, screen.key, attempt_id)
        return "debrief", _shown(scenario, screen, _debrief(scenario, attempt, screen.language, actor))
    if actor.has(roles.STUDENT):
        attempt = _open_attempt(screen)
        # The attempt names the text of its scenario: a process that compiled it reads nothing more.
        scenario = library.get(actor.course, screen.key, attempt.scenario_digest if attempt else "")
        if attempt is not None and attempt.status == DEBRIEF:
            return "debrief", _shown(scenario, screen, _debrief(scenario, attempt, screen.language, actor))
        if attempt is not None:
            return "play", _shown(scenario, screen, _play(scenario, attempt, screen))
        return "intro", _shown(scenario, screen, _intro(scenario, actor, screen))
    scenario = library.get(actor.course, screen.key)
    if screen.view == "preview" and actor.has(*services.EDITORS):
        return "preview", _shown(scenario, screen, {"nodes": preview_nodes(scenario, screen.language, actor)})
    report = services.analytics(actor, screen.key, screen.language)
    rows = services.attempts(actor, screen.key) if not _author_only(actor) else []
    return "staff", _shown(scenario, screen, {
        "report": report, "attempts": rows, "may_edit": actor.has(*services.EDITORS),
        "policy": services.policy(actor.course, screen.key), "rules": _rules()})


def _shown(scenario, screen, context):
    return dict(context, scenario=_scenario_view(scenario, screen.language))


def _open_attempt(screen):
    """The student's attempt in progress here: the one the posted action just moved when it is that one."""
    moved = screen.acted_on
    if isinstance(moved, SimulationAttempt) and moved.scenario == screen.key and moved.status in (PLAYING, DEBRIEF) \
            and moved.mode == services.mode_of(screen.mode):
        return moved
    return services.open_attempt(screen.actor, screen.key, screen.mode)


def _author_only(actor):
    return actor.has(roles.AUTHOR) and not actor.has(roles.STUDENT, roles.AGENCY, *roles.COURSE_SUPERVISORS)


def _rules():
    return [(rule, label()) for rule, label in RULE_LABELS.items()]


def _scenario_view(scenario, language):
    return {"id": scenario.id, "title": text(scenario.title, language), "summary": text(scenario.summary, language),
            "feedback_at_end": scenario.feedback == "end"}


def _intro(scenario, actor, screen):
    policy = services.policy(actor.course, screen.key)
    done = list(services.attempts(actor, screen.key).filter(status=FINISHED))
    return {
        "policy": policy,
        "rule_label": RULE_LABELS[policy.grade_rule](),
        "finished": done,
        "left": services.attempts_left(actor, screen.key, screen.mode, policy),
        "practice": services.mode_of(screen.mode) == PRACTICE,
        # Only a finished assessment attempt makes a grade.
        "grade": services.published_grade(actor.course, actor.person, screen.key)
        if any(attempt.mode == ASSESSMENT for attempt in done) else None,
    }


LANGUAGE_NAMES = {"ar": "العربية", "en": "English"}


def _media_view(found, language, actor):
    """What the page shows of a node's media: its address for this person, its captions (the reader's
    language first and on by default), the description and the transcript in the reader's language."""
    if not found:
        return None
    captions = found.get("captions") or {}
    order = [language] + [lang for lang in captions if lang != language]
    tracks = [{"src": media.url(actor, captions[lang]), "language": lang, "label": LANGUAGE_NAMES.get(lang, lang),
               "default": lang == language} for lang in order if lang in captions]
    return {"kind": found["kind"], "src": media.url(actor, text(found["src"], language)), "alt": text(found.get("alt"), language),
            "transcript": text(found.get("transcript"), language), "tracks": [t for t in tracks if t["src"]]}


def _node_view(node, language, actor=None):
    return {
        "id": node["id"],
        "type": node["type"],
        "phase": node["phase"],
        "phase_label": PHASE_LABELS[node["phase"]](),
        "text": text(node.get("text"), language),
        "media": _media_view(node.get("media"), language, actor),
        "choices": [{"id": c["id"], "text": text(c["text"], language), "feedback": text(c.get("feedback"), language),
                     "score": c.get("score", 0), "next": c["next"]} for c in node.get("choices", [])],
        "branches": node.get("branches", []),
        "next": node.get("next", ""),
        "outcome_label": OUTCOME_LABELS[node.get("outcome", "mixed")]() if node["type"] == "ending" else "",
    }


def _phases(current):
    order = list(PHASE_LABELS)
    return [{"label": PHASE_LABELS[p](), "current": p == current, "done": order.index(p) < order.index(current)}
            for p in order]


def _play(scenario, attempt, screen):
    node = scenario.nodes[attempt.node]
    return {
        "attempt": attempt,
        "node": _node_view(node, screen.language, screen.actor),
        "phases": _phases(node["phase"]),
        "may_undo": bool(attempt.path) and services.may_undo(attempt),
        "practice": attempt.mode == PRACTICE,
        "has_hint": attempt.mode == PRACTICE and bool(scenario.hint(node["id"])),
        "steps": len(attempt.path),
    }


def _written(actor, attempt, language):
    """(marking shown for a target) for the debrief: the marking form for a course supervisor once the
    attempt is finished, the released grade for the others; None when there is nothing to show."""
    from ..grading import markings
    from ..grading.screens import marking_item

    if attempt.status != FINISHED:
        return lambda target: None
    found = markings.of_attempt(actor, attempt)
    if not actor.supervises_course:
        return lambda target: found.get(target) and {"released": found[target]}
    rubrics = {kind: markings.rubric_of(rubric) for kind, rubric in (
        ("answer", services.ANSWER_RUBRIC), ("attempt", services.REFLECTION_RUBRIC))}
    return lambda target: {"item": marking_item(found.get(target), rubrics[target.split(":")[0]], language, target)}


def _debrief(scenario, attempt, language, actor):
    answers = {a.step: a for a in attempt.answers.all()}
    written = _written(actor, attempt, language)
    path = []
    for index, step in enumerate(attempt.path):
        node = scenario.nodes[step["node"]]
        row = {"phase_label": PHASE_LABELS[node["phase"]](), "text": text(node.get("text"), language),
               "hinted": {"node": step["node"], "step": index} in attempt.hints}
        if "choice" in step:
            choice = scenario.choice(step["node"], step["choice"])
            best = scenario.best(step["node"])
            row.update(choice=text(choice["text"], language), feedback=text(choice.get("feedback"), language),
                       good=choice.get("score", 0) >= best)
        else:
            answer = answers.get(index)
            row.update(answer=answer, marking=answer and written(f"answer:{answer.pk}"))
        path.append(row)
    ending = scenario.nodes.get(attempt.ending)
    profile = attempt.competencies if attempt.status == FINISHED else scenario.result(attempt.path, attempt.undone)[1]
    return {
        "attempt": attempt,
        "path": path,
        "ending": ending and _node_view(ending, language, actor),
        "profile": [{"tag": tag, "name": services.competency_name(scenario, tag, language),
                     "percent": round(share * 100)} for tag, share in sorted(profile.items(), key=lambda kv: kv[0].zfill(4))],
        "may_reflect": attempt.status == DEBRIEF and attempt.student_id == getattr(actor.person, "pk", None),
        "may_undo": attempt.status == DEBRIEF and services.may_undo(attempt)
        and attempt.student_id == getattr(actor.person, "pk", None),
        "percent": None if attempt.score is None else round(attempt.score * 100),
        "reflection_marking": written(f"attempt:{attempt.pk}"),
        "keep": [("view", "attempt"), ("attempt", attempt.pk)],
    }


def preview_nodes(scenario, language, actor=None):
    return [_node_view(node, language, actor) for node in scenario.nodes.values()]


def preview(actor, source, key, language):
    """An author's preview: the nodes of a written scenario (`source`), or of the course's scenario `key`.

    Raises Forbidden for who may not write scenarios and Invalid with every problem of a broken text."""
    services.require_editor(actor)
    source = (source or "").strip()
    problems = services.check_source(source) if source else []
    if problems:
        raise Invalid(problems[0], {"scenario": problems})
    scenario = library.compiled(source) if source else library.get(actor.course, key)
    return render_to_string("maydan/simulation/_nodes.html", {"nodes": preview_nodes(scenario, language, actor)})
