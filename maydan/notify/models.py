"""Notification rows and each person's choice of how often to hear about each kind."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import Course, Person

__all__ = ["Notification", "Preference"]

# What a person can be told about; each kind can be chosen separately (now, daily, weekly, never).
KINDS = {
    "agency_link": _("Your agency supervisor link"),
    "entry_returned": _("Entries returned to you"),
    "grade_released": _("Grades released to you"),
    "log_reminder": _("Weekly field log reminders"),
    "evaluation_reminder": _("Evaluation due date reminders"),
    "agency_digest": _("Entries waiting for your approval"),
    "academic_digest": _("Entries to countersign and work to grade"),
    "agency_quiet": _("Agency supervisors who approved nothing for a week"),
    "coordinator_digest": _("The cohort dashboard's alerts"),
    "agreement_ending": _("Affiliation agreements about to end"),
    "address_confirm": _("Confirming your e-mail address"),
    "document_returned": _("Readiness documents returned to you"),
    "document_expiring": _("Readiness documents about to expire"),
}
# Sent whatever the preferences: only ever to someone who just asked for it.
ALWAYS = frozenset({"address_confirm"})
CADENCES = {
    "now": _("Right away"),
    "daily": _("Daily digest"),
    "weekly": _("Weekly digest"),
    "never": _("Never"),
}


class Notification(models.Model):
    """One message to one address. `key` (recipient, kind, subject, period) makes it once only."""

    key = models.CharField(max_length=255, unique=True)
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    address = models.EmailField(_("to"))
    kind = models.CharField(_("kind"), max_length=32, choices=list(KINDS.items()))
    # Why it was written: the audit action or the rule that decided it.
    reason = models.CharField(_("why"), max_length=255, blank=True)
    language = models.CharField(max_length=8, default="ar")
    subject = models.CharField(_("subject"), max_length=255)
    # {"intro": str, "items": [{"text", "quote", "url"}], "url": str, "action": str}: words already in `language`.
    content = models.JSONField(default=dict)
    # Rows of one address, kind and batch ("daily:2026-12-01") go out as one e-mail; "" goes alone.
    batch = models.CharField(max_length=32, blank=True)
    due_at = models.DateTimeField(_("due"))
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"]), models.Index(fields=["address", "kind"])]

    def __str__(self):
        return self.subject


class Preference(models.Model):
    """How often an address hears about one kind; none means the kind's default."""

    address = models.EmailField()
    kind = models.CharField(max_length=32, choices=list(KINDS.items()))
    cadence = models.CharField(max_length=8, choices=list(CADENCES.items()))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["address", "kind"], name="one_preference_per_kind")]
