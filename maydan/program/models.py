"""The program level: what serves many courses and terms (agencies, agreements, openings, matching).

A program is (issuer, key): the platform and a program setting. A course joins one program;
its placements point back here through the course-level Agency the accepted offer fills in.
"""
from django.db import models

from .. import vocab

__all__ = ["Program", "ProgramCourse", "ProgramAgency", "AgencyContact", "Opening", "PlacementPreference", "Offer",
           "OpeningLink"]

OFFER_STATUSES = ("proposed", "sent", "accepted", "declined")


class Program(models.Model):
    issuer = models.CharField(max_length=255)
    key = models.CharField(max_length=64, default="main")
    title = models.CharField(max_length=255, blank=True)
    # How many openings a student may rank.
    max_ranks = models.PositiveSmallIntegerField(default=5)
    # Days a readiness document is kept once it no longer counts (replaced, returned or expired).
    document_retention_days = models.PositiveIntegerField(default=365)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "key"], name="program_per_platform")]

    def __str__(self):
        return self.title or self.key


class ProgramCourse(models.Model):
    """Which program a course belongs to (a course that names none is in its platform's "main")."""

    course = models.OneToOneField("maydan.Course", on_delete=models.PROTECT, related_name="program_link")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="courses")


class ProgramAgency(models.Model):
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=255)
    # Keys of rules.FIELDS, and language codes ("ar", "en", ...).
    fields = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    modality = models.CharField(max_length=16, choices=list(vocab.MODALITIES.items()), default="in_person")
    agreement_starts = models.DateField(null=True, blank=True)
    agreement_ends = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="program_agency_name")]

    def __str__(self):
        return self.name


class AgencyContact(models.Model):
    agency = models.ForeignKey(ProgramAgency, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(max_length=255)
    role = models.CharField(max_length=255, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=64, blank=True)


class Opening(models.Model):
    agency = models.ForeignKey(ProgramAgency, on_delete=models.PROTECT, related_name="openings")
    term = models.CharField(max_length=32)
    title = models.CharField(max_length=255)
    capacity = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=8, choices=list(vocab.PROGRAMS.items()), default="BSW")
    field = models.CharField(max_length=32, blank=True)
    modality = models.CharField(max_length=16, choices=list(vocab.MODALITIES.items()), default="in_person")
    schedule = models.CharField(max_length=255, blank=True)
    requirements = models.TextField(blank=True)
    # The students the agency prefers, best first (Person ids), when it gives any.
    agency_ranking = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["term", "level"])]


class PlacementPreference(models.Model):
    """One student's ranked openings for a term, from the course they study in."""

    course = models.ForeignKey("maydan.Course", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("maydan.Person", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="preferences")
    term = models.CharField(max_length=32)
    # Opening ids, best first.
    ranking = models.JSONField(default=list)
    statement = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "term", "student"], name="one_ranking_per_term")]


class Offer(models.Model):
    """A student put in an opening: proposed by the matching or by hand, then sent, accepted or declined."""

    opening = models.ForeignKey(Opening, on_delete=models.PROTECT, related_name="offers")
    course = models.ForeignKey("maydan.Course", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("maydan.Person", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=[(s, s) for s in OFFER_STATUSES], default="proposed")
    # Placed by the coordinator by hand: a rerun of the matching keeps it.
    manual = models.BooleanField(default=False)
    supervisor_name = models.CharField(max_length=255, blank=True)
    placement = models.ForeignKey("maydan.Placement", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["opening", "status"])]


class OpeningLink(models.Model):
    """A signed, expiring, revocable link an agency contact uses for its openings and offers."""

    agency = models.ForeignKey(ProgramAgency, on_delete=models.PROTECT, related_name="links")
    # The course the coordinator issued it from: where its audit rows are filed.
    course = models.ForeignKey("maydan.Course", on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey("maydan.Person", on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
