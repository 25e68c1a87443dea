"""Site visits: the academic supervisor (faculty liaison) at a student's agency, in person or online."""
from django.db import models

from ..models import Person, Placement

__all__ = ["SiteVisit"]


class SiteVisit(models.Model):
    """One visit to a placement: scheduled first (or recorded straight after), then recorded with a short form."""

    SCHEDULED, RECORDED, CANCELLED = "scheduled", "recorded", "cancelled"

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(max_length=16, default="on_site")  # rules.KINDS
    # Wall-clock date and time in the course's time zone, as sessions keep theirs.
    day = models.DateField()
    start_time = models.TimeField()
    minutes = models.PositiveIntegerField(default=60)
    meeting_link = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=16, default=SCHEDULED)
    # Grows with every change, so a subscribed calendar takes it (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    # The record: who was met (rules.MET keys), how the student is doing, concerns and actions agreed.
    met = models.JSONField(default=list, blank=True)
    progress = models.CharField(max_length=16, blank=True)  # rules.PROGRESS
    progress_note = models.TextField(blank=True)
    concerns = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    scheduled_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["day", "start_time", "id"]
        indexes = [models.Index(fields=["placement", "status"])]
