"""The Tutor plugin as an operator runs it: Tutor and the plugin pip-installed into a throwaway
environment, `tutor plugins enable maydan`, `tutor config save`, and the files Tutor renders read
back. `tutor local do init` runs against a stand-in `docker` that records what it would run."""
import os
import py_compile
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "tutor-contrib-maydan"

# pip-installing Tutor takes minutes: CI's slow pass runs this (MAYDAN_SLOW_TESTS=1, see .ci/run).
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not os.environ.get("MAYDAN_SLOW_TESTS"), reason="installs Tutor (~3 min): set MAYDAN_SLOW_TESTS=1")]

FAKE_DOCKER = """#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_DOCKER_LOG"
case "$*" in *" ls --format json"*) echo "[]";; esac
"""


@pytest.fixture(scope="module")
def tutor(tmp_path_factory):
    """Run `tutor ARGS…` in a venv of its own, with TUTOR_ROOT in a temporary directory."""
    home = tmp_path_factory.mktemp("tutor")
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    source = shutil.copytree(PLUGIN, home / "tutor-contrib-maydan")    # pip builds in the tree: not in ours
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(source)],
                   check=True, capture_output=True, text=True)
    bin_dir = home / "bin"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text(FAKE_DOCKER)
    (bin_dir / "docker").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TUTOR_", "DJANGO_"))}
    env.update(TUTOR_ROOT=str(home / "root"), FAKE_DOCKER_LOG=str(home / "docker.log"),
               PATH=f"{bin_dir}:{env.get('PATH', '')}")

    def run(*args):
        result = subprocess.run([str(venv / "bin" / "tutor"), *args], env=env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout + result.stderr

    run.root = home / "root"
    run.docker_log = home / "docker.log"
    return run


def rendered(tutor, *path):
    return (tutor.root / "env" / Path(*path)).read_text()


def beats(tutor):
    """The LMS beat as `tutor local` (its production compose) and Kubernetes would start it, or None."""
    compose = yaml.safe_load(rendered(tutor, "local", "docker-compose.prod.yml"))["services"]
    k8s = [d for d in yaml.safe_load_all(rendered(tutor, "k8s", "deployments.yml")) if d]
    deployment = next((d for d in k8s if d["kind"] == "Deployment" and d["metadata"]["name"] == "lms-beat"), None)
    return compose.get("lms-beat"), compose["lms-worker"], deployment


def test_enabled_the_plugin_renders_the_image_requirement_settings_and_init_task(tutor):
    assert "Plugin maydan enabled" in tutor("plugins", "enable", "maydan")
    tutor("config", "save")
    assert "maydan" in (tutor.root / "config.yml").read_text()

    dockerfile = rendered(tutor, "build", "openedx", "Dockerfile")
    assert "$PIP_COMMAND install 'maydan==0.1.0'" in dockerfile         # the release made with the plugin
    # In the image's Python requirements stage, before the node stage: the LMS and Studio venv.
    assert dockerfile.index("install 'maydan==") < dockerfile.index("FROM python AS nodejs-requirements")

    for service in ("lms", "cms"):
        for kind in ("production", "development"):
            path = tutor.root / "env" / "apps" / "openedx" / "settings" / service / f"{kind}.py"
            py_compile.compile(str(path), doraise=True)          # the rendered settings are valid Python
    lms = rendered(tutor, "apps", "openedx", "settings", "lms", "production.py")
    cms = rendered(tutor, "apps", "openedx", "settings", "cms", "production.py")
    assert "MAYDAN_GRADE_RETRY_SECONDS = 10" in lms and "MAYDAN_GRADE_RETRY_SECONDS = 10" in cms
    assert "maydan_fieldlog" in tutor("config", "printvalue", "MAYDAN_ADVANCED_MODULES")   # for Studio's list
    assert 'FEATURES["MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK"] = True' in lms
    assert 'FEATURES["MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK"] = False' in cms   # Studio previews never grade

    beat, worker, deployment = beats(tutor)
    command = ["celery", "--app=lms.celery", "beat", "--loglevel=info"]
    assert beat["command"][:4] == command and beat["command"][4].startswith("--schedule=/openedx/data/")
    assert beat["image"] == worker["image"] and beat["environment"] == worker["environment"]
    assert set(beat["volumes"]) <= set(worker["volumes"])               # the LMS's settings, its data volume
    assert beat["depends_on"] == ["lms-worker"]                         # the workers run what it sends
    assert deployment["spec"]["replicas"] == 1                          # two beats would send each task twice
    container, = deployment["spec"]["template"]["spec"]["containers"]
    assert container["args"][:4] == command and container["image"] == beat["image"]
    assert {e["name"]: e["value"] for e in container["env"]} == beat["environment"]
    assert "lms-beat" not in rendered(tutor, "dev", "docker-compose.yml")   # `tutor dev` runs no workers

    output = tutor("local", "do", "init", "--limit", "maydan")
    assert "Running init task in lms" in output
    assert "run --rm -T lms-job sh -e -c ./manage.py lms migrate maydan" in tutor.docker_log.read_text()


def test_the_operators_choices_reach_the_image_and_settings_and_disabling_removes_them(tutor):
    tutor("plugins", "enable", "maydan")
    tutor("config", "save", "--set", "MAYDAN_PIP_REQUIREMENT=maydan @ git+https://git.example.edu/maydan.git@v0.1.0",
          "--set", "MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK=false", "--set", "MAYDAN_GRADE_RETRY_SECONDS=30",
          "--set", "MAYDAN_RUN_BEAT=false")
    assert "install 'maydan @ git+https://git.example.edu/maydan.git@v0.1.0'" in rendered(
        tutor, "build", "openedx", "Dockerfile")
    lms = rendered(tutor, "apps", "openedx", "settings", "lms", "production.py")
    assert 'FEATURES["MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK"] = False' in lms
    assert "MAYDAN_GRADE_RETRY_SECONDS = 30" in lms
    beat, worker, deployment = beats(tutor)
    assert beat is None and deployment is None and worker                # the operator runs a beat already

    tutor("plugins", "disable", "maydan")
    assert "maydan" not in rendered(tutor, "build", "openedx", "Dockerfile").lower()
    assert "MAYDAN" not in rendered(tutor, "apps", "openedx", "settings", "lms", "production.py")
