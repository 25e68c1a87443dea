"""A demo cohort, made through the same services people use, so the demo shows real states."""
from datetime import timedelta

from django.db import transaction
from django.http import QueryDict

from . import fieldlog, people, roles
from .fieldlog.input import today_in
from .sessions import services as sessions
from .visits import services as visits

REFLECTION = ("بدأت بالتعاقد مع الأسرة قبل الأسئلة، فصار الحديث أهدأ.",
              "I contracted with the family before asking questions; the talk went more calmly.")
ACTIVITIES = [
    ("home_visit", "in_person", "direct", "Home visit to family C-014: reviewed the safety plan.",
     "زيارة منزلية للأسرة C-014 لمراجعة خطة الأمان."),
    ("e_therapy", "remote", "direct", "Remote counselling session with client C-021 on managing anxiety.",
     "جلسة إرشاد عن بعد مع العميل C-021 حول التعامل مع القلق."),
    ("supervision", "remote", "indirect", "Weekly group supervision on Zoom.", "اجتماع الإشراف الجماعي الأسبوعي عبر زووم."),
    ("community_meeting", "in_person", "direct", "Community meeting on the rights of orphans.",
     "اجتماع مجتمعي حول حقوق الأيتام."),
]


def _form(values):
    q = QueryDict(mutable=True)
    q.update(values)
    return q


@transaction.atomic
def seed(issuer, context_id, *, title, students, academic, agency, coordinator, mentees):
    """Create a demo course and its people, with entries in every state. Safe to run again.

    students: [(subject, name)]; academic, agency, coordinator: (subject, name);
    mentees: the student subjects the agency supervisor supervises.
    """
    def enter(person, role):
        return people.enter(issuer, context_id, person[0], {role}, course_title=title, name=person[1])

    academic = enter(academic, roles.ACADEMIC)
    enter(coordinator, roles.COORDINATOR)
    agency = enter(agency, roles.AGENCY)
    course = academic.course
    if not course.category_targets:  # so the demo shows per-category bars beside the total
        course.category_targets = {"direct": 200, "supervision": 24}
        course.save(update_fields=["category_targets"])
    students = [enter(s, roles.STUDENT) for s in students]
    people.assign_agency_supervisor(course, agency.person, [s.person for s in students if s.person.subject in mentees])
    if fieldlog.placement_for(students[0]).entries.exists():
        return course
    today = today_in(course.time_zone)
    for index, student in enumerate(students):
        mentored = student.person.subject in mentees
        for day in range(1, 9 - 2 * index):
            activity, modality, kind, en, ar = ACTIVITIES[day % len(ACTIVITIES)]
            entry = fieldlog.save_entry(student, _form({
                "date": (today - timedelta(days=day * 2)).isoformat(),
                "start_time": "09:00", "end_time": "12:00" if day % 2 else "11:30",
                "activity_type": activity, "modality": modality, "time_kind": kind,
                "meeting_link": "https://zoom.us/j/81234567890" if modality == "remote" else "",
                "agency": "جمعية الأمل لرعاية الأسرة · Hope Family Association",
                "client_code": "C-0%02d" % (10 + day), "description": ar if index % 2 == 0 else en,
                "competencies": str(6 + day % 3),
                # A few reflections, so the grading queue has work waiting.
                "reflection": REFLECTION[index % 2] if day in (2, 5) else "",
            }), submit=day > 1)
            if day > 3:
                fieldlog.approve_entry(agency if mentored else academic, entry.pk)
                if day > 5:
                    fieldlog.countersign_entry(academic, entry.pk)
    next_tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    sessions.save_session(academic, _form({
        "title": "الإشراف الجماعي · Group supervision", "kind": "group_supervision",
        "date": next_tuesday.isoformat(), "time": "18:00", "minutes": "90", "repeat": "weekly", "weeks": "8",
        "meeting_link": "https://meet.jit.si/MaydanDemoGroupSupervision", "passcode": "",
        "agenda": "مناقشة حالات الأسبوع · This week's cases",
    }))
    # A site visit made, and one planned online, so the liaison's screens and calendars show both.
    visit = _form({"kind": "on_site", "day": (today - timedelta(days=10)).isoformat(), "time": "11:00",
                   "minutes": "60", "progress": "on_track", "progress_note": "تأقلمت جيدًا مع فريق المؤسسة · Settled in well",
                   "actions": "حالتان للنقاش في الإشراف الجماعي · Two cases for group supervision"})
    visit.setlist("met", ["student", "agency_supervisor"])
    visits.record(academic, fieldlog.placement_for(students[0]).pk, visit)
    if len(students) > 1:
        visits.schedule(academic, fieldlog.placement_for(students[1]).pk, _form({
            "kind": "virtual", "day": (today + timedelta(days=12)).isoformat(), "time": "10:00", "minutes": "45",
            "meeting_link": "https://meet.jit.si/MaydanDemoSiteVisit"}))
    return course
