"""The blocks' background work inside Open edX, picked up by the LMS's Celery workers.

A supervisor's grade is set in the gradebook during their own request; one that did not go through
then (the LMS busy, a student not yet known there) waits in the outbox for this task.
"""
from celery import shared_task

DELIVER_GRADEBOOK = "maydan.openedx.deliver_gradebook"


@shared_task(name=DELIVER_GRADEBOOK, ignore_result=True)
def deliver_gradebook():
    """Set every due grade of the Open edX blocks in the gradebook; (delivered, failed) counts."""
    from . import gradebook

    return gradebook.deliver_due()
