"""Case simulation services: who may play, see and configure; attempts, grades, analytics.

Each service checks permission, enforces the rules and writes the models and the audit
row in one transaction, as the field log's services do. The published grade of a
scenario follows the course's policy (best, last or first finished attempt) and moves
only when an attempt is finished; undo cannot raise a node's credit (see engine).
"""
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _, ngettext

from .. import audit, grades, roles, spreadsheets, vocab
from ..fieldlog.input import check_text as check_free_text
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..parse import optional_id
from ..fieldlog import visible_placements
from ..models import GradeDestination, GradeOutbox, Placement
from . import library, media, reads
from .engine import State, text as in_language
from .models import ASSESSMENT, BEST, DEBRIEF, FINISHED, FIRST, LAST, PLAYING, PRACTICE, CourseScenario, \
    SimulationAnswer, SimulationAttempt, SimulationPolicy
from .reasons import render
from .validate import check_text

GRADE_RULES = (BEST, LAST, FIRST)
ANALYSTS = (roles.ACADEMIC, roles.COORDINATOR, roles.AUTHOR, roles.AGENCY)
EDITORS = (roles.AUTHOR, roles.ACADEMIC, roles.COORDINATOR)


def activity(key):
    return f"{library.KIND}:{key}"


def point_grades(course, address, key):
    """A place that now shows another scenario reports that scenario's grades from now on."""
    GradeDestination.objects.filter(course=course, address=address).update(activity=activity(key))


def mode_of(value):
    """A placement's mode from an adapter's setting: practice, or assessment for anything else."""
    return PRACTICE if value == PRACTICE else ASSESSMENT


def place(course, address, key, mode):
    """Where a scenario is placed and how it is played there: an assessment placement receives the
    scenario's grades; a practice placement none (its destination is forgotten, so no grade leaves)."""
    if not address:
        return
    if mode_of(mode) == PRACTICE:
        GradeDestination.objects.filter(course=course, address=address).delete()
    else:
        grades.register_destination(course, address, activity(key))
        point_grades(course, address, key)


# --- policies and course scenarios --------------------------------------------------------


def policy(course, key):
    """The course's policy for a scenario (unsaved defaults: unlimited attempts, undo, best)."""
    return SimulationPolicy.objects.filter(course=course, scenario=key).first() or \
        SimulationPolicy(course=course, scenario=key)


@transaction.atomic
def set_policy(actor, key, *, max_attempts=None, undo_allowed=True, grade_rule=BEST):
    if not actor.has(*EDITORS):
        raise Forbidden(_("Only the course's authors and supervisors set how a simulation is played."))
    library.get(actor.course, key)
    errors = {}
    if grade_rule not in GRADE_RULES:
        errors["grade_rule"] = [_("Choose which attempt makes the grade: best, last or first.")]
    if max_attempts in ("", None):
        max_attempts = None
    else:
        try:
            max_attempts = int(max_attempts)
            assert 1 <= max_attempts <= 100
        except (TypeError, ValueError, AssertionError):
            errors["max_attempts"] = [_("Attempts: a whole number from 1 to 100, or empty for no limit.")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)
    row = SimulationPolicy.objects.select_for_update().filter(course=actor.course, scenario=key).first()
    before = _policy_values(row) if row else {}
    row = row or SimulationPolicy(course=actor.course, scenario=key)
    row.max_attempts, row.undo_allowed, row.grade_rule = max_attempts, bool(undo_allowed), grade_rule
    row.save()
    audit.record(actor, "simulation_policy", changes=audit.diff(before, _policy_values(row)), comment=key)
    return row


def _policy_values(row):
    return {"max_attempts": row.max_attempts, "undo_allowed": row.undo_allowed, "grade_rule": row.grade_rule}


