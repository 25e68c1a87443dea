"""The tool and its sandbox platform served by gunicorn (2 workers) on a fresh database, for the LTI benchmarks.

SQLite in a temporary directory unless DATABASE_URL is set; the database cache, so the two
workers share states, nonces and the sandbox's failure switch as production shares Redis.
"""
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_environment():
    """Set the environment this process and the server share; call before django.setup()."""
    port = _free_port()
    os.environ.setdefault("MAYDAN_VAR", tempfile.mkdtemp(prefix="maydan-bench-"))
    os.environ["MAYDAN_BASE_URL"] = f"http://127.0.0.1:{port}"
    os.environ["MAYDAN_CACHE"] = "database"
    os.environ["DJANGO_SETTINGS_MODULE"] = "lti_tool.settings"
    os.environ.setdefault("MAYDAN_GRADE_RETRY_SECONDS", "0")
    os.environ.setdefault("CONN_MAX_AGE", "60")  # persistent connections, as a production server keeps them
    sys.path.insert(0, str(ROOT))
    return os.environ["MAYDAN_BASE_URL"]


def setup_database():
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from lti_tool.sandbox import ensure_sandbox_registration

    return ensure_sandbox_registration()


class Server:
    """`with Server(): ...` runs gunicorn on MAYDAN_BASE_URL's port until the block ends."""

    def __init__(self, workers=2):
        self.workers = workers

    def __enter__(self):
        bind = os.environ["MAYDAN_BASE_URL"].split("//", 1)[1]
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "lti_tool.wsgi", "-w", str(self.workers), "-b", bind,
             "--log-level", "warning"], cwd=ROOT, env=os.environ.copy(),
            stderr=open(Path(os.environ["MAYDAN_VAR"]) / "gunicorn.log", "a"),  # refused calls are logged there
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                requests.get(os.environ["MAYDAN_BASE_URL"] + "/lti/jwks.json", timeout=1)
                return self
            except requests.RequestException:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)
