"""The Celery application of the standalone tool: `celery -A lti_tool worker` and `celery -A lti_tool beat`.

Configured from Django's settings (CELERY_*). Inside Open edX the LMS's own Celery app runs the tasks,
found by their names in `maydan.tasks`.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lti_tool.settings")

app = Celery("maydan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["maydan", "lti_tool"])
