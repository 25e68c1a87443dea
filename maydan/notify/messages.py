"""What each event tells whom, in the course's language: rows for `services.queue`.

Called from the services' audit rows (see `events`) and from the digests; every function writes at most
one row per recipient and returns it.
"""
from functools import lru_cache

from django.utils import formats, translation
from django.utils.translation import gettext as _

from .. import vocab
from ..fieldlog import links
from . import services


@lru_cache(maxsize=4096)
def day(value, language):
    """A date as people write it in the language (a digest names thousands of days: each is written once)."""
    with translation.override(language):
        return formats.date_format(value, "j F Y")


def agency_link(link, period, *, reason="link_issue"):
    """The agency supervisor's link, sent when issued with their address, and again on request."""
    placement, course = link.placement, link.placement.course
    language = course.language
    expires = services.as_local(course, link.expires_at)
    with translation.override(language):
        student = placement.student.name or _("your student")
        where = placement.agency or (placement.host_agency.name if placement.host_agency_id else "")
        return services.queue(
            kind="agency_link", address=link.email, about=f"link:{link.pk}", period=period, course=course,
            language=language, reason=reason,
            subject=_("Field training: review %(student)s's log") % {"student": student},
            content={
                "intro": _("You supervise %(student)s's field training%(where)s in %(course)s. This link opens their "
                           "log: approve the hours they record, or return an entry with a comment. It needs no "
                           "account and is valid until %(day)s.") % {
                    "student": student, "course": course.title,
                    "where": (_(" at %(agency)s") % {"agency": where}) if where else "",
                    "day": day(expires.date(), language)},
                "url": links.address_of(link),
                "action": _("Open the evaluation") if link.opens.startswith("evaluation:") else _("Open the field log"),
                "outro": _("Keep this e-mail: the link is yours alone. If it stops working, ask the academic "
                           "supervisor for a new one."),
            },
        )


def entry_returned(entry, event):
    placement = entry.placement
    student, course = placement.student, placement.course
    language = course.language
    with translation.override(language):
        return services.queue(
            kind="entry_returned", address=student.email, about=f"entry:{entry.pk}", period=f"event:{event.pk}",
            course=course, recipient=student, language=language, reason=event.action,
            subject=_("Your field log entry of %(day)s was returned") % {"day": day(entry.date, language)},
            content={
                "intro": _("Please read the comment, correct the entry in your field log and submit it again."),
                "items": [{"text": entry_line(entry, language), "quote": event.comment}],
                "open": True, "action": _("See the entry"),
            },
        )


def entry_line(entry, language):
    """One entry in a line (date, activity, hours, the client's code): called in the language's override."""
    hours = formats.number_format(entry.minutes / 60, 1)
    line = _("%(day)s · %(activity)s · %(hours)s h") % {
        "day": day(entry.date, language), "activity": vocab.ACTIVITY_TYPES.get(entry.activity_type, ""),
        "hours": hours}
    return line + (f" · {entry.client_code}" if entry.client_code else "")


def grade_released(placement, title, event):
    course = placement.course
    with translation.override(course.language):
        return _grade_news(placement, title, event, _("Your grade is released: %(title)s") % {"title": title}, {
            "intro": _("Your supervisors have released your result for %(title)s in %(course)s.") % {
                "title": title, "course": course.title}, "open": True, "action": _("See your result")})


def evaluation_corrected(placement, title, event):
    """The student's evaluation was corrected after release: why, and that they acknowledge it on their screen."""
    course = placement.course
    with translation.override(course.language):
        return _grade_news(placement, title, event, _("Your evaluation was corrected: %(title)s") % {"title": title}, {
            "intro": _("Your supervisors corrected your released result for %(title)s in %(course)s. Both versions "
                       "stay in your record. Please read the correction and acknowledge it on your evaluation "
                       "screen.") % {"title": title, "course": course.title},
            "items": [{"text": _("Reason for the correction"), "quote": event.comment}],
            "open": True, "action": _("See the correction")})


def _grade_news(placement, title, event, subject, content):
    """News of a student's grade, to the student, in the course's language (written under its override)."""
    student, course = placement.student, placement.course
    return services.queue(
        kind="grade_released", address=student.email, about=f"placement:{placement.pk}:{title}",
        period=f"event:{event.pk}", course=course, recipient=student, language=course.language, reason=event.action,
        subject=subject, content=content)


def confirm_address(actor, address, token):
    from django.urls import reverse

    from .mail import absolute

    language = actor.course.language
    with translation.override(language):
        return services.queue(
            kind="address_confirm", address=address,
            # Once a day per person and address: asking again cannot flood someone else's mailbox.
            about=f"confirm:{actor.person.pk}", period=str(services.today_in(actor.course)), course=actor.course,
            recipient=actor.person,
            language=language, reason="address_added", force=True,
            subject=_("Confirm your e-mail address for Maydan"),
            content={"intro": _("Open this link to receive Maydan's e-mails at this address. If you did not ask "
                                "for it, ignore this e-mail."),
                     "url": absolute(reverse("maydan:notify-confirm", args=[token])),
                     "action": _("Confirm my address")},
        )
