"""Open edX's gradebook for grades the student is not there to publish: edx-submissions.

`runtime.publish` sets a grade for the runtime's own user, so a supervisor approving hours or
releasing an evaluation cannot publish it for the student. Staff-graded blocks (ORA2's staff
step, edx-sga) take another path, and so does this channel: a submission once per student item
(anonymous user id, course, usage key, block type), then `submissions.api.set_score`, whose
`score_set` signal the LMS grades app turns into a recomputed grade for that learner.

Rows come from the core's outbox like every delivery (claimed, retried, sent once). What the
student item needs is recorded as blocks are shown (`remember`): the anonymous id when the
student opens any Maydan block of the course, the block's type and points whoever opens it. A
student the LMS gave no anonymous id is never sent here; their row says why and waits for
their next visit, when `runtime.publish` takes it.
"""
import math
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connection

from maydan import grades
from maydan.models import GradeDestination, GradeOutbox, OpenEdxBlock, OpenEdxLearner

# The submission's answer: there is no student answer, only the grade a supervisor decided.
ANSWER = {"maydan": "grade decided by a supervisor"}


class NoAnonymousId(Exception):
    """The student has no anonymous user id in this course yet: the gradebook cannot name them."""


def available():
    """True where edx-submissions is an installed app (the LMS; the `openedx` extra here), unless the
    operator switched FEATURES["MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK"] off."""
    features = getattr(settings, "FEATURES", None) or {}
    return features.get("MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK", True) and apps.is_installed("submissions")


def remember(actor, block=None, anonymous_id=""):
    """Record what later deliveries need: a scored block's (destination, type, points) and the
    student's anonymous id, whichever this view has; no write when nothing changed."""
    if block:
        destination, block_type, max_score = block
        _keep(OpenEdxBlock, {"destination": destination},
              {"course_id": actor.course.pk, "block_type": block_type, "max_score": max_score})
    if anonymous_id and actor.person is not None:
        _keep(OpenEdxLearner, {"course": actor.course, "student": actor.person}, {"anonymous_id": anonymous_id})


@dataclass(frozen=True)
class Kept:
    """What a view's records already hold: the destination registered, the block's and the student's
    gradebook rows as they should be, and whether a grade waits for this student here."""

    registered: bool
    block: bool
    learner: bool
    waiting: bool


def kept(actor, destination, block=None, anonymous_id="", student=None):
    """The records a view keeps, read in one query: a returning person's view usually has nothing to write.
    `block` is (destination, type, points) where the gradebook channel is on; a grade waiting is looked for
    only for `student`. In SQL written out: the ORM would spend some twenty times the database's time
    compiling these four subqueries, on every view of every block."""
    checks, params = [], []

    def check(name, model, where, *values):
        checks.append(f"EXISTS(SELECT 1 FROM {model._meta.db_table} WHERE {where}) AS {name}")
        params.extend(values)

    if destination:
        check("registered", GradeDestination, "course_id = %s AND address = %s", actor.course.pk, destination)
        if student is not None:
            check("waiting", GradeOutbox, "destination = %s AND student_id = %s AND delivered_at IS NULL",
                  destination, student.pk)
    if block:
        address, block_type, max_score = block
        check("block", OpenEdxBlock, "destination = %s AND course_id = %s AND block_type = %s AND max_score = %s",
              address, actor.course.pk, block_type, max_score)
    if anonymous_id and actor.person is not None:
        check("learner", OpenEdxLearner, "course_id = %s AND student_id = %s AND anonymous_id = %s",
              actor.course.pk, actor.person.pk, anonymous_id)
    found = {}
    if checks:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(checks), params)
            found = {column[0]: bool(value) for column, value in zip(cursor.description, cursor.fetchone())}
    return Kept(registered=found.get("registered", True), block=found.get("block", True),
                learner=found.get("learner", True), waiting=found.get("waiting", False))


def _keep(model, lookup, values):
    """One row for `lookup` holding `values`, written only when it is missing or different."""
    row = model.objects.filter(**lookup).values(*values).first()
    if row is None:
        model.objects.get_or_create(**lookup, defaults=values)
    elif row != values:
        model.objects.filter(**lookup).update(**values)


def points(score, maximum):
    """(earned, possible) as edx-submissions stores them: whole points of the block's maximum.

    The LMS reads a submissions score as the block's weighted score, so the maximum is the block's
    weight, in whole points (a block of weight 10 takes grades to the point).
    """
    possible = max(math.floor(maximum + 0.5), 0)
    return math.floor(max(0.0, min(score, 1.0)) * possible + 0.5), possible  # halves up, as people round


def student_item(anonymous_id, course_id, destination, block_type):
    return {"student_id": anonymous_id, "course_id": course_id,
            "item_id": destination.removeprefix("xblock:"), "item_type": block_type}


def set_score(item, score, maximum):
    """The student item's score: its one submission made first if it has none. A block worth no
    points has nothing to show (the LMS takes a submissions score only out of more than 0)."""
    from submissions import api

    if points(score, maximum)[1] == 0:
        return
    found = api.get_submissions(item, limit=1)
    uuid = found[0]["uuid"] if found else api.create_submission(item, ANSWER)["uuid"]
    api.set_score(uuid, *points(score, maximum))


def sender(actor, destination, block_type, max_score):
    """For the student's own visit: a send function through edx-submissions if their item there
    already has a score (the LMS reads it before what `runtime.publish` sets), else None."""
    if not available():
        return None
    from submissions import api

    learner = OpenEdxLearner.objects.filter(course=actor.course, student=actor.person).first()
    if learner is None:
        return None
    item = student_item(learner.anonymous_id, actor.course.context_id, destination, block_type)
    if api.get_score(item) is None:
        return None
    return lambda score: set_score(item, score, max_score)


def deliver_due(course=None, limit=500):
    """Set every due grade of the Open edX blocks (of `course`, or all) in the gradebook;
    (delivered, failed) counts. A student without an anonymous id counts as failed, with the reason."""
    if not available():
        return 0, 0
    blocks = OpenEdxBlock.objects.select_related("course")
    blocks = {b.destination: b for b in (blocks if course is None else blocks.filter(course=course))}
    rows = grades.due(list(blocks), limit=limit) if blocks else []
    learners = {(learner.course_id, learner.student_id): learner.anonymous_id
                for learner in OpenEdxLearner.objects.filter(student__in={row.student_id for row in rows})}

    def send(taken):
        row, block = taken.row, blocks[taken.row.destination]
        anonymous_id = learners.get((row.course_id, row.student_id))
        if not anonymous_id:
            raise NoAnonymousId("not in the Open edX gradebook: the LMS has given this student no "
                                "anonymous id here yet; sent when they next open the block")
        set_score(student_item(anonymous_id, block.course.context_id, row.destination, block.block_type),
                  taken.score, block.max_score)

    return grades.send_rows(rows, send, channel="Open edX gradebook")
