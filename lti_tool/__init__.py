"""Maydan's LTI 1.3 tool and standalone web project (settings, URLs, launch, sandbox platform)."""

# The tool's Celery app, made current as Django starts so that shared tasks use its settings.
from .celery import app as celery_app  # noqa: E402

__all__ = ["celery_app"]