PROBLEM_MESSAGES = {
    "structure": lambda: _("the scenario's structure is wrong"),
    "duplicate_id": lambda: _("an id is used twice"),
    "unknown_target": lambda: _("it leads to a node that does not exist"),
    "unreachable": lambda: _("no path from the start leads here"),
    "dead_end": lambda: _("no ending can be reached from here"),
    "missing_translation": lambda: _("a text lacks its Arabic or English version"),
    "bad_condition": lambda: _("a condition is not in the condition language"),
    "unknown_competency": lambda: _("a competency tag is not in the framework"),
    "unknown_variable": lambda: _("a choice changes a variable that is not declared"),
    "media_without_text": lambda: _("an audio or video lacks its transcript or captions in both languages"),
}


def describe(problem):
    """A validator problem in the reader's language, with the author-facing detail in English."""
    where = _("line %(line)s") % {"line": problem.line} if problem.line else ""
    node = _("node %(node)s") % {"node": problem.node} if problem.node else ""
    head = " · ".join(part for part in (where, node) if part)
    return f"{head}: {describe_here(problem)}" if head else describe_here(problem)


def describe_here(problem):
    """A validator problem as shown on its node in the editor: what is wrong, and the author-facing detail."""
    detail = render(problem.template, problem.params, _) if problem.template else problem.reason
    return f"{PROBLEM_MESSAGES[problem.kind]()} ({detail})"


def check_source(source):
    """[] or the problems of a pasted scenario, in the reader's language."""
    return [describe(p) for p in check_text(source or "", "scenario.yaml")]


def require_editor(actor):
    if not actor.has(*EDITORS):
        raise Forbidden(_("Only the course's authors and supervisors write scenarios."))


def course_scenarios(actor):
    """The scenarios this course wrote itself (CourseScenario rows, by id), for its authors."""
    require_editor(actor)
    return list(CourseScenario.objects.filter(course=actor.course).order_by("key"))


def source_of(actor, key):
    """The text of one of the course's own scenarios, to replace it."""
    require_editor(actor)
    row = CourseScenario.objects.filter(course=actor.course, key=key).first()
    if row is None:
        raise NotFound(_("This case simulation does not exist."))
    return row.source


@transaction.atomic
def save_scenario(actor, source):
    """Store a scenario written for this course; its id is its key. Returns the key."""
    require_editor(actor)
    problems = check_source(source)
    if problems:
        message = ngettext("The scenario has %(count)d problem.", "The scenario has %(count)d problems.", len(problems))
        raise Invalid(message % {"count": len(problems)}, {"scenario": problems})
    scenario = library.compiled(source)
    absent = media.missing(actor.course, scenario.data)
    if absent:
        message = _("Upload the scenario's media first: %(names)s.") % {"names": ", ".join(absent)}
        raise Invalid(message, {"scenario": [message]})
    key = scenario.id
    if key in library.shipped():
        raise Conflict(_("A scenario of the library already has the id %(key)s: give yours another id.") % {"key": key})
    row, created = CourseScenario.objects.select_for_update().get_or_create(
        course=actor.course, key=key, defaults={"source": source, "updated_by": actor.person})
    if not created and row.source != source:
        if SimulationAttempt.objects.filter(course=actor.course, scenario=key, status=PLAYING).exists():
            raise Conflict(_("Students are playing this scenario: give the changed version a new id."))
        row.source, row.updated_by = source, actor.person
        row.save()
    # The attempts of this scenario name the text they are shown with: the one stored now.
    SimulationAttempt.objects.filter(course=actor.course, scenario=key).exclude(
        scenario_digest=scenario.digest).update(scenario_digest=scenario.digest)
    library.forget(actor.course, key)
    audit.record(actor, "simulation_scenario", changes={"scenario": key, "created": created})
    return key


# --- attempts -------------------------------------------------------------------------------


def _record(actor, action, student, changes, comment=""):
    """An audit row tied to the student's placement, so it shows with the rest of their record."""
    placement = Placement.objects.filter(course=actor.course, student=student).first()
    audit.record(actor, action, placement=placement, changes=changes, comment=comment)


