from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaydanConfig(AppConfig):
    name = "maydan"
    verbose_name = _("Maydan field training")
    default_auto_field = "django.db.models.BigAutoField"

    # Read by Open edX's plugin framework (edx_django_utils.plugins) when the app is installed into the
    # LMS or Studio: its URLs under /maydan/ (agency links, calendar feeds) and its settings per type.
    plugin_app = {
        "url_config": {
            project: {"namespace": "maydan", "regex": r"^maydan/", "relative_path": "urls"}
            for project in ("lms.djangoapp", "cms.djangoapp")
        },
        # The LMS's own modules add the periodic tasks for its Celery beat: Studio schedules nothing.
        "settings_config": {
            "lms.djangoapp": {
                "common": {"relative_path": "plugin_settings.lms"},
                "production": {"relative_path": "plugin_settings.lms_production"},
                "test": {"relative_path": "plugin_settings.test"},
            },
            "cms.djangoapp": {
                "common": {"relative_path": "plugin_settings"},
                "production": {"relative_path": "plugin_settings.production"},
                "test": {"relative_path": "plugin_settings.test"},
            },
        },
    }

    def ready(self):
        from .notify import events

        events.connect()
