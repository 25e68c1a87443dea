"""The pure parts of sessions: recurrence in Cairo, invitations, meeting links, feeds, participant reports."""
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from hypothesis import given, settings, strategies as st

from maydan.sessions import feed, invitation, meetinglinks, recurrence, report as attendance
from maydan.sessions.errors import FormatError

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sessions"
CAIRO = ZoneInfo("Africa/Cairo")


def fixture(name):
    return (FIXTURES / name).read_bytes()


# --- recurrence --------------------------------------------------------------------------


def test_weekly_class_keeps_its_cairo_wall_clock_across_the_summer_time_change():
    # Egypt moves to summer time on the last Friday of April (2026-04-24): 18:00 stays 18:00 local.
    starts = recurrence.occurrences(datetime(2026, 4, 14, 18, 0), "Africa/Cairo", recurrence.weekly_rule(count=4))
    assert [s.strftime("%Y-%m-%d %H:%M") for s in starts] == [
        "2026-04-14 18:00", "2026-04-21 18:00", "2026-04-28 18:00", "2026-05-05 18:00"]
    utc = [s.astimezone(timezone.utc).hour for s in starts]
    assert utc == [16, 16, 15, 15]


def test_weekly_class_across_the_autumn_change_returns_to_winter_time():
    # Summer time ends on the last Thursday of October (2026-10-29).
    starts = recurrence.occurrences(datetime(2026, 10, 20, 10, 0), "Africa/Cairo", "FREQ=WEEKLY;COUNT=3")
    assert [s.utcoffset() for s in starts] == [timedelta(hours=3), timedelta(hours=3), timedelta(hours=2)]
    assert {s.hour for s in starts} == {10}


def test_a_time_skipped_by_the_spring_change_moves_forward_an_hour():
    # 2026-04-24 00:00 → 01:00 in Cairo: 00:30 does not exist.
    moment = recurrence.localize(datetime(2026, 4, 24, 0, 30), "Africa/Cairo")
    assert (moment.hour, moment.minute, moment.utcoffset()) == (1, 30, timedelta(hours=3))


def test_occurrences_within_a_window_and_the_meeting_nearest_a_time():
    start = datetime(2026, 3, 3, 18, 0)
    rule = "FREQ=WEEKLY;UNTIL=20260630T235959"
    inside = recurrence.occurrences(start, "Africa/Cairo", rule, after=datetime(2026, 5, 1, tzinfo=CAIRO),
                                    before=datetime(2026, 5, 31, tzinfo=CAIRO))
    assert [s.day for s in inside] == [5, 12, 19, 26]
    near = recurrence.occurrence_near(start, "Africa/Cairo", rule, datetime(2026, 5, 12, 18, 7, tzinfo=CAIRO))
    assert near == datetime(2026, 5, 12, 18, 0, tzinfo=CAIRO)
    assert recurrence.occurrence_near(start, "Africa/Cairo", rule, datetime(2026, 5, 14, 18, tzinfo=CAIRO)) is None


def test_a_rule_that_is_not_one_is_refused():
    with pytest.raises(FormatError) as refused:
        recurrence.check_rule("FREQ=SOMETIMES")
    assert refused.value.reason == "bad_rule"


# --- meeting links -------------------------------------------------------------------------


@pytest.mark.parametrize("properties, link", [
    ({"LOCATION": "https://us06web.zoom.us/j/845123?pwd=abc.1"}, "https://us06web.zoom.us/j/845123?pwd=abc.1"),
    ({"X-GOOGLE-CONFERENCE": "https://meet.google.com/abc-defg-hij"}, "https://meet.google.com/abc-defg-hij"),
    ({"DESCRIPTION": "Join: <https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0?context=1>"},
     "https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0?context=1"),
    ({"DESCRIPTION": "Open https://meet.jit.si/MaydanClass, please."}, "https://meet.jit.si/MaydanClass"),
    ({"LOCATION": "Room 4", "DESCRIPTION": "docs https://example.edu/x then https://zoom.us/j/123"},
     "https://zoom.us/j/123"),
    ({"URL": "https://bbb.example.edu/rooms/abc"}, "https://bbb.example.edu/rooms/abc"),
    ({"LOCATION": "Room 4", "DESCRIPTION": "see https://example.edu/syllabus"}, ""),
])
def test_the_meeting_link_is_found_wherever_the_service_put_it(properties, link):
    assert meetinglinks.find_link(properties) == link


# --- invitations -----------------------------------------------------------------------------


def test_zoom_invitation():
    method, [event] = invitation.parse(fixture("zoom_invite.ics"))
    assert method == "PUBLISH" and not event.cancelled
    assert event.uid == "ZOOM84512345678@zoom.us" and event.sequence == 0
    assert event.start == datetime(2026, 4, 7, 18, 0, tzinfo=CAIRO) and event.minutes == 90
    assert "FREQ=WEEKLY" in event.rule and "COUNT=8" in event.rule and "BYDAY=TU" in event.rule
    assert event.link == "https://us06web.zoom.us/j/84512345678?pwd=aBcDeFgHiJkLmNoPqRsTuV.1"
    assert event.passcode == "492817"
    assert event.title == "Group supervision - Field Training I"


