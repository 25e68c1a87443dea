"""The stored sums of each placement's field log (maydan.tallies)."""
from django.db import models

__all__ = ["PlacementTally", "EvidenceTally"]


class PlacementTally(models.Model):
    """One placement's sums over its entries, recomputed in the transaction of every entry change.

    A placement with no row has no entries that count: every sum is zero.
    """

    placement = models.OneToOneField("maydan.Placement", primary_key=True, on_delete=models.CASCADE,
                                     related_name="tally")
    approved_minutes = models.PositiveIntegerField(default=0)
    pending_minutes = models.PositiveIntegerField(default=0)
    returned_minutes = models.PositiveIntegerField(default=0)
    # The day of the latest entry sent for approval (drafts and withdrawn entries left out).
    last_entry = models.DateField(null=True, blank=True)
    # What the supervisors' overview lists: entries waiting for approval, approved ones waiting for the countersign,
    # and the day of the latest entry logged (drafts in, withdrawn entries left out).
    waiting = models.PositiveIntegerField(default=0)
    to_countersign = models.PositiveIntegerField(default=0)
    last_logged = models.DateField(null=True, blank=True)
    # Approved minutes: {activity type or time kind: minutes}, {competency "1".."9": minutes}.
    categories = models.JSONField(default=dict, blank=True)
    competencies = models.JSONField(default=dict, blank=True)
    # Days over 12 h and Mondays of weeks over 40 h of submitted time, as ISO dates, in order.
    bunched_days = models.JSONField(default=list, blank=True)
    bunched_weeks = models.JSONField(default=list, blank=True)


class EvidenceTally(models.Model):
    """One placement's evaluation means per competency, recomputed in the transaction of every write to its
    evaluations and scoresheets: {competency "1".."9": [the final mean (None before release), for each evaluation
    that scored the competency, in the order of their forms]}. A placement with no row has no evaluation."""

    placement = models.OneToOneField("maydan.Placement", primary_key=True, on_delete=models.CASCADE,
                                     related_name="evidence_tally")
    finals = models.JSONField(default=dict, blank=True)
