"""The LTI tool's background work: grades to the platforms' line items (AGS), from the core's outbox."""
import logging
import threading

from celery import shared_task

log = logging.getLogger(__name__)

DELIVER_GRADES = "lti_tool.deliver_grades"


@shared_task(name=DELIVER_GRADES, ignore_result=True)
def deliver_grades():
    """Send the grades waiting in the outbox (the outbox keeps those a platform refused for a later round)."""
    from . import ags

    return ags.deliver_due()


def run_in_process(stop=None, grades_every=2.0, mail_every=15.0, digests_every=3600.0):
    """The demo's engine, without a broker: the scheduled tasks called in a thread of the web process."""
    from django.db import close_old_connections

    from maydan import tasks

    stop = stop or threading.Event()
    schedule = [(deliver_grades, grades_every), (tasks.send_notifications, mail_every),
                (tasks.run_digests, digests_every), (tasks.purge_recordings, 86400.0)]
    last = {task: float("-inf") for task, _ in schedule}
    clock = 0.0
    while not stop.is_set():
        for task, every in schedule:
            if clock - last[task] >= every:
                last[task] = clock
                try:
                    close_old_connections()
                    task()
                except Exception:  # a database or mail hiccup must not end the engine
                    log.exception("scheduled task %s failed", task.name)
        stop.wait(grades_every)
        clock += grades_every


def start_in_process():
    thread = threading.Thread(target=run_in_process, name="maydan-engine", daemon=True)
    thread.start()
    return thread
