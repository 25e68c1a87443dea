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
    # A Celery beat for the LMS, which runs Maydan's periodic tasks (and the LMS's own): off where the
    # operator already runs one, since two beats would send every task twice.
    ("MAYDAN_RUN_BEAT", True),
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

# The LMS's beat beside Tutor's LMS workers (which run what it sends): `tutor local` and Kubernetes only;
# `tutor dev` runs no workers. Its schedule is the LMS's CELERYBEAT_SCHEDULE, which Maydan's plugin app fills.
BEAT_COMMAND = '["celery", "--app=lms.celery", "beat", "--loglevel=info", "--schedule={schedule}"]'

hooks.Filters.ENV_PATCHES.add_items([
    (
        "local-docker-compose-prod-services",
        """{% if MAYDAN_RUN_BEAT %}lms-beat:
  image: {{ DOCKER_IMAGE_OPENEDX }}
  environment:
    SERVICE_VARIANT: lms
    DJANGO_SETTINGS_MODULE: lms.envs.tutor.production
  command: """ + BEAT_COMMAND.format(schedule="/openedx/data/celerybeat-schedule") + """
  restart: unless-stopped
  volumes:
    - ../apps/openedx/settings/lms:/openedx/edx-platform/lms/envs/tutor:roz
    - ../apps/openedx/settings/cms:/openedx/edx-platform/cms/envs/tutor:roz
    - ../apps/openedx/config:/openedx/config:roz
    - ../../data/lms:/openedx/data:z
  depends_on:
    - lms-worker
{% endif %}""",
    ),
    (
        "k8s-deployments",
        """{% if MAYDAN_RUN_BEAT %}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: lms-beat
  labels:
    app.kubernetes.io/name: lms-beat
spec:
  replicas: 1
  strategy:
    type: Recreate
  selector:
    matchLabels:
      app.kubernetes.io/name: lms-beat
  template:
    metadata:
      labels:
        app.kubernetes.io/name: lms-beat
    spec:
      securityContext:
        runAsUser: 1000
        runAsGroup: 1000
      containers:
        - name: lms-beat
          image: {{ DOCKER_IMAGE_OPENEDX }}
          args: """ + BEAT_COMMAND.format(schedule="/tmp/celerybeat-schedule") + """
          env:
            - name: SERVICE_VARIANT
              value: lms
            - name: DJANGO_SETTINGS_MODULE
              value: lms.envs.tutor.production
          volumeMounts:
            - mountPath: /openedx/edx-platform/lms/envs/tutor/
              name: settings-lms
            - mountPath: /openedx/edx-platform/cms/envs/tutor/
              name: settings-cms
            - mountPath: /openedx/config
              name: config
          securityContext:
            allowPrivilegeEscalation: false
      volumes:
        - name: settings-lms
          configMap:
            name: openedx-settings-lms
        - name: settings-cms
          configMap:
            name: openedx-settings-cms
        - name: config
          configMap:
            name: openedx-config
{% endif %}""",
    ),
])

# Tutor's LMS init migrates every app; this names Maydan's (Tutor loads a plugin in its own context),
# so `tutor local do init --limit maydan` brings an upgraded Maydan's tables up to date on its own.
hooks.Filters.CLI_DO_INIT_TASKS.add_item(("lms", "./manage.py lms migrate maydan"))
