"""Corrections of released evaluations: every released state kept whole, and why it was reopened.

A released evaluation never changes in place: reopening keeps what the student was shown as a
version, the corrected release is kept as the next one, and the correction links both with its reason.
"""
from django.db import models

from ..models import Person
from .models import Evaluation

__all__ = ["EvaluationVersion", "Correction"]


class EvaluationVersion(models.Model):
    """One released state of an evaluation, as the student saw it: final values, score, both voices."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    final_values = models.JSONField(default=dict, blank=True)
    score = models.FloatField(null=True, blank=True)
    rule = models.JSONField(default=dict, blank=True)
    # {side: {"values": ..., "comments": ..., "author": name, "submitted_at": ISO}}
    sheets = models.JSONField(default=dict, blank=True)
    # {behaviour: {"value": ..., "reason": ..., "by": name}}
    decisions = models.JSONField(default=dict, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "number"], name="one_version_number")]


class Correction(models.Model):
    """A course supervisor reopened a released evaluation, with a reason; `after` is set at the corrected release."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="corrections")
    reason = models.TextField()
    # The sides handed back to their authors for new scores (none: only the rule or a decision changes).
    sides = models.JSONField(default=list, blank=True)
    reopened_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(auto_now_add=True)
    before = models.ForeignKey(EvaluationVersion, on_delete=models.PROTECT, related_name="+")
    after = models.ForeignKey(EvaluationVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["reopened_at", "id"]
