"""Maydan in a Tutor-run Open edX: the package in the openedx image (LMS, Studio and their workers),
its settings in both, its migrations at `tutor local do init`.

Maydan's own plugin app (maydan.apps.MaydanConfig) joins INSTALLED_APPS, adds its catalogs, URLs and
Celery task modules through Open edX's plugin framework; this plugin only installs it and sets what
an operator chooses (the MAYDAN_* values below, `tutor config save --set NAME=value`).
"""
from tutor import hooks

from . import __version__

# The blocks a course adds to Studio's "Advanced Module List" (a course setting: Open edX has no
# platform-wide list of advanced components a course gets by default); `tutor config printvalue
# MAYDAN_ADVANCED_MODULES` prints it for pasting there.
ADVANCED_MODULES = ["maydan_fieldlog", "maydan_sessions", "maydan_simulation", "maydan_evaluation", "maydan_cohort"]

hooks.Filters.CONFIG_DEFAULTS.add_items([
    # What pip installs: by default the Maydan release this plugin was made with; or a wheel's URL,
    # `maydan @ git+https://…@tag` of a fork.
    ("MAYDAN_PIP_REQUIREMENT", f"maydan=={__version__}"),
    ("MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK", True),
    ("MAYDAN_GRADE_RETRY_SECONDS", 10),
    ("MAYDAN_ADVANCED_MODULES", ADVANCED_MODULES),
])

hooks.Filters.ENV_PATCHES.add_items([
    (
        "openedx-dockerfile-post-python-requirements",
        """# Maydan: field-training XBlocks and their Django app (edx-submissions and edx-django-utils come with the platform)
RUN --mount=type=cache,target=/openedx/.cache/pip,sharing=shared \\
    $PIP_COMMAND install '{{ MAYDAN_PIP_REQUIREMENT }}'
""",
    ),
    (
        "openedx-common-settings",
        """# Maydan
MAYDAN_GRADE_RETRY_SECONDS = {{ MAYDAN_GRADE_RETRY_SECONDS }}
""",
    ),
    (
        "openedx-lms-common-settings",
        """# Maydan: supervisors' grades set in the gradebook through edx-submissions
FEATURES["MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK"] = {{ MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK }}
""",
    ),
    (
        "openedx-cms-common-settings",
        """# Maydan: a Studio preview never writes a student's gradebook; the LMS does
FEATURES["MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK"] = False
""",
    ),
])

# Tutor's LMS init migrates every app; this names Maydan's (Tutor loads a plugin in its own context),
# so `tutor local do init --limit maydan` brings an upgraded Maydan's tables up to date on its own.
hooks.Filters.CLI_DO_INIT_TASKS.add_item(("lms", "./manage.py lms migrate maydan"))