def _as_student(actor):
    if not actor.has(roles.STUDENT) or actor.person is None:
        raise Forbidden(_("Only students play simulations; supervisors see their attempts."))


def open_attempt(actor, key, mode=ASSESSMENT):
    """The student's attempt in progress (playing or at the debrief) in this mode, or None."""
    _as_student(actor)
    return _in_course(actor, reads.open_attempt(actor.course, actor.person, key, mode_of(mode), (PLAYING, DEBRIEF)))


def _in_course(actor, attempt):
    """The attempt holding the actor's course object (the same row), so reading its course costs no query."""
    if attempt is not None:
        attempt.course = actor.course
    return attempt


def attempts_left(actor, key, mode=ASSESSMENT, rules=None):
    """Assessment attempts left under the policy (`rules`, when the caller has it); None for no limit
    (practice never has one)."""
    if mode_of(mode) == PRACTICE:
        return None
    limit = (rules or policy(actor.course, key)).max_attempts
    if limit is None:
        return None
    used = SimulationAttempt.objects.filter(course=actor.course, student=actor.person, scenario=key,
                                            mode=ASSESSMENT).count()
    return max(0, limit - used)


@transaction.atomic
def start(actor, key, mode=ASSESSMENT):
    """Resume the student's attempt in progress, or begin a new one within the policy."""
    _as_student(actor)
    mode = mode_of(mode)
    scenario = library.get(actor.course, key)
    # Locks the placement row so two tabs cannot start two attempts at once.
    Placement.objects.select_for_update().filter(course=actor.course, student=actor.person).first()
    current = open_attempt(actor, key, mode)
    if current is not None:
        return current
    if attempts_left(actor, key, mode) == 0:
        raise Forbidden(_("You have used all your attempts at this simulation."))
    number = (SimulationAttempt.objects.filter(course=actor.course, student=actor.person, scenario=key)
              .aggregate(n=Max("number"))["n"] or 0) + 1
    state = scenario.begin()
    attempt = SimulationAttempt.objects.create(course=actor.course, student=actor.person, scenario=key, mode=mode,
                                               number=number, node=state.node, variables=state.variables,
                                               scenario_digest=getattr(scenario, "digest", ""))
    _record(actor, "simulation_start", actor.person, {"scenario": key, "attempt": number, "mode": mode})
    return attempt


def _own(actor, attempt_id, statuses=(PLAYING,)):
    _as_student(actor)
    try:
        attempt = reads.own_attempt(actor.course, actor.person, optional_id(attempt_id))
    except (ValueError, TypeError):
        attempt = None
    if attempt is None:
        raise NotFound(_("This attempt does not exist or is not yours."))
    _in_course(actor, attempt)
    if attempt.status not in statuses:
        raise Conflict(_("This attempt has moved on: here is where it stands now."))
    return attempt, library.get(actor.course, attempt.scenario, attempt.scenario_digest)


def _at(attempt, node_id):
    # A form from an older page (another tab, a double click) must not be applied twice.
    if node_id != attempt.node:
        raise Conflict(_("This attempt has moved on: here is where it stands now."))


def _advance(attempt, scenario, state, step):
    attempt.path = attempt.path + [step]
    attempt.node, attempt.variables = state.node, state.variables
    if scenario.finished(state):
        attempt.status, attempt.ending = DEBRIEF, state.node
    attempt.save(update_fields=["path", "node", "variables", "status", "ending", "updated_at"])
    return attempt


@transaction.atomic
def choose(actor, attempt_id, node_id, choice_id):
    attempt, scenario = _own(actor, attempt_id)
    _at(attempt, node_id)
    try:
        state = scenario.choose(State(attempt.node, attempt.variables), choice_id)
    except KeyError:
        raise Invalid(_("Choose one of the options offered."))
    return _advance(attempt, scenario, state, {"node": node_id, "choice": choice_id})


