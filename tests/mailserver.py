"""A real SMTP server (aiosmtpd) for the tests, which a test can stop (the mail server is down) and restart."""
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        # A header folded right after its colon keeps the fold's space in its value; mail programs show it
        # trimmed, and so do the tests (Django 5.2 folds long headers so, newer Django does not).
        for name in ("Subject", "List-Unsubscribe", "List-Unsubscribe-Post", "From", "To"):
            if name in message:
                message.replace_header(name, str(message[name]).strip())
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real SMTP server on a fixed port, which the tests can stop (the mail server is down) and restart."""

    def __init__(self):
        self.port, self.inbox, self.controller = free_port(), Inbox(), None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()

    @property
    def messages(self):
        return [message for _to, message in self.inbox.messages]


@pytest.fixture
def smtp(settings):
    server = Server()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.MAYDAN_BASE_URL = "http://testserver"
    settings.DEFAULT_FROM_EMAIL = "noreply@maydan.example"
    yield server
    server.stop()


def parts(message):
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html
