"""Everything supervisors read across students lives here, shared by every adapter.

Nothing here is deleted: entries are superseded through their status and every change
is kept in the audit trail.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import roles, vocab
from .tallies.keeping import TalliedEntry, TalliedQuerySet


class Course(models.Model):
    """A course on one platform: (issuer, context id). Open edX is one issuer, each LTI platform another."""

    issuer = models.CharField(max_length=255)
    context_id = models.CharField(max_length=255)
    title = models.CharField(max_length=255, blank=True)
    time_zone = models.CharField(max_length=64, default="Africa/Cairo")
    language = models.CharField(max_length=8, default="ar")
    # True once a supervisor chose `language` in the course settings: launches that carry no locale
    # then use it. Otherwise `language` is only what the first launch spoke.
    language_chosen = models.BooleanField(default=False)
    # How Arabic screens write numbers: CLDR numbering system "latn" (0-9) or "arab" (٠-٩).
    digits = models.CharField(max_length=8, default="latn")
    program = models.CharField(max_length=8, choices=list(vocab.PROGRAMS.items()), default="BSW")
    # None means the program's default (BSW 400 h, MSW 900 h).
    target_hours = models.PositiveIntegerField(null=True, blank=True)
    # {"direct": 200, "supervision": 20}: a time kind or an activity type, in hours.
    category_targets = models.JSONField(default=dict, blank=True)
    # The school's name as its documents (certificates, agreements) carry it.
    school_name = models.CharField(max_length=255, blank=True)
    # The school's logo on its documents: a PNG kept through Django's storage API (maydan.documents.branding).
    logo = models.FileField(upload_to="maydan/logos/", max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "context_id"], name="course_per_platform")]

    def __str__(self):
        return self.title or self.context_id


class Person(models.Model):
    """A person as one platform knows them: (issuer, subject)."""

    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    name = models.CharField(max_length=255, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="person_per_platform")]

    def __str__(self):
        return self.name or self.subject


class Membership(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=roles.CHOICES)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "person", "role"], name="one_role_once")]


class Agency(models.Model):
    """A placement agency (school, hospital, NGO, care home...) a course places students at."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("type"), max_length=64, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    contact = models.CharField(_("contact"), max_length=255, blank=True)

    class Meta:
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(fields=["course", "name"], name="agency_name_per_course")]

    def __str__(self):
        return self.name