def test_zoom_update_and_cancel_keep_the_uid_and_raise_the_sequence():
    _m, [update] = invitation.parse(fixture("zoom_update.ics"))
    method, [cancel] = invitation.parse(fixture("zoom_cancel.ics"))
    assert update.uid == cancel.uid == "ZOOM84512345678@zoom.us"
    assert (update.sequence, update.start.hour, update.cancelled) == (2, 19, False)
    assert method == "CANCEL" and cancel.cancelled and cancel.sequence == 3


def test_google_invitation_in_utc_is_shown_in_the_course_zone():
    _m, [event] = invitation.parse(fixture("google_invite.ics"))
    assert event.link == "https://meet.google.com/abc-defg-hij"
    assert event.zone == "Africa/Cairo"
    assert event.start.astimezone(timezone.utc) == datetime(2026, 10, 20, 10, 0, tzinfo=timezone.utc)
    assert event.start.hour == 13  # Cairo is still on summer time (+3) on 20 October
    assert event.title == "مؤتمر حالة: الأسرة C-014"


def test_outlook_invitation_with_a_windows_zone_name_and_teams_link():
    _m, [event] = invitation.parse(fixture("outlook_teams_invite.ics"))
    assert event.zone == "Africa/Cairo"
    assert event.start == datetime(2026, 11, 5, 13, 0, tzinfo=CAIRO) and event.minutes == 90
    assert event.link.startswith("https://teams.microsoft.com/l/meetup-join/19%3ameeting_")
    assert event.passcode == "Xy7Zq2"


def test_floating_time_with_a_duration_is_in_the_course_zone():
    _m, [event] = invitation.parse(fixture("jitsi_invite.ics"), default_zone="Asia/Amman")
    assert event.zone == "Asia/Amman" and event.start.hour == 9 and event.minutes == 120
    assert event.link == "https://meet.jit.si/MaydanEAdvocacy2026"


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"\xff\xfe\x00garbage", "not_calendar"),
    (b"caf\xe9 BEGIN:VCALENDAR", "unreadable_file"),
    (b"Name,Email\nSara,s@x\n", "not_calendar"),
    (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "no_event"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260407T180000\r\n", "truncated"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID=Mars/Olympus:20260407T180000\r\n"
     b"END:VEVENT\r\nEND:VCALENDAR\r\n", "unknown_zone"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260407T180000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "no_uid"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "no_start"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;VALUE=DATE:20260407\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
     "all_day"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260407T180000\r\nDTEND:20260407T170000\r\n"
     b"END:VEVENT\r\nEND:VCALENDAR\r\n", "bad_duration"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260407T180000\r\nRRULE:FREQ=OFTEN\r\n"
     b"END:VEVENT\r\nEND:VCALENDAR\r\n", "bad_rule"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:not-a-date\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", None),
])
def test_malformed_invitations_say_why(data, reason):
    with pytest.raises(FormatError) as refused:
        invitation.parse(data)
    if reason:
        assert refused.value.reason == reason


# --- feeds -------------------------------------------------------------------------------------


def _feed():
    start = recurrence.localize(datetime(2026, 4, 14, 18, 0), "Africa/Cairo")
    return feed.calendar([
        feed.FeedEvent(uid="session-1@maydan", title="إشراف جماعي; الأسبوع ٣, مجموعة أ", start=start, minutes=90,
                       zone="Africa/Cairo", rule="FREQ=WEEKLY;COUNT=4", url="https://zoom.us/j/845?pwd=a,b",
                       description="Agenda:\n1. Cases\n2. " + "Reflections " * 12, sequence=2),
        feed.FeedEvent(uid="session-2@maydan", title="Cancelled class", start=start + timedelta(days=1), minutes=60,
                       zone="Africa/Cairo", cancelled=True),
    ], name="Maydan · Sara")


def test_feed_reads_the_same_in_the_icalendar_package():
    cal = icalendar.Calendar.from_ical(_feed())
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Africa/Cairo"]
    first, second = cal.walk("VEVENT")
    assert str(first["SUMMARY"]) == "إشراف جماعي; الأسبوع ٣, مجموعة أ"
    assert first["DTSTART"].dt == datetime(2026, 4, 14, 18, 0, tzinfo=CAIRO)
    assert first["DTSTART"].params["TZID"] == "Africa/Cairo"
    assert str(first["URL"]) == "https://zoom.us/j/845?pwd=a,b"
    assert int(first["SEQUENCE"]) == 2 and first["RRULE"]["COUNT"] == [4]
    [alarm] = first.walk("VALARM")
    assert alarm["TRIGGER"].dt == timedelta(minutes=-15)
    assert str(second["STATUS"]) == "CANCELLED" and not second.walk("VALARM")
    assert str(first["DESCRIPTION"]).startswith("Agenda:\n1. Cases\n2. Reflections")


