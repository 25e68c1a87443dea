"""Settings Open edX applies when Maydan is installed as a plugin app."""
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "conf" / "locale"


def plugin_settings(settings):
    paths = list(getattr(settings, "LOCALE_PATHS", []))
    if str(LOCALE_DIR) not in map(str, paths):
        paths.append(str(LOCALE_DIR))
    settings.LOCALE_PATHS = paths
