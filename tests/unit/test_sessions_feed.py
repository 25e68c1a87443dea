"""The calendar addresses as a calendar program opens them: no cookie, the key is the credential."""
from pathlib import Path

import icalendar
import vobject
from django.test import Client

from maydan.sessions import calendars, services
from maydan.sessions.views import feed_url, session_url

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sessions"


def _setup(cohort):
    [(_w, session)] = services.import_invitation(cohort.academic, (FIXTURES / "zoom_invite.ics").read_bytes())
    return session, calendars.feed_token(cohort.student).key


def _path(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_feed_address_serves_the_calendar_read_by_two_parsers(cohort):
    session, key = _setup(cohort)
    url = feed_url(key)
    assert url.startswith("webcal://")
    response = Client().get(_path(url))
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.content)
    assert str(cal.walk("VEVENT")[0]["UID"]) == session.uid
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Africa/Cairo"
    other = vobject.readOne(response.content.decode())
    assert other.vevent_list[0].uid.value == session.uid
    assert other.vevent_list[0].dtstart.value.hour == 18


def test_single_session_download(cohort):
    session, key = _setup(cohort)
    response = Client().get(_path(session_url(key, session.pk)))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["URL"]) == session.meeting_link


def test_a_session_not_meant_for_the_person_is_not_found(cohort):
    session, _key = _setup(cohort)
    session.students.set([cohort.other_student.person])
    key = calendars.feed_token(cohort.student).key
    response = Client().get(_path(session_url(key, session.pk)))
    assert response.status_code == 404 and b"VEVENT" not in response.content
    feed = Client().get(_path(feed_url(key))).content
    assert session.uid.encode() not in feed


def test_revoked_or_unknown_addresses_leak_nothing(cohort):
    session, key = _setup(cohort)
    calendars.revoke_feed(cohort.student)
    for path in (_path(feed_url(key)), _path(session_url(key, session.pk))):
        response = Client().get(path)
        assert response.status_code == 410
        assert b"BEGIN:VCALENDAR" not in response.content and session.title.encode() not in response.content
    response = Client().get(_path(feed_url("not-a-key")))
    assert response.status_code == 404 and b"VCALENDAR" not in response.content


def test_the_feed_only_answers_reads(cohort):
    _session, key = _setup(cohort)
    assert Client().post(_path(feed_url(key))).status_code == 405


def test_the_feed_speaks_the_course_language_whatever_the_calendar_program_asks(cohort):
    session, key = _setup(cohort)
    for language, kind in (("ar", "إشراف جماعي"), ("en", "Group supervision")):
        cohort.course.language = language
        cohort.course.save(update_fields=["language"])
        for url in (feed_url(key), session_url(key, session.pk)):
            response = Client(headers={"Accept-Language": "fr" if language == "ar" else "ar"}).get(_path(url))
            event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
            assert str(event["SUMMARY"]).startswith(kind + ": "), (language, url)