def test_feed_reads_the_same_in_a_second_independent_parser():
    cal = vobject.readOne(_feed().decode())
    first = cal.vevent_list[0]
    assert first.summary.value == "إشراف جماعي; الأسبوع ٣, مجموعة أ"
    assert first.dtstart.value.utcoffset() == timedelta(hours=2)
    # vobject expands the rule itself: the meeting after the summer-time change is still at 18:00.
    assert [d.hour for d in first.getrruleset()] == [18, 18, 18, 18]
    assert [d.utcoffset() for d in first.getrruleset()][-1] == timedelta(hours=3)
    assert first.valarm.trigger.value == timedelta(minutes=-15)


def test_feed_lines_are_folded_at_75_octets_without_splitting_letters():
    lines = _feed().split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode()  # every physical line is valid UTF-8 on its own


# --- participant reports ---------------------------------------------------------------------------


def test_zoom_report_with_summary_block_bom_rejoins_and_arabic_names():
    rows = attendance.read(fixture("zoom_participants.csv"))
    assert [r.line for r in rows] == [5, 6, 7, 8, 9]
    people = {p.name: p for p in attendance.participants(rows)}
    assert people["Sara Adel"].minutes == 87  # two sessions: 39 + 48, same e-mail in any case
    assert people["عُمَر نبيل (Omar's laptop)"].minutes == 75
    assert people["Sara Adel"].first_join == datetime(2026, 4, 7, 18, 1, 15)


def test_two_devices_at_once_are_counted_once():
    rows = attendance.read("Name,Join Time,Leave Time\nSara,2026-04-07 18:00,2026-04-07 19:00\n"
                           "Sara,2026-04-07 18:30,2026-04-07 19:30\n")
    [sara] = attendance.participants(rows)
    assert sara.minutes == 90


def test_matching_by_email_then_by_name_in_either_script():
    rows = attendance.read(fixture("zoom_participants.csv"))
    people = [(1, "Sara Adel / سارة عادل", "s1@example.edu"), (2, "Omar Nabil / عمر نبيل", ""),
              (3, "Dr. Hoda Samir", "hoda.samir@example.edu")]
    matched, unmatched = attendance.match(attendance.participants(rows), people)
    assert {pid: p.minutes for p, pid in matched} == {1: 87, 2: 75, 3: 93}
    assert [p.name for p in unmatched] == ["Guest 4821"]
    simple = attendance.participants(attendance.read(fixture("zoom_participants_simple.csv")))
    assert [pid for _p, pid in attendance.match(simple, people)[0]] == [1]


def test_a_name_two_people_share_is_left_for_review():
    rows = attendance.read("Name,Duration\nMona Ali,60\n")
    matched, unmatched = attendance.match(attendance.participants(rows), [(1, "Mona Ali", ""), (2, "منى علي / Mona Ali", "")])
    assert matched == [] and len(unmatched) == 1


@pytest.mark.parametrize("data, reason, line", [
    (b"", "empty", None),
    (b"Topic,Start\nx,y\n", "no_header", None),
    (b"Name,Join Time,Leave Time\n", "no_rows", None),
    (b"Name,Join Time,Leave Time\nSara,yesterday,today\n", "bad_time", 2),
    (b"Name,Join Time,Leave Time\nSara,2026-04-07 19:00,2026-04-07 18:00\n", "leave_before_join", 2),
    (b"Name,Duration (Minutes)\nSara,60\n,30\n", "no_name", 3),
    (b"Name,Duration (Minutes)\nSara,sixty\n", "bad_minutes", 2),
    (b"\xff\xd8\xff\xe0binary", None, None),
])
def test_malformed_reports_say_which_line_and_why(data, reason, line):
    with pytest.raises(FormatError) as refused:
        attendance.read(data)
    if reason:
        assert refused.value.reason == reason
    if line:
        assert refused.value.details["line"] == line


def test_name_normalisation_ignores_diacritics_and_letter_forms():
    assert attendance.normalize_name("أحْمَد  عبدُ الله") == attendance.normalize_name("احمد عبد الله")
    assert attendance.normalize_name("فاطمة") == attendance.normalize_name("فاطمه")
    assert attendance.normalize_name("SARA Adel (iPad)") == "sara adel"


_TEXT = st.text(alphabet=st.sampled_from(list("abc XYZ,;:\\\n\"'éإشراف١٢٣—🙂")), min_size=1, max_size=300).filter(
    lambda t: t.strip() == t and "\n" not in (t[0], t[-1]))


@settings(max_examples=30, deadline=None)
@given(title=_TEXT, description=_TEXT)
def test_any_text_comes_back_the_same_from_both_parsers(title, description):
    start = recurrence.localize(datetime(2026, 4, 14, 18, 0), "Africa/Cairo")
    body = feed.calendar([feed.FeedEvent(uid="u@maydan", title=title, start=start, minutes=60, zone="Africa/Cairo",
                                         description=description)])
    assert max(len(line) for line in body.split(b"\r\n")) <= 75
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert (str(event["SUMMARY"]), str(event["DESCRIPTION"])) == (title, description)
    other = vobject.readOne(body.decode()).vevent
    assert (other.summary.value, other.description.value) == (title, description)