def clean_text(value, field, *, required=True):
    """Free text about a client: required, bounded, and without any identifier (nothing is stored otherwise)."""
    return check_free_text(value, field, required=required, missing=_("Please write your answer."))


@transaction.atomic
def answer(actor, attempt_id, node_id, text):
    attempt, scenario = _own(actor, attempt_id)
    _at(attempt, node_id)
    if scenario.nodes[node_id]["type"] != "free_text":
        raise Invalid(_("This step asks for a choice, not a written answer."))
    text = clean_text(text, "answer")
    state = scenario.answer(State(attempt.node, attempt.variables))
    SimulationAnswer.objects.create(attempt=attempt, node=node_id, step=len(attempt.path), text=text)
    return _advance(attempt, scenario, state, {"node": node_id, "text": True})


@transaction.atomic
def undo(actor, attempt_id):
    """Take back the last step. It stays on record: it still caps the credit of its node."""
    attempt, scenario = _own(actor, attempt_id, statuses=(PLAYING, DEBRIEF))
    if not may_undo(attempt):
        raise Forbidden(_("Going back is not allowed in this simulation."))
    if not attempt.path:
        raise Conflict(_("There is no step to take back."))
    last = attempt.path[-1]
    attempt.path, attempt.undone = attempt.path[:-1], attempt.undone + [last]
    state = scenario.replay(attempt.path)
    attempt.node, attempt.variables, attempt.status, attempt.ending = state.node, state.variables, PLAYING, ""
    attempt.save()
    attempt.answers.filter(step=len(attempt.path)).delete()
    _record(actor, "simulation_undo", actor.person,
            {"scenario": attempt.scenario, "attempt": attempt.number, "step": last})
    return attempt


def may_undo(attempt):
    """Practice lets a student retry any step; assessment follows the course's policy (read with the
    attempt when it came through `reads`)."""
    if attempt.mode == PRACTICE:
        return True
    rule = getattr(attempt, "undo_rule", None)
    return bool(rule) if rule is not None else policy(attempt.course, attempt.scenario).undo_allowed


@transaction.atomic
def hint(actor, attempt_id, node_id):
    """The author's hint for where the student stands ({en, ar}), noted in the attempt. Practice only."""
    attempt, scenario = _own(actor, attempt_id)
    _at(attempt, node_id)
    if attempt.mode != PRACTICE:
        raise Forbidden(_("Hints are offered in practice only."))
    found = scenario.hint(node_id)
    if not found:
        raise NotFound(_("This step has no hint."))
    asked = {"node": node_id, "step": len(attempt.path)}
    if asked not in attempt.hints:
        attempt.hints = attempt.hints + [asked]
        attempt.save(update_fields=["hints", "updated_at"])
    return found


@transaction.atomic
def reflect(actor, attempt_id, reflection):
    """Finish an attempt with its required reflection; publish the grade if the policy's grade moved."""
    attempt, scenario = _own(actor, attempt_id, statuses=(DEBRIEF,))
    attempt.reflection = clean_text(reflection, "reflection")
    before = published_grade(actor.course, actor.person, attempt.scenario)
    attempt.score, attempt.competencies = scenario.result(attempt.path, attempt.undone)
    attempt.status, attempt.finished_at = FINISHED, timezone.now()
    attempt.save()
    _record(actor, "simulation_finish", actor.person, {
        "scenario": attempt.scenario, "attempt": attempt.number, "score": attempt.score, "ending": attempt.ending})
    after = published_grade(actor.course, actor.person, attempt.scenario)
    if after != before and attempt.mode == ASSESSMENT:
        grades.queue_grade(actor.course, actor.person, activity(attempt.scenario), after)
        _record(actor, "simulation_grade", actor.person, {"scenario": attempt.scenario, "grade": [before, after]})
    return attempt


# --- the grade: the choices, and the written work once its rubric grades are released ----------

