"""What the sandbox platform keeps: the activities teachers placed (each with its line item) and
the scores the tool posted to them."""
from django.db import models

__all__ = ["SandboxLink", "SandboxScore", "SandboxTool"]


class SandboxLink(models.Model):
    """A resource link placed in a sandbox course by deep linking; it is also its own line item."""

    course = models.CharField(max_length=64)
    title = models.CharField(max_length=255)
    custom = models.JSONField(default=dict, blank=True)
    label = models.CharField(max_length=255, blank=True)
    score_maximum = models.FloatField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    @property
    def link_id(self):
        return f"sandbox-link-{self.pk}"

    @property
    def graded(self):
        return self.score_maximum is not None


class SandboxScore(models.Model):
    """One score POST received on a line item (every call is kept, so a repeated one shows)."""

    link = models.ForeignKey(SandboxLink, on_delete=models.CASCADE, related_name="scores")
    user_id = models.CharField(max_length=255)
    score_given = models.FloatField(null=True)
    score_maximum = models.FloatField(null=True)
    activity_progress = models.CharField(max_length=32)
    grading_progress = models.CharField(max_length=32)
    timestamp = models.CharField(max_length=64)
    received = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class SandboxTool(models.Model):
    """A tool that registered itself with the sandbox (Dynamic Registration): what it asked for."""

    client_id = models.CharField(max_length=64, unique=True)
    deployment_id = models.CharField(max_length=64)
    configuration = models.JSONField()
    created = models.DateTimeField(auto_now_add=True)
