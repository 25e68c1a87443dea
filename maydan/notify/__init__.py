"""Notifications by e-mail: a notification is a row first (who, what, why, due, sent when), then a task sends it.

Events (the services' audit rows) and the daily run of digests and reminders write rows; `services.send_due`
drains them through Django's e-mail framework, once each, retried with backoff while the mail server is down.
Celery tasks (`maydan.notify.tasks`) run both; in the demo and the tests they run in-process.
"""
