"""The one engine, for real: a Celery worker with beat against Redis runs the scheduled digest run, which
writes an evaluation reminder, and sends it to a real SMTP server. Needs REDIS_URL and PostgreSQL (the
worker is another process and must see the test's database): CI's PostgreSQL pass has both."""
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from maydan.grading import services as grading
from maydan.models import Notification
from maydan.notify import services
from tests.mailserver import parts, smtp  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (CI's PostgreSQL pass)")


def _database_url():
    db = connection.settings_dict
    return (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
            f"{db['NAME']}")


@pytest.fixture
def worker(smtp, tmp_path):
    env = dict(os.environ, DATABASE_URL=_database_url(), CELERY_BROKER_URL=os.environ["REDIS_URL"],
               EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp.port), MAYDAN_BASE_URL="http://testserver",
               DEFAULT_FROM_EMAIL="noreply@maydan.example", MAYDAN_DIGEST_SECONDS="2", MAYDAN_VAR=str(tmp_path))
    log = open(tmp_path / "worker.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lti_tool", "worker", "--beat", "--pool", "solo", "--loglevel",
         "INFO", "--schedule", str(tmp_path / "beat-schedule"), "--queues", "celery"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    yield process, tmp_path / "worker.log"
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.mark.django_db(transaction=True)
def test_a_reminder_is_scheduled_and_delivered_by_a_real_worker_and_beat(cohort, smtp, worker):
    cohort.academic.person.email = "hoda@school.example"
    cohort.academic.person.save()
    form_id = next(iter(grading.forms()))
    due_on = services.today_in(cohort.course) + timedelta(days=3)
    grading.configure(cohort.coordinator, rule="weighted_mean", agency_weight=1, academic_weight=1, threshold=1,
                      show_both_voices=True, due_dates={form_id: due_on.isoformat()})
    deadline = time.monotonic() + 60
    while not smtp.messages and time.monotonic() < deadline:
        time.sleep(0.5)
    _process, log = worker
    assert smtp.messages, log.read_text()[-3000:]
    [message] = smtp.messages
    assert message["To"].addresses[0].addr_spec == "hoda@school.example"
    assert "Sara Adel" in parts(message)[0]
    time.sleep(5)  # beat runs the digest again: the same reminder is not sent twice
    assert len(smtp.messages) == 1 and Notification.objects.get().sent_at is not None