# The rubrics (course_content/rubrics/) that grade written answers and reflections; grading uses the same names.
ANSWER_RUBRIC, REFLECTION_RUBRIC = "simulation-answer", "reflection"
DEFAULT_WRITTEN_WEIGHT = 0.3


def written_weight(scenario):
    """The share of the grade the written work carries (the scenario's `written_weight`, 0..1)."""
    return scenario.data.get("written_weight", DEFAULT_WRITTEN_WEIGHT)


def released_markings(attempts):
    """{attempt id: {piece: final score}} of released rubric grades; a piece is an answer's node or "reflection"."""
    from ..grading.models import Marking  # grading builds on the simulation, not the other way round

    found = defaultdict(dict)
    ids = [a.pk for a in attempts]
    rows = Marking.objects.filter(status=Marking.RELEASED).filter(
        Q(attempt_id__in=ids, rubric=REFLECTION_RUBRIC) | Q(answer__attempt_id__in=ids, rubric=ANSWER_RUBRIC)
    ).select_related("answer")
    for m in rows:
        if m.final_score is not None:
            found[m.attempt_id or m.answer.attempt_id][m.answer.node if m.answer_id else "reflection"] = m.final_score
    return found


def attempt_grade(attempt, weight, released, answered):
    """The attempt's grade (0..1): its choice score until every written piece (each written answer and the
    reflection) has a released rubric grade, then (1 - weight) × choice score + weight × their mean."""
    pieces = set(answered) | {"reflection"}
    if attempt.score is None or not weight or not pieces <= set(released):
        return attempt.score
    written = sum(released[p] for p in pieces) / len(pieces)
    return round((1 - weight) * attempt.score + weight * written, 4)


def published_grade(course, student, key):
    """The grade the policy gives (0..1) from the finished attempts, or None before any."""
    finished = list(SimulationAttempt.objects.filter(course=course, student=student, scenario=key, status=FINISHED,
                                                     mode=ASSESSMENT).order_by("number").prefetch_related("answers"))
    if not finished:
        return None
    weight = written_weight(library.get(course, key))
    released = released_markings(finished)
    scores = [attempt_grade(a, weight, released[a.pk], [x.node for x in a.answers.all()]) for a in finished]
    rule = policy(course, key).grade_rule
    return {BEST: max(scores), LAST: scores[-1], FIRST: scores[0]}[rule]


def regrade(course, student, key):
    """A released (or overridden) rubric grade moved: the simulation's grade goes out again."""
    grade = published_grade(course, student, key)
    addresses = GradeDestination.objects.filter(course=course, activity=activity(key)).values("address")
    last = GradeOutbox.objects.filter(course=course, student=student, destination__in=addresses).order_by(
        "-updated_at", "-pk").first()
    if grade is not None and (last is None or last.score != grade):
        grades.queue_grade(course, student, activity(key), grade)


# --- what supervisors and authors see ---------------------------------------------------------


def _students_seen(actor):
    """None for all students of the course, else the ids of the students this actor may see."""
    if actor.supervises_course or (actor.has(roles.AUTHOR) and not actor.has(roles.AGENCY, roles.STUDENT)):
        return None
    if actor.has(roles.AGENCY):
        return list(visible_placements(actor).values_list("student_id", flat=True))
    return [actor.person.pk] if actor.person else []


def attempts(actor, key, student_id=None):
    """Attempts this actor may read: students their own, agency supervisors their students', course
    supervisors everyone's. Authors see analytics only."""
    if actor.has(roles.AUTHOR) and not actor.has(roles.STUDENT, *roles.COURSE_SUPERVISORS, roles.AGENCY):
        raise Forbidden(_("Authors see the analytics of a simulation, not students' attempts."))
    rows = SimulationAttempt.objects.filter(course=actor.course, scenario=key).select_related("student")
    seen = _students_seen(actor)
    if seen is not None:
        rows = rows.filter(student_id__in=seen)
    if student_id:
        rows = rows.filter(student_id=optional_id(student_id))
    return rows.order_by("student__name", "student_id", "number")