class Placement(models.Model):
    """A student's field placement in a course: where, with whom, towards which target."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="placements")
    student = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="placements")
    agency = models.CharField(_("placement agency"), max_length=255, blank=True)
    academic_supervisor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="academic_placements"
    )
    agency_supervisor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="agency_placements"
    )
    target_hours = models.PositiveIntegerField(null=True, blank=True)
    # The agency as a record (the coordinator's placements admin); `agency` above keeps its name as text.
    host_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="placements")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "student"], name="one_placement_per_course")]

    def __str__(self):
        return f"{self.student} @ {self.agency}"


class LogEntry(TalliedEntry, models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="entries")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    minutes = models.PositiveIntegerField()
    activity_type = models.CharField(max_length=32, choices=list(vocab.ACTIVITY_TYPES.items()))
    modality = models.CharField(max_length=16, choices=list(vocab.MODALITIES.items()))
    meeting_link = models.URLField(max_length=500, blank=True)
    time_kind = models.CharField(max_length=16, choices=list(vocab.TIME_KINDS.items()))
    agency = models.CharField(max_length=255, blank=True)
    competencies = models.JSONField(default=list, blank=True)
    client_code = models.CharField(max_length=20, blank=True)
    description = models.TextField(blank=True)
    reflection = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=list(vocab.STATUSES.items()), default=vocab.DRAFT)
    review_comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    # Every write keeps its placement's sums (maydan.tallies).
    objects = TalliedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time", "-id"]
        indexes = [
            # The cohort's sums (hours by state and category, days and weeks over the limits) read these columns
            # for every entry of the course: from the index alone (PostgreSQL, SQLite), not from the table.
            models.Index(fields=["placement", "status", "date", "minutes", "activity_type", "time_kind", "submitted_at"],
                         name="entry_sums"),
            models.Index(fields=["placement", "date"]),
            # The entries waiting for approval, a small part of the course's: the dashboard counts the overdue.
            # (MySQL, Open edX's database, ignores the condition: an index of every entry there, same answers.)
            models.Index(fields=["placement", "submitted_at"], condition=models.Q(status=vocab.SUBMITTED),
                         name="entry_waiting"),
            # The grading queue reads a course's reflections handed in (a tenth of its entries) from this alone.
            models.Index(fields=["placement", "submitted_at", "updated_at", "date", "id"],
                         condition=models.Q(status__in=[vocab.SUBMITTED, *sorted(vocab.APPROVED_STATUSES)])
                         & ~models.Q(reflection=""), name="entry_reflections"),
        ]


class AuditEvent(models.Model):
    """Who did what, when, and what changed. Written in the same transaction as the change."""

    at = models.DateTimeField(auto_now_add=True)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    placement = models.ForeignKey(Placement, null=True, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(LogEntry, null=True, on_delete=models.PROTECT, related_name="audit")
    actor = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    # How the actor came in when they have no account here, e.g. "agency link 12".
    via = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=32)
    changes = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class AgencyLink(models.Model):
    """A signed, expiring, single-purpose link that lets an agency supervisor review one placement."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="links")
    issued_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    supervisor_name = models.CharField(max_length=255, blank=True)
    # Where the link is e-mailed (and re-sent); empty when it is handed over by other means.
    email = models.EmailField(blank=True)
    # The activity the e-mailed link opens besides the log, e.g. "evaluation:midterm"; empty for the log.
    opens = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)


class GradeOutbox(models.Model):
    """A grade is a row first; adapters deliver it (Open edX publish, LTI AGS) and mark it done."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # Where the grade goes: "xblock:<usage id>" or an LTI line item URL.
    destination = models.CharField(max_length=500)
    score = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When the score last changed: the timestamp a platform orders the grades it receives by.
    updated_at = models.DateTimeField(auto_now=True)
    # Not before then: a retry waits (exponential backoff), and a row being sent is leased.
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["destination", "student", "delivered_at"]),
            models.Index(fields=["delivered_at", "next_attempt_at"]),
        ]


class GradeDestination(models.Model):
    """A place a course's activity reports grades to, registered by the adapter that shows it."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="grade_destinations")
    # "fieldlog", "simulation:<scenario key>", ...: room for long keys.
    activity = models.CharField(max_length=200, default="fieldlog")
    address = models.CharField(max_length=500)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "address"], name="destination_once")]


# What Open edX's gradebook needs to take a grade without the student present (edx-submissions'
# student item: anonymous user id, course, usage key, block type), recorded as blocks are shown.
class OpenEdxLearner(models.Model):
    """A student's anonymous user id in an Open edX course, as the LMS gave it when they opened a block."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    anonymous_id = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "student"], name="openedx_learner_once")]


class OpenEdxBlock(models.Model):
    """A scored block's grade destination ("xblock:<usage key>"), with its type and points as last shown."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    destination = models.CharField(max_length=500, unique=True)
    block_type = models.CharField(max_length=255)
    max_score = models.FloatField()
from .simulation.models import *  # noqa: E402,F401,F403
from .sessions.models import *  # noqa: E402,F401,F403
from .grading.models import *  # noqa: E402,F401,F403
from .grading.correction_models import *  # noqa: E402,F401,F403
from .notify.models import *  # noqa: E402,F401,F403
from .program.models import *  # noqa: E402,F401,F403
from .program.feedback_models import *  # noqa: E402,F401,F403
from .documents.models import *  # noqa: E402,F401,F403
from .visits.models import *  # noqa: E402,F401,F403
from .readiness.models import *  # noqa: E402,F401,F403
from .tallies.models import *  # noqa: E402,F401,F403
