"""Maydan inside Open edX: found, configured and routed by edx-django-utils' plugin framework, the code
the LMS and Studio themselves run (get_plugin_apps into INSTALLED_APPS, add_plugins at the end of each
settings file, get_plugin_url_patterns into the root URLconf)."""
import sys
import types

import pytest
from celery import Celery
from django.urls import resolve, reverse
from edx_django_utils.plugins import add_plugins, get_plugin_apps, get_plugin_url_patterns

from maydan import plugin_settings, tasks, views
from maydan.sessions import views as session_views
from xblocks.tasks import DELIVER_GRADEBOOK

PROJECTS = ("lms.djangoapp", "cms.djangoapp")


@pytest.fixture
def platform_settings(monkeypatch):
    """A settings module as the platform's: values of its own and the operator's, before the plugins run."""
    module = types.ModuleType("platform_settings_under_test")
    module.LOCALE_PATHS = ["/openedx/edx-platform/conf/locale"]
    module.CELERY_IMPORTS = ("lms.djangoapps.grades.tasks",)
    module.FEATURES = {"ENABLE_DISCUSSION_SERVICE": True}
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module


@pytest.mark.parametrize("project", PROJECTS)
def test_the_platform_finds_the_app(project):
    assert "maydan.apps.MaydanConfig" in get_plugin_apps(project)


@pytest.mark.parametrize("project", PROJECTS)
def test_common_settings_add_the_catalogs_the_tasks_and_the_features_without_undoing_the_platforms(
        project, platform_settings, monkeypatch):
    # One task module that exists and one that does not (yet): a worker must not fail to import it.
    monkeypatch.setattr(plugin_settings, "TASK_MODULES", ("maydan.grades", "maydan.nowhere.tasks"))
    platform_settings.MAYDAN_GRADE_RETRY_SECONDS = 30                # the operator's value stays
    add_plugins(platform_settings.__name__, project, "common")
    s = platform_settings
    assert s.LOCALE_PATHS[0] == "/openedx/edx-platform/conf/locale"
    assert s.LOCALE_PATHS[1] == str(plugin_settings.LOCALE_DIR) and (plugin_settings.LOCALE_DIR / "ar").is_dir()
    assert s.CELERY_IMPORTS == ("lms.djangoapps.grades.tasks", "maydan.grades")
    assert s.MAYDAN_TASK_MODULES == ["maydan.tasks", "maydan.notify.tasks", "xblocks.tasks"]
    assert s.FEATURES == {"ENABLE_DISCUSSION_SERVICE": True, "MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK": True}
    assert s.MAYDAN_GRADE_RETRY_SECONDS == 30 and s.MAYDAN_BASE_URL == ""
    add_plugins(platform_settings.__name__, project, "common")      # settings files may run twice
    assert len(s.LOCALE_PATHS) == 2 and len(s.CELERY_IMPORTS) == 2


@pytest.mark.parametrize("project", PROJECTS)
def test_production_takes_the_operators_tokens_and_test_retries_at_once(project, platform_settings):
    add_plugins(platform_settings.__name__, project, "common")
    platform_settings.ENV_TOKENS = {"MAYDAN_GRADE_RETRY_SECONDS": 60, "SITE_NAME": "lms.example.edu",
                                    "FEATURES": {"MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK": False}}
    add_plugins(platform_settings.__name__, project, "production")
    assert platform_settings.MAYDAN_GRADE_RETRY_SECONDS == 60
    assert platform_settings.FEATURES["MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK"] is False
    assert not hasattr(platform_settings, "SITE_NAME")                # only Maydan's own settings
    add_plugins(platform_settings.__name__, project, "test")
    assert platform_settings.MAYDAN_GRADE_RETRY_SECONDS == 0


def beat_schedule_of(settings_module):
    """The schedule the LMS's beat runs: its Celery app reads Django's settings with no namespace."""
    app = Celery("proj", set_as_current=False)
    app.config_from_object(settings_module)
    return app.conf.beat_schedule


def test_the_lms_beat_runs_maydans_periodic_tasks_and_keeps_the_operators_entries(platform_settings):
    operators_digest = {"task": tasks.RUN_DIGESTS, "schedule": 900.0}
    platform_settings.CELERYBEAT_SCHEDULE = {
        "grades-recalculate": {"task": "lms.djangoapps.grades.tasks.x", "schedule": 60.0},
        "maydan-digests-and-reminders": operators_digest,              # the operator's own rhythm
    }
    add_plugins(platform_settings.__name__, "lms.djangoapp", "common")
    schedule = beat_schedule_of(platform_settings)
    by_task = {entry["task"]: entry["schedule"] for entry in schedule.values()}
    assert by_task == {"lms.djangoapps.grades.tasks.x": 60.0, tasks.SEND_NOTIFICATIONS: 60.0,
                       tasks.RUN_DIGESTS: 900.0, tasks.PURGE_RECORDINGS: 86400.0, DELIVER_GRADEBOOK: 300.0,
                       tasks.READINESS_UPKEEP: 86400.0}
    assert schedule["maydan-digests-and-reminders"] is operators_digest
    add_plugins(platform_settings.__name__, "lms.djangoapp", "common")      # settings files may run twice
    assert beat_schedule_of(platform_settings) == schedule and len(schedule) == 6


def test_the_lms_production_settings_restore_the_tasks_a_yaml_schedule_replaced(platform_settings):
    add_plugins(platform_settings.__name__, "lms.djangoapp", "common")
    platform_settings.CELERYBEAT_SCHEDULE = {"yaml-task": {"task": "x.y", "schedule": 5.0}}  # YAML wins whole
    platform_settings.ENV_TOKENS = {}
    add_plugins(platform_settings.__name__, "lms.djangoapp", "production")
    assert set(beat_schedule_of(platform_settings)) == {
        "yaml-task", "maydan-send-notifications", "maydan-digests-and-reminders", "maydan-purge-recordings",
        "maydan-deliver-gradebook", "maydan-readiness-upkeep"}


def test_studio_schedules_nothing(platform_settings):
    for settings_type in ("common", "production"):
        platform_settings.ENV_TOKENS = {}
        add_plugins(platform_settings.__name__, "cms.djangoapp", settings_type)
    assert not hasattr(platform_settings, "CELERYBEAT_SCHEDULE")
    assert beat_schedule_of(platform_settings) == {}


@pytest.mark.parametrize("project", PROJECTS)
def test_the_urls_are_served_under_maydan_in_their_namespace(project, monkeypatch):
    urlconf = types.ModuleType(f"{project.split('.')[0]}_urls_under_test")
    urlconf.urlpatterns = get_plugin_url_patterns(project)
    monkeypatch.setitem(sys.modules, urlconf.__name__, urlconf)
    assert resolve("/maydan/agency/abc123/", urlconf=urlconf.__name__).func == views.agency_link
    assert resolve("/maydan/feed/k1.ics", urlconf=urlconf.__name__).func == session_views.feed
    assert reverse("maydan:agency-link", args=["t0k"], urlconf=urlconf.__name__) == "/maydan/agency/t0k/"
