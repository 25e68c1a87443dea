"""Evaluations scored by both supervisors, rubric markings and learning agreements.

Both supervisors' scores stay on record beside the reconciled result; nothing is deleted.
Changes are written by `maydan.grading.services` only, each with its audit row.
"""
from django.db import models

from ..models import Course, LogEntry, Person, Placement
from ..tallies.keeping import Kept, KeptQuerySet

__all__ = ["GradingSettings", "Evaluation", "Scoresheet", "SelfEvaluation", "Decision", "Marking", "Agreement", "ProcessRecording"]


class GradingSettings(models.Model):
    """How a course reconciles the two supervisors' scores and what its students see at release."""

    course = models.OneToOneField(Course, on_delete=models.PROTECT, related_name="grading_settings")
    rule = models.CharField(max_length=16, default="weighted_mean")
    agency_weight = models.FloatField(default=1.0)
    academic_weight = models.FloatField(default=1.0)
    threshold = models.FloatField(default=1.0)
    # At release the student sees the final values; with this, also each supervisor's scores and comments.
    show_both_voices = models.BooleanField(default=True)
    # Release as soon as both submitted and nothing is left to decide, instead of by a supervisor's click.
    auto_release = models.BooleanField(default=False)
    # Process recordings are deleted this many days after they were written (audited).
    retention_days = models.PositiveIntegerField(default=365)
    # When each evaluation form is due: {form id: "YYYY-MM-DD"}; shown in the calendar feeds.
    due_dates = models.JSONField(default=dict, blank=True)
    # The evaluation forms the course uses (form ids), offered for placement; empty: every form.
    forms_in_use = models.JSONField(default=list, blank=True)


def _refresh_placements(placement_ids, using):
    from ..tallies import scores

    scores.refresh(placement_ids, using=using)


def _refresh_evaluations(evaluation_ids, using):
    from ..tallies import scores

    scores.refresh_evaluations(evaluation_ids, using=using)


class Evaluation(Kept, models.Model):
    """One competency evaluation form (mid-term, final, ...) of one placement.

    Every write keeps its placement's evaluation means per competency (maydan.tallies.scores)."""

    kept_fields = frozenset({"placement", "placement_id", "form", "final_values", "released_at"})
    kept_refresh = staticmethod(_refresh_placements)
    objects = KeptQuerySet.as_manager()

    OPEN, RELEASED = "open", "released"
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="evaluations")
    form = models.CharField(max_length=64)
    status = models.CharField(max_length=16, default=OPEN)
    # Set at release, from the rule then in force: {behaviour id: value or null}.
    final_values = models.JSONField(default=dict, blank=True)
    score = models.FloatField(null=True, blank=True)
    rule = models.JSONField(default=dict, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["placement", "form"], name="one_evaluation_per_form")]
        # The grading queue reads a course's open evaluations per placement from this index alone; without it the
        # planner reads the open evaluations of every course.
        # The cohort dashboard counts each placement's released evaluations from the second alone.
        indexes = [models.Index(fields=["placement", "form", "id"], condition=models.Q(status="open"),
                                name="evaluation_open"),
                   models.Index(fields=["placement", "id"], condition=models.Q(status="released"),
                                name="evaluation_released")]


class Scoresheet(Kept, models.Model):
    """One supervisor's scores of an evaluation: the agency side or the academic side.

    Every write keeps its placement's evaluation means per competency (maydan.tallies.scores)."""

    kept_link = "evaluation_id"
    kept_fields = frozenset({"evaluation", "evaluation_id", "side", "values", "submitted_at"})
    kept_refresh = staticmethod(_refresh_evaluations)
    objects = KeptQuerySet.as_manager()

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="sheets")
    side = models.CharField(max_length=16)
    # {behaviour id: 1..5 or null for N/O}; {competency id or "overall": comment}.
    values = models.JSONField(default=dict, blank=True)
    comments = models.JSONField(default=dict, blank=True)
    author = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "side"], name="one_sheet_per_side")]


