"""The student's evaluation of their placement: the agency and the supervision, rated at the end."""
from django.db import models

from ..models import Placement

__all__ = ["PlacementFeedback"]


class PlacementFeedback(models.Model):
    """One student's answers about their placement; read only in aggregate, never per student by the agency."""

    placement = models.OneToOneField(Placement, on_delete=models.PROTECT, related_name="feedback")
    survey = models.CharField(max_length=64)
    # The agency's name when answered: results stay grouped by it if the placement moves later.
    agency = models.CharField(max_length=255)
    # {question id: 1..5}; {"comment": text} for the free text.
    ratings = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
