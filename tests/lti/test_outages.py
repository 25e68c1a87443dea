"""When the shared cache is down or stalled, a login or launch answers a clear 503 in the person's language and
writes nothing; any other failure on the tool's side is a 500 page in their language, not Django's bare one.

The cache here is the production one (lti_tool.cache.RedisCache, redis-py) pointed at a real socket: a port
nobody listens on, or a listener that accepts and then never answers or closes the connection unanswered.
"""
import socket
import threading

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory, override_settings

from lti_tool import outages
from lti_tool.models import forget_kept
from maydan.models import Membership, Person
from tests.mailserver import free_port

from .flow import post, until_form

UNAVAILABLE_EN = "Maydan cannot answer just now"
UNAVAILABLE_AR = "لا يستطيع ميدان الرد الآن"


class FaultyRedis:
    """A TCP server in Redis's place that accepts connections and then either never answers (stalled) or
    closes each before answering (a connection broken during a command)."""

    def __init__(self, drops):
        self.drops = drops
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)
            if self.drops:
                connection.close()

    def close(self):
        self.listener.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def faulty_redis():
    servers = []
    yield lambda drops: servers.append(FaultyRedis(drops)) or servers[-1]
    for server in servers:
        server.close()


def _cache_at(port):
    return override_settings(CACHES={"default": {"BACKEND": "lti_tool.cache.RedisCache",
                                                 "LOCATION": f"redis://127.0.0.1:{port}/0"}})


def _launch_with_the_cache_at(port, lang):
    client = Client(raise_request_exception=False)
    form = until_form(client, lang=lang)  # the platform's side, with the cache still up
    people, members = Person.objects.count(), Membership.objects.count()
    forget_kept()
    with _cache_at(port):
        answer = post(client, form)
    assert (Person.objects.count(), Membership.objects.count()) == (people, members)  # nothing half-written
    return answer


@pytest.mark.parametrize("lang, words, direction", [("en", UNAVAILABLE_EN, "ltr"), ("ar", UNAVAILABLE_AR, "rtl")])
def test_a_launch_while_the_cache_is_down_is_a_503_in_the_launchs_language(sandbox, lang, words, direction):
    answer = _launch_with_the_cache_at(free_port(), lang)
    page = answer.content.decode()
    assert answer.status_code == 503 and answer["Retry-After"] == str(outages.RETRY_AFTER_SECONDS)
    assert words in page and f'<html lang="{lang}" dir="{direction}"' in page
    assert "Server Error" not in page


def test_a_stalled_cache_is_a_503_after_one_wait(sandbox, faulty_redis):
    stalled = faulty_redis(drops=False)
    answer = _launch_with_the_cache_at(stalled.port, "en")
    assert answer.status_code == 503 and UNAVAILABLE_EN in answer.content.decode()
    assert len(stalled.connections) == 1  # the request already waited its 2 s: no second wait


def test_a_dropped_cache_connection_is_tried_once_more_then_is_a_503(sandbox, faulty_redis):
    dropping = faulty_redis(drops=True)
    answer = _launch_with_the_cache_at(dropping.port, "en")
    assert answer.status_code == 503 and UNAVAILABLE_EN in answer.content.decode()
    assert len(dropping.connections) == 2  # a connection broken midway: one more try, no more


def test_a_login_that_must_read_its_registration_while_the_cache_is_down_is_a_503(sandbox):
    client = Client(raise_request_exception=False, headers={"Accept-Language": "en"})
    start = client.get("/sandbox/launch", {"person": "student_1", "course": "field-training-1", "lang": "en"})
    forget_kept()  # a fresh worker: the registration is not kept, so the login reads it
    with _cache_at(free_port()):
        login = client.get(start["Location"])
    assert login.status_code == 503 and UNAVAILABLE_EN in login.content.decode()
    assert not [name for name in login.cookies if name.startswith("lti1p3-state")]  # no launch was started


def _failure_page(path, exception, **headers):
    request = RequestFactory().get(path, headers=headers)
    try:
        raise exception
    except Exception:
        return outages.server_error(request)


def test_a_database_that_refuses_connections_is_an_outage_too():
    answer = _failure_page("/lti/app?lang=en", OperationalError("connection refused"))
    assert answer.status_code == 503 and UNAVAILABLE_EN in answer.content.decode()


@pytest.mark.parametrize("path, headers, words", [
    ("/lti/app?lang=ar", {}, "حدث خطأ من جهتنا"),
    ("/maydan/link/x?lang=en", {}, "Something went wrong on our side"),
    ("/lti/launch", {"Accept-Language": "en-GB"}, "Something went wrong on our side"),
])
def test_any_other_failure_is_a_500_page_in_the_persons_language(path, headers, words):
    answer = _failure_page(path, RuntimeError("a bug"), **headers)
    assert answer.status_code == 500 and words in answer.content.decode()
    assert "Retry-After" not in answer
