from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtiToolConfig(AppConfig):
    name = "lti_tool"
    label = "lti_tool"
    verbose_name = _("LTI 1.3 tool")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
