"""Sessions, their attendance and the private calendar feeds, shared by every adapter."""
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import Course, LogEntry, Person

__all__ = ["Session", "Attendance", "AttendanceReview", "FeedToken"]

SESSION_KINDS = {
    "group_supervision": _("Group supervision"),
    "individual_supervision": _("Individual supervision"),
    "online_class": _("Online class"),
    "case_conference": _("Case conference"),
    "e_conference": _("E-conference"),
}


class Session(models.Model):
    """A meeting, once or weekly, for the whole course or a supervision group."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    # Stable across edits: an imported invitation's UID, or one made here. Feeds use it.
    uid = models.CharField(max_length=255)
    # Grows with every change, so subscribed calendars take it (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    # The SEQUENCE of the last imported invitation: a later invitation must exceed it.
    invitation_sequence = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=32, choices=list(SESSION_KINDS.items()), default="group_supervision")
    title = models.CharField(max_length=255)
    agenda = models.TextField(blank=True)
    # Wall-clock date and time in `time_zone` (not an instant): a weekly meeting keeps its
    # local time across summer-time changes; occurrences are computed from it (see recurrence).
    start_date = models.DateField()
    start_time = models.TimeField()
    time_zone = models.CharField(max_length=64, default="Africa/Cairo")
    minutes = models.PositiveIntegerField()
    rule = models.CharField(max_length=255, blank=True)
    # Single meetings cancelled or moved (see recurrence.occurrences): {original local start: None or new local start}.
    exceptions = models.JSONField(default=dict, blank=True)
    meeting_link = models.URLField(max_length=500, blank=True)
    passcode = models.CharField(max_length=64, blank=True)
    # Empty: the whole course. Otherwise the supervision group's students.
    students = models.ManyToManyField(Person, blank=True, related_name="+")
    created_by = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_date", "start_time", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "uid"], name="session_uid_per_course")]

    def __str__(self):
        return self.title

    @property
    def local_start(self):
        return datetime.combine(self.start_date, self.start_time)

    @local_start.setter
    def local_start(self, value):
        self.start_date, self.start_time = value.date(), value.time()


class Attendance(models.Model):
    """One person at one meeting of a session: recorded once, credited once."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance")
    occurrence = models.DateTimeField()  # the meeting's start (UTC)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveIntegerField()
    reported_name = models.CharField(max_length=255, blank=True)
    entry = models.ForeignKey(LogEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Why no hours were credited (e.g. the student had already logged that time).
    note = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "occurrence", "person"], name="attendance_once")
        ]


class AttendanceReview(models.Model):
    """Report rows no course member matched, kept until the supervisor assigns or dismisses them."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="reviews")
    occurrence = models.DateTimeField()
    # [{"name", "email", "minutes", "first_join", "last_leave", "lines"}]
    rows = models.JSONField(default=list)
    created_by = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)


class FeedToken(models.Model):
    """A person's private calendar subscription address in one course; revoked, it opens nothing."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