class SelfEvaluation(models.Model):
    """The student's own scores of one evaluation form, filled before the supervisors' evaluation.

    Kept apart from the supervisors' scoresheets so that nothing reading those can show it by
    mistake: a supervisor sees it only once their own side is submitted (maydan.grading.selfeval).
    """

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="self_evaluations")
    form = models.CharField(max_length=64)
    # As a scoresheet: {behaviour id: 1..5 or null for N/O}; {competency id or "overall": comment}.
    values = models.JSONField(default=dict, blank=True)
    comments = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["placement", "form"], name="one_self_evaluation_per_form")]


class Decision(models.Model):
    """A moderator's final value for a behaviour the two supervisors scored too far apart."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="decisions")
    behaviour = models.CharField(max_length=32)
    value = models.PositiveSmallIntegerField()
    reason = models.TextField()
    decided_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "behaviour"], name="one_decision_per_behaviour")]


class Marking(models.Model):
    """A rubric grade of one piece of a student's writing: exactly one of a log entry's reflection,
    a simulation's written answer, a simulation attempt's debrief reflection, a process recording."""

    DRAFT, IN_REVIEW, READY, RELEASED = "draft", "in_review", "ready", "released"
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="markings")
    entry = models.ForeignKey(LogEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="markings")
    answer = models.ForeignKey("maydan.SimulationAnswer", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="markings")
    attempt = models.ForeignKey("maydan.SimulationAttempt", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="markings")
    # A recording is deleted after the retention period; its grade stays on record.
    recording = models.ForeignKey("maydan.ProcessRecording", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="markings")
    rubric = models.CharField(max_length=64)
    status = models.CharField(max_length=16, default=DRAFT)
    # {criterion id: points}
    choices = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True)
    score = models.FloatField(null=True, blank=True)
    override_score = models.FloatField(null=True, blank=True)
    override_reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "rubric"], name="one_marking_per_text"),
                       models.UniqueConstraint(fields=["answer", "rubric"], name="one_marking_per_answer"),
                       models.UniqueConstraint(fields=["attempt", "rubric"], name="one_marking_per_attempt"),
                       models.UniqueConstraint(fields=["recording", "rubric"], name="one_marking_per_recording")]
        # Whether a reflection or a debrief was graded, asked of a course's thousands at once, from the index alone
        # (without the second, the planner walks every attempt of the program to meet the markings in order).
        indexes = [models.Index(fields=["entry", "rubric"], condition=models.Q(status="released"),
                                name="released_entry_marking"),
                   models.Index(fields=["attempt", "rubric"], condition=models.Q(status="released"),
                                name="released_attempt_marking")]

    @property
    def final_score(self):
        return self.override_score if self.override_score is not None else self.score


class Agreement(models.Model):
    """The learning agreement (contract): the student's goals and planned activities per competency."""

    placement = models.OneToOneField(Placement, on_delete=models.PROTECT, related_name="agreement")
    # {competency id: {"goals": text, "activities": text}}
    goals = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    agency_signed_at = models.DateTimeField(null=True, blank=True)
    agency_signed_by = models.CharField(max_length=255, blank=True)
    academic_signed_at = models.DateTimeField(null=True, blank=True)
    academic_signed_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    @property
    def signed(self):
        return bool(self.agency_signed_at and self.academic_signed_at)


class ProcessRecording(models.Model):
    """A verbatim record of one helping interview, row by row, with the supervisor's comments.

    The client is a code, never a name; it is kept only for the course's retention period.
    """

    DRAFT, SUBMITTED = "draft", "submitted"
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="recordings")
    date = models.DateField()
    client_code = models.CharField(max_length=20)
    purpose = models.TextField(blank=True)
    # [{"worker": ..., "client": ..., "thoughts": ..., "skill": ..., "comment": ...}]
    rows = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, default=DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
