"""What an operator relies on: production settings pass Django's deploy checks, Open edX finds the plugin."""
import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path
from types import SimpleNamespace

from maydan import plugin_settings

ROOT = Path(__file__).resolve().parents[2]


def _check_deploy(tmp_path, **settings):
    env = dict(os.environ, DJANGO_DEBUG="0", SECRET_KEY="k" * 60 + "-production-secret-for-the-check",
               ALLOWED_HOSTS="maydan.example.edu", MAYDAN_VAR=str(tmp_path))
    for name in ("DATABASE_URL", "REDIS_URL", "MAYDAN_CACHE", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # the last: browser tests
        env.pop(name, None)
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env={**env, **settings}, capture_output=True, text=True)


def test_production_settings_pass_check_deploy(tmp_path):
    result = _check_deploy(tmp_path, MAYDAN_CACHE="database")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_launches_are_not_shared_between_processes(tmp_path):
    result = _check_deploy(tmp_path)
    assert result.returncode != 0
    assert "maydan.W001" in result.stderr and "REDIS_URL" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = dict(os.environ, DJANGO_DEBUG="0", MAYDAN_VAR=str(tmp_path))
    env.pop("SECRET_KEY", None)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_open_edx_finds_the_block_and_the_plugin_app():
    assert any(ep.name == "maydan_fieldlog" for ep in entry_points(group="xblock.v1"))
    assert any(ep.value == "maydan.apps:MaydanConfig" for ep in entry_points(group="lms.djangoapp"))
    settings = SimpleNamespace(LOCALE_PATHS=["/edx/locale"])
    plugin_settings.plugin_settings(settings)
    assert settings.LOCALE_PATHS[0] == "/edx/locale"
    assert Path(settings.LOCALE_PATHS[1], "ar", "LC_MESSAGES").is_dir()


def test_the_migrations_describe_every_model(tmp_path):
    """An operator's `migrate` must create every table the code uses: no model change without its migration."""
    env = dict(os.environ, MAYDAN_VAR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "maydan", "lti_tool", "--check", "--dry-run"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_serves_neither_the_sandbox_nor_the_workbench_nor_the_demo_outbox(tmp_path):
    """The first two let anyone act as any person, the outbox shows everyone's e-mails: `make demo` only."""
    env = dict(os.environ, DJANGO_DEBUG="0", SECRET_KEY="k" * 60, ALLOWED_HOSTS="testserver", MAYDAN_VAR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    probe = ("import django; django.setup(); from django.urls import resolve, Resolver404\n"
             "for path in ('/sandbox/', '/workbench/', '/demo/outbox/', '/lti/jwks.json'):\n"
             "    try: resolve(path); print(path, 'served')\n"
             "    except Resolver404: print(path, 'absent')\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                            env=dict(env, DJANGO_SETTINGS_MODULE="lti_tool.settings"))
    assert result.stdout.split("\n")[:4] == ["/sandbox/ absent", "/workbench/ absent", "/demo/outbox/ absent",
                                             "/lti/jwks.json served"], \
        result.stdout + result.stderr
