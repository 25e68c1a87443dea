"""The program's list of readiness documents and the files students upload for them.

A requirement belongs to the program (many courses and terms share it); a document belongs to
the student and the requirement, and is filed with the course it was uploaded from (where its
audit rows go). The file itself lives in a Django storage (files.storage), never under a public URL.
"""
from django.db import models

__all__ = ["ReadinessRequirement", "ReadinessDocument"]


class ReadinessRequirement(models.Model):
    """One thing a student must hand in before starting, e.g. a police clearance."""

    program = models.ForeignKey("maydan.Program", on_delete=models.PROTECT, related_name="requirements")
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    # How long a document stays valid from the day it was issued; None: only its own expiry date, if any.
    valid_days = models.PositiveIntegerField(null=True, blank=True)
    # Optional ones are listed and reviewed, but a placement is ready to start without them.
    required = models.BooleanField(default=True)
    # Taken off the list: no longer asked for; documents already handed in stay until retention.
    retired = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "title"], name="readiness_title_per_program")]

    def __str__(self):
        return self.title


class ReadinessDocument(models.Model):
    SUBMITTED, APPROVED, RETURNED = "submitted", "approved", "returned"
    STATUSES = (SUBMITTED, APPROVED, RETURNED)

    requirement = models.ForeignKey(ReadinessRequirement, on_delete=models.PROTECT, related_name="documents")
    student = models.ForeignKey("maydan.Person", on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey("maydan.Course", on_delete=models.PROTECT, related_name="+")
    # Its name in the documents' storage (files.storage, read at each use: the setting may name any backend),
    # random: nothing in it says whose file it is or what it holds.
    file = models.CharField(max_length=255)
    # The type found in the file's content (never the name the student gave it).
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    issued_on = models.DateField()
    # The expiry printed on the document, when it has one.
    expires_on = models.DateField(null=True, blank=True)
    # The day it stops being valid: the earlier of expires_on and issued_on + the requirement's valid_days.
    valid_until = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=[(s, s) for s in STATUSES], default=SUBMITTED)
    comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey("maydan.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # When a newer document took its place (the retention period runs from then).
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["student", "requirement", "replaced_at"]),
                   models.Index(fields=["status", "replaced_at"])]
