"""Settings Open edX applies when Maydan is installed as a plugin app (LMS and Studio).

edx-django-utils' plugin framework calls `plugin_settings(settings)` of the module named for each
settings type in `MaydanConfig.plugin_app`: this one for "common", `.production` and `.test` after
it. Everything Maydan needs inside Open edX is set here, and only where the operator has not set
it already: the platform's own settings and the operator's YAML come first.
"""
from importlib.util import find_spec
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "conf" / "locale"

# Maydan's Celery task modules: the LMS's workers import those that are installed (CELERY_IMPORTS).
TASK_MODULES = ("maydan.tasks", "maydan.notify.tasks", "xblocks.tasks")

# Operators switch these in FEATURES (Tutor: the plugin's MAYDAN_* settings).
FEATURES = {
    # A supervisor's grade goes straight to the student's gradebook (edx-submissions); off, it waits
    # for the student's next visit to the block.
    "MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK": True,
}

DEFAULTS = {
    # Inside Open edX, links and feeds are on the LMS (LMS_ROOT_URL): Maydan serves no site of its own.
    "MAYDAN_BASE_URL": "",
    # First retry of an undelivered grade after this many seconds, doubling each time (up to an hour).
    "MAYDAN_GRADE_RETRY_SECONDS": 10,
    "MAYDAN_TASK_MODULES": list(TASK_MODULES),
}


def installed(module):
    try:
        return find_spec(module) is not None
    except ModuleNotFoundError:  # its package is not there either
        return False


def plugin_settings(settings):
    paths = list(getattr(settings, "LOCALE_PATHS", []))
    if str(LOCALE_DIR) not in map(str, paths):
        paths.append(str(LOCALE_DIR))
    settings.LOCALE_PATHS = paths

    imports = getattr(settings, "CELERY_IMPORTS", ())
    missing = [m for m in TASK_MODULES if installed(m) and m not in imports]
    settings.CELERY_IMPORTS = (tuple if isinstance(imports, tuple) else list)([*imports, *missing])

    features = getattr(settings, "FEATURES", None)
    if features is None:
        features = settings.FEATURES = {}
    for name, value in FEATURES.items():
        features.setdefault(name, value)

    for name, value in DEFAULTS.items():
        if not hasattr(settings, name):
            setattr(settings, name, value)
