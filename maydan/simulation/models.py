"""What a case simulation keeps: policies, course-written scenarios, attempts and free-text answers.

An attempt stores its path (the steps taken) and the steps taken back with undo; its
current node and variables are kept too, so a step costs no replay. Nothing is deleted
but a free-text answer that its writer took back with undo.
"""
from django.db import models

from ..models import Course, Person

__all__ = ["SimulationPolicy", "CourseScenario", "ScenarioMedia", "SimulationAttempt", "SimulationAnswer"]

BEST, LAST, FIRST = "best", "last", "first"
PLAYING, DEBRIEF, FINISHED = "playing", "debrief", "finished"
# How a placement of a scenario is played: for practice (hints, retries, immediate feedback, no grade)
# or for assessment (the course's attempts policy, the author's feedback, the grade).
PRACTICE, ASSESSMENT = "practice", "assessment"
MODES = (ASSESSMENT, PRACTICE)


class SimulationPolicy(models.Model):
    """How a course lets its students play one scenario, and which attempt makes the grade."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    scenario = models.CharField(max_length=64)
    # None: as many attempts as the student likes.
    max_attempts = models.PositiveIntegerField(null=True, blank=True)
    undo_allowed = models.BooleanField(default=True)
    grade_rule = models.CharField(max_length=8, default=BEST,
                                  choices=[(BEST, "best"), (LAST, "last"), (FIRST, "first")])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "scenario"], name="simulation_policy_once")]


class CourseScenario(models.Model):
    """A scenario written for one course (pasted in Studio), beside the shipped library."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=64)
    source = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "key"], name="course_scenario_once")]


def _media_path(row, _filename):
    # A random name in storage: the file's place says nothing of the course, and cannot be guessed.
    import secrets

    return f"maydan/simulation/{secrets.token_hex(16)}"


class ScenarioMedia(models.Model):
    """An image, audio, video or WebVTT file a course uploaded for its scenarios, which name it in `src`.

    Stored through Django's storage API; read only through maydan.simulation.media, by people of the course."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to=_media_path, max_length=200)
    uploaded_at = models.DateTimeField(auto_now=True)
    uploaded_by = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "name"], name="scenario_media_once")]


class SimulationAttempt(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="simulation_attempts")
    scenario = models.CharField(max_length=64)
    # The SHA-256 of the scenario text the attempt plays: a process that has compiled that text finds the
    # scenario without reading it again. Kept right when a course's scenario is replaced; "" for older attempts.
    scenario_digest = models.CharField(max_length=64, blank=True)
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=8, default=PLAYING,
                              choices=[(PLAYING, "playing"), (DEBRIEF, "debrief"), (FINISHED, "finished")])
    node = models.CharField(max_length=64)
    variables = models.JSONField(default=dict)
    path = models.JSONField(default=list)
    undone = models.JSONField(default=list)
    score = models.FloatField(null=True, blank=True)
    competencies = models.JSONField(default=dict, blank=True)
    ending = models.CharField(max_length=64, blank=True)
    mode = models.CharField(max_length=10, default=ASSESSMENT,
                            choices=[(ASSESSMENT, "assessment"), (PRACTICE, "practice")])
    # The hints asked for, as {"node": id, "step": steps taken then}.
    hints = models.JSONField(default=list, blank=True)
    reflection = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["course", "student", "scenario", "number"],
                                               name="simulation_attempt_number_once")]
        indexes = [models.Index(fields=["course", "scenario", "status"])]


class SimulationAnswer(models.Model):
    """A free-text answer (a diagnosis statement, a contract), graded with a rubric (maydan.grading.markings)."""

    attempt = models.ForeignKey(SimulationAttempt, on_delete=models.PROTECT, related_name="answers")
    node = models.CharField(max_length=64)
    step = models.PositiveIntegerField()
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["step"]
