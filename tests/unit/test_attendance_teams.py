"""A Microsoft Teams attendance report (UTF-16, tab-separated, in numbered sections, durations "1h 29m") is read
like Zoom's: its participants credited, its other sections left alone, a name in Arabic letters left for review
with its likely student suggested."""
import pytest

from maydan.models import LogEntry
from maydan.sessions import attendance, report, services
from tests.unit.test_sessions import _zoom_session

TEAMS = "\r\n".join([
    "1. Summary",
    "Meeting title\tGroup supervision - Field Training I",
    "Attended participants\t4",
    "Start time\t4/7/26, 5:58:02 PM",
    "End time\t4/7/26, 7:31:10 PM",
    "Meeting duration\t1h 33m 8s",
    "",
    "2. Participants",
    "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole",
    "Dr. Hoda Samir\t4/7/26, 5:58:02 PM\t4/7/26, 7:31:10 PM\t1h 33m 8s\thoda.samir@example.edu\thoda.samir@example.edu\tOrganizer",
    "Sara Adel\t4/7/26, 6:01:15 PM\t4/7/26, 7:30:15 PM\t1h 29m\ts1@example.edu\ts1@example.edu\tAttendee",
    "عمر نبيل\t4/7/26, 6:05:00 PM\t4/7/26, 7:20:00 PM\t1h 15m\t\t\tAttendee",
    "Guest 4821 (Unverified)\t4/7/26, 6:10:00 PM\t4/7/26, 6:20:00 PM\t10m\t\t\tAttendee",
    "",
    "3. In-Meeting Activities",
    "Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole",
    "Sara Adel\t4/7/26, 6:01:15 PM\t4/7/26, 6:40:15 PM\t39m\ts1@example.edu\tAttendee",
    "",
])


def test_teams_participants_are_read_and_its_other_sections_left_alone():
    rows = report.read(("\ufeff" + TEAMS).encode("utf-16-le"))  # as Teams saves it, with its byte-order mark
    assert [(r.name, r.minutes) for r in rows] == [
        ("Dr. Hoda Samir", 93), ("Sara Adel", 89), ("عمر نبيل", 75), ("Guest 4821 (Unverified)", 10)]
    assert rows[1].email == "s1@example.edu" and rows[1].join.hour == 18


@pytest.mark.parametrize("spelled, minutes", [("1h 29m", 89), ("39m", 39), ("1h 33m 8s", 93), ("45s", 0),
                                             ("2h", 120), ("87", 87), ("87.9", 87)])
def test_durations_as_teams_and_zoom_write_them(spelled, minutes):
    rows = report.read(f"Name,Duration\nSara Adel,{spelled}\n")
    assert rows[0].minutes == minutes


@pytest.mark.parametrize("bad", ["1h 99x", "h", "soon", "25h"])
def test_a_duration_that_is_not_one_says_which_line(bad):
    with pytest.raises(report.FormatError):
        report.read(f"Name,Duration\nSara Adel,{bad}\n")


def test_a_teams_report_credits_the_students_and_suggests_omar(cohort):
    session = _zoom_session(cohort)
    summary = attendance.import_attendance(cohort.academic, session.pk, ("\ufeff" + TEAMS).encode("utf-16-le"))
    assert summary["credited"] == 1 and LogEntry.objects.get().minutes == 89
    review = summary["review"]
    assert [row["name"] for row in review.rows] == ["عمر نبيل", "Guest 4821 (Unverified)"]
    suggested = attendance.suggestions(review, list(services.course_students(cohort.course)))
    assert suggested[0][1] == cohort.other_student.person and suggested[1][1] is None
