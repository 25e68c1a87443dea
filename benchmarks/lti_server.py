"""The tool, its sandbox platform and the pylti1p3 reference tool, each served by its own gunicorn
on a fresh database, for the LTI benchmarks.

SQLite in a temporary directory unless DATABASE_URL is set; the database cache, so the workers
share states, nonces and the sandbox's failure switch as production shares Redis (or Redis
itself when REDIS_URL is set). The sandbox
has its own server (MAYDAN_SANDBOX_URL), so the tool's workers serve only the tool; with
`own_database` it also has its own database (beside the tool's on the PostgreSQL server, or a
SQLite file), as a real platform has, so its
writes neither take the tool's write lock nor empty the tool's page cache.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_CLIENT = "reference-tool"
REFERENCE_DEPLOYMENT = "reference-deployment-1"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_environment():
    """Set the environment this process and the servers share; call before django.setup()."""
    os.environ.setdefault("MAYDAN_VAR", tempfile.mkdtemp(prefix="maydan-bench-"))
    os.environ["MAYDAN_BASE_URL"] = f"http://127.0.0.1:{_free_port()}"
    os.environ["MAYDAN_SANDBOX_URL"] = f"http://127.0.0.1:{_free_port()}"
    os.environ.setdefault("SANDBOX_DATABASE_URL", _platform_database_url(os.environ.get("DATABASE_URL", "")))
    os.environ["REFERENCE_URL"] = f"http://127.0.0.1:{_free_port()}"
    os.environ["MAYDAN_CACHE"] = "database"
    os.environ["DJANGO_SETTINGS_MODULE"] = "lti_tool.settings"
    os.environ.setdefault("MAYDAN_GRADE_RETRY_SECONDS", "0")
    os.environ.setdefault("CONN_MAX_AGE", "60")  # persistent connections, as a production server keeps them
    # Production settings (no debug query log), over plain HTTP on this machine, with the sandbox on.
    os.environ.update(DJANGO_DEBUG="0", SECRET_KEY="benchmark-only", SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0",
                      MAYDAN_LTI_ALLOW_HTTP="1", MAYDAN_DEMO_SITES="1")
    sys.path.insert(0, str(ROOT))
    return os.environ["MAYDAN_BASE_URL"]


def _platform_database_url(tool_url):
    """The platform's own database, of the tool's kind: a database beside the tool's on its
    PostgreSQL server, or a SQLite file of its own."""
    if tool_url.startswith("postgres"):
        base, _sep, name = tool_url.rpartition("/")
        return f"{base}/{name}_platform"
    return f"sqlite:///{Path(os.environ['MAYDAN_VAR']) / 'platform.sqlite3'}"


def _create_postgres_database(url):
    import psycopg

    base, _sep, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as server:
        if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            server.execute(f'CREATE DATABASE "{name}"')


def setup_database():
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from lti_tool.sandbox import ensure_sandbox_registration

    return ensure_sandbox_registration()


def setup_sandbox_database():
    """The sandbox's own database: its tables, and the tool's public keys, as a platform keeps
    them from the tool's registration (it checks the tool's signed service requests with them)."""
    from lti_tool import keys as tool_keys
    from lti_tool.models import ToolKey

    tool_keys.signing_key()  # made on first use otherwise, after the copy
    keys = [{"kid": k.kid, "private_pem": "", "public_jwk": k.public_jwk, "active": k.active}
            for k in ToolKey.objects.filter(active=True)]
    env = {**os.environ, "DATABASE_URL": os.environ["SANDBOX_DATABASE_URL"], "TOOL_KEYS": json.dumps(keys)}
    if env["DATABASE_URL"].startswith("postgres"):
        _create_postgres_database(env["DATABASE_URL"])
    for command in (["migrate", "--verbosity", "0"], ["createcachetable"]):
        subprocess.run([sys.executable, "-m", "django", *command], env=env, cwd=ROOT, check=True)
    _in_sandbox_database(
        "import json, os; from lti_tool.models import ToolKey\n"
        "for k in json.loads(os.environ['TOOL_KEYS']): ToolKey.objects.update_or_create(kid=k.pop('kid'), defaults=k)",
        env)


def _in_sandbox_database(code, env=None):
    env = env or {**os.environ, "DATABASE_URL": os.environ["SANDBOX_DATABASE_URL"]}
    subprocess.run([sys.executable, "-m", "django", "shell", "--verbosity", "0", "-c", code], env=env, cwd=ROOT, check=True)


def setup_reference(own_database=False):
    """Register the reference tool with the sandbox and give it its configuration (environment).

    `own_database`: the sandbox runs on its own database (setup_sandbox_database), so the
    registration is written there."""
    from django.urls import reverse

    from lti_tool import keys
    from lti_tool.sandbox.models import SandboxTool
    from lti_tool.sandbox.platform import issuer
    from lti_tool.sandbox.services import TOOL_CONFIG

    ref, sandbox = os.environ["REFERENCE_URL"], os.environ["MAYDAN_SANDBOX_URL"]
    registration = {
        "deployment_id": REFERENCE_DEPLOYMENT,
        "configuration": {"initiate_login_uri": ref + "/login", "redirect_uris": [ref + "/launch"],
                          "jwks_uri": ref + "/jwks.json", TOOL_CONFIG: {"target_link_uri": ref + "/launch"}}}
    if own_database:
        _in_sandbox_database(
            "import json, os; from lti_tool.sandbox.models import SandboxTool; "
            f"SandboxTool.objects.update_or_create(client_id={REFERENCE_CLIENT!r}, "
            "defaults=json.loads(os.environ['REFERENCE_REGISTRATION']))",
            {**os.environ, "DATABASE_URL": os.environ["SANDBOX_DATABASE_URL"],
             "REFERENCE_REGISTRATION": json.dumps(registration)})
    else:
        SandboxTool.objects.update_or_create(client_id=REFERENCE_CLIENT, defaults=registration)
    os.environ["REFERENCE_TOOL_CONF"] = json.dumps({issuer(): [{
        "default": True, "client_id": REFERENCE_CLIENT, "auth_login_url": sandbox + reverse("sandbox:authorize"),
        "auth_token_url": sandbox + reverse("sandbox:token"), "key_set_url": sandbox + reverse("sandbox:jwks"),
        "key_set": None, "deployment_ids": [REFERENCE_DEPLOYMENT]}]})
    os.environ["REFERENCE_PRIVATE_KEY"] = keys.new_private_pem()
    os.environ.setdefault("REFERENCE_DB", str(Path(os.environ["MAYDAN_VAR"]) / "reference.sqlite3"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "reference_tool.settings",
           "PYTHONPATH": str(ROOT / "benchmarks")}
    subprocess.run([sys.executable, "-m", "django", "createcachetable"], env=env, check=True)


class Server:
    """`with Server(): ...` runs gunicorn (`app`, `workers`) on the port of the address in `url_var`."""

    def __init__(self, workers=2, app="lti_tool.wsgi", url_var="MAYDAN_BASE_URL", ready="/lti/jwks.json",
                 pythonpath=None, settings="lti_tool.settings", env=None):
        self.workers, self.app, self.url, self.ready, self.pythonpath = workers, app, os.environ[url_var], ready, pythonpath
        self.settings, self.env = settings, env or {}

    def __enter__(self):
        command = [str(Path(sys.executable).parent / "gunicorn"), self.app, "-w", str(self.workers),
                   "-b", self.url.split("//", 1)[1], "--log-level", "warning"]
        if self.pythonpath:
            command += ["--pythonpath", self.pythonpath]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": self.settings, **self.env},
            stderr=open(Path(os.environ["MAYDAN_VAR"]) / "gunicorn.log", "a"),  # refused calls are logged there
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                requests.get(self.url + self.ready, timeout=1)
                return self
            except requests.RequestException:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn {self.app} did not start")

    def worker_cpu(self):
        """CPU seconds (user + system) the gunicorn's workers have spent so far: a request's cost
        whatever else runs on the machine, unlike its latency."""
        pid = self.process.pid
        total = 0
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            try:
                fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:  # a worker that just ended
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
        return total / os.sysconf("SC_CLK_TCK")

    def __exit__(self, *exc):
        self.process.terminate()  # graceful: requests still being answered finish first
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a queue still draining (a load run's last requests)
            self.process.kill()
            self.process.wait()


def sandbox_server(workers=2, own_database=False):
    env = {"DATABASE_URL": os.environ["SANDBOX_DATABASE_URL"]} if own_database else None
    return Server(workers, url_var="MAYDAN_SANDBOX_URL", ready="/sandbox/jwks.json", env=env)


def reference_server(workers=2):
    return Server(workers, app="reference_tool.wsgi", url_var="REFERENCE_URL", ready="/login",
                  pythonpath=str(ROOT / "benchmarks"), settings="reference_tool.settings")