def attempt_for(actor, key, attempt_id):
    try:
        return attempts(actor, key).prefetch_related("answers").get(pk=optional_id(attempt_id))
    except (SimulationAttempt.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("This attempt does not exist or is not yours to see."))


def analytics(actor, key, language="en"):
    """Choice counts per node, where learners failed, average per competency, over finished attempts."""
    if not actor.has(*ANALYSTS):
        raise Forbidden(_("Only supervisors and authors see the analytics of a simulation."))
    scenario = library.get(actor.course, key)
    rows = SimulationAttempt.objects.filter(course=actor.course, scenario=key)
    seen = _students_seen(actor)
    if seen is not None:
        rows = rows.filter(student_id__in=seen)
    chosen, visits, endings, hinted = Counter(), Counter(), Counter(), Counter()
    competency = defaultdict(list)
    scores = []
    for path, status, ending, score, profile, hints in rows.values_list(
            "path", "status", "ending", "score", "competencies", "hints"):
        hinted.update(asked["node"] for asked in hints)
        for step in path:
            visits[step["node"]] += 1
            if "choice" in step:
                chosen[(step["node"], step["choice"])] += 1
        if status == FINISHED:
            endings[ending] += 1
            scores.append(score)
            for tag, share in profile.items():
                competency[tag].append(share)
    nodes = []
    for nid, node in scenario.nodes.items():
        if node["type"] != "choice":
            continue
        best = scenario.best(nid)
        choices = [{"id": c["id"], "text": in_language(c["text"], language), "count": chosen[(nid, c["id"])],
                    "score": c.get("score", 0), "weak": c.get("score", 0) < best} for c in node["choices"]]
        weak = sum(c["count"] for c in choices if c["weak"])
        nodes.append({"id": nid, "phase": node["phase"], "text": in_language(node["text"], language),
                      "visits": visits[nid], "choices": choices, "weak": weak, "hints": hinted[nid],
                      "weak_share": round(weak / visits[nid], 2) if visits[nid] else 0})
    failed = sorted((n for n in nodes if n["weak"]), key=lambda n: -n["weak_share"])[:5]
    return {
        "scenario": scenario,
        "attempts": rows.count(),
        "finished": len(scores),
        "average": round(sum(scores) / len(scores), 4) if scores else None,
        "nodes": nodes,
        "failed": failed,
        "endings": [{"id": nid, "outcome": n.get("outcome", "mixed"), "text": in_language(n["text"], language),
                     "count": endings[nid]} for nid, n in scenario.nodes.items() if n["type"] == "ending"],
        "competencies": [{"tag": tag, "name": competency_name(scenario, tag, language),
                          "average": round(sum(v) / len(v), 4), "count": len(v)}
                         for tag, v in sorted(competency.items(), key=lambda kv: kv[0].zfill(4))],
    }


def competency_name(scenario, tag, language):
    """A competency's name: the scenario's own framework, or the EPAS names of the product's catalog."""
    if "competencies" in scenario.data:
        return in_language(scenario.competency_names.get(tag, tag), language)
    with translation.override(language):
        return f"{tag}. {vocab.COMPETENCIES[int(tag)]}"


def analytics_csv(actor, key, language="en"):
    """The choice counts as CSV: one row per choice, with how often learners took it."""
    report = analytics(actor, key, language)
    rows = [["node", "phase", "node_text", "visits", "choice", "choice_text", "times_chosen", "score", "below_best",
             "hints_asked"]]
    rows += [[node["id"], node["phase"], node["text"], node["visits"], choice["id"], choice["text"], choice["count"],
              choice["score"], int(choice["weak"]), node["hints"]] for node in report["nodes"] for choice in node["choices"]]
    rows += [[], ["competency", "name", "average", "attempts"]]
    rows += [[row["tag"], row["name"], row["average"], row["count"]] for row in report["competencies"]]
    return spreadsheets.csv_text(rows)

