from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaydanConfig(AppConfig):
    name = "maydan"
    verbose_name = _("Maydan field training")
    default_auto_field = "django.db.models.BigAutoField"

    # Read by Open edX's plugin framework when the app is installed into the LMS or Studio.
    plugin_app = {
        "url_config": {
            "lms.djangoapp": {"namespace": "maydan", "regex": r"^maydan/", "relative_path": "urls"},
        },
        "settings_config": {
            "lms.djangoapp": {"common": {"relative_path": "plugin_settings"}},
            "cms.djangoapp": {"common": {"relative_path": "plugin_settings"}},
        },
    }

    def ready(self):
        from .notify import events

        events.connect()
