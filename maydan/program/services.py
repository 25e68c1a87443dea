"""The program level's services: agencies, openings, preferences, matching and offers.

Each service checks who may act, enforces the rules, and writes the change with its audit row
in one transaction. The field coordinator manages the program; a student ranks openings; an
agency contact, through its link (agency_links.py), proposes openings and answers offers.
"""
import hashlib
from dataclasses import replace
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, parse, roles, vocab
from ..fieldlog import links
from ..cohort.placements import _text, require_coordinator
from ..fieldlog.input import check_text
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..models import Agency, AgencyLink, Membership, Person, Placement
from . import matching, rules
from .models import AgencyContact, Offer, Opening, PlacementPreference, Program, ProgramAgency, ProgramCourse

LIVE = ("proposed", "sent", "accepted")
# Offers a rerun of the matching never moves: the coordinator's and those already sent or answered.
MAX_STATEMENT = 1000


def program_for(course):
    """The program a course belongs to: its setting, else its platform's "main" program."""
    link = ProgramCourse.objects.select_related("program").filter(course=course).first()
    if link is not None:
        return link.program
    program, _created = Program.objects.get_or_create(issuer=course.issuer, key="main")
    return program


def program_courses(program):
    """The courses of a program: those that joined it, and for "main" its platform's courses that named none."""
    from ..models import Course

    joined = Q(program_link__program=program)
    if program.key == "main":
        joined |= Q(issuer=program.issuer, program_link__isnull=True)
    return Course.objects.filter(joined)


@transaction.atomic
def join_program(actor, key):
    """The coordinator's program setting: the course joins its platform's program `key` (created if new).

    Courses of one platform with the same key share agencies, openings and matching."""
    require_coordinator(actor)
    key = (key or "").strip()
    if not rules.is_term(key):
        raise _invalid("program", _("Name the program with letters, digits, - or _ (at most 32), e.g. bsw-cairo."))
    before = program_for(actor.course).key
    program, _created = Program.objects.get_or_create(issuer=actor.course.issuer, key=key)
    ProgramCourse.objects.update_or_create(course=actor.course, defaults={"program": program})
    audit.record(actor, "program_join", changes={"program": [before, key]})
    return program


def _invalid(field, message):
    return Invalid(message, {field: [message]})


def _optional_day(data, name):
    """A date typed in the form, None when left empty; Invalid naming the field when malformed or implausible."""
    value = data.get(name)
    if value is None or isinstance(value, str) and not value.strip():
        return None
    return parse.parse_date(value, message=_("Write dates as YYYY-MM-DD."), field=name)


def _choices(data, name, allowed):
    values = data.getlist(name) if hasattr(data, "getlist") else list(data.get(name) or [])
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise _invalid(name, _("Choose from the list."))
    return list(dict.fromkeys(values))


def _term(value):
    value = (value or "").strip()
    if not rules.is_term(value):
        raise _invalid("term", _("Name the term with letters, digits, - or _ (at most 32), e.g. 2026-fall."))
    return value


# --- agencies --------------------------------------------------------------------------------------


def agencies(actor):
    """The program's agencies, each with `agreement` (rules.agreement_state) and its contacts."""
    program = program_for(actor.course)
    today = timezone.localdate()
    found = list(ProgramAgency.objects.filter(program=program).prefetch_related("contacts", "links").order_by("name"))
    for agency in found:
        agency.agreement = rules.agreement_state(agency.agreement_starts, agency.agreement_ends, today)
    return found


@transaction.atomic
def save_agency(actor, data):
    """Create an agency, or change the one with that name; a contact named in the form is added or updated."""
    require_coordinator(actor)
    name = _text(data, "name", 255)
    if not name:
        raise _invalid("name", _("Give the agency a name."))
    modality = data.get("modality") or "in_person"
    if modality not in vocab.MODALITIES:
        raise _invalid("modality", _("Choose from the list."))
    starts, ends = (_optional_day(data, "agreement_starts"), _optional_day(data, "agreement_ends"))
    if (starts is None) != (ends is None) or (starts and ends < starts):
        raise _invalid("agreement_ends", _("An agreement needs a start and an end, the end after the start."))
    values = {"fields": _choices(data, "fields", rules.FIELDS), "languages": _choices(data, "languages", rules.LANGUAGES),
              "modality": modality, "agreement_starts": starts, "agreement_ends": ends}
    program = program_for(actor.course)
    agency, created = ProgramAgency.objects.select_for_update().get_or_create(program=program, name=name,
                                                                             defaults=values)
    before = {} if created else {k: getattr(agency, k) for k in values}
    for key, value in values.items():
        setattr(agency, key, value)
    agency.save()
    contact = _text(data, "contact_name", 255)
    if contact:
        details = {"role": _text(data, "contact_role", 255), "email": _text(data, "contact_email", 254),
                   "phone": _text(data, "contact_phone", 64)}
        if details["email"] and "@" not in details["email"]:
            raise _invalid("contact_email", _("Enter a valid e-mail address."))
        AgencyContact.objects.update_or_create(agency=agency, name=contact, defaults=details)
    audit.record(actor, "program_agency_save", changes={
        "program": program.pk, "agency": agency.pk, **audit.diff(before, values)})
    return agency


# --- openings --------------------------------------------------------------------------------------


def _agency_of(actor, agency_id):
    try:
        return ProgramAgency.objects.get(pk=parse.parse_id(agency_id), program=program_for(actor.course))
    except (ProgramAgency.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("This agency does not exist."))


def clean_opening(data):
    """Model values of an opening from a form, or Invalid naming the fields."""
    errors = {}
    title = _text(data, "title", 255)
    if not title:
        errors["title"] = [_("Give the opening a title.")]
    capacity = parse.optional_number(data.get("capacity"), low=1, high=rules.MAX_CAPACITY) or 0
    capacity = int(capacity) if capacity == int(capacity) else 0  # whole students only
    if not 1 <= capacity <= rules.MAX_CAPACITY:
        errors["capacity"] = [_("Capacity is a whole number from 1 to %(max)d.") % {"max": rules.MAX_CAPACITY}]
    level = data.get("level") or "BSW"
    if level not in vocab.PROGRAMS:
        errors["level"] = [_("Choose from the list.")]
    field = data.get("field") or ""
    if field and field not in rules.FIELDS:
        errors["field"] = [_("Choose from the list.")]
    modality = data.get("modality") or "in_person"
    if modality not in vocab.MODALITIES:
        errors["modality"] = [_("Choose from the list.")]
    values = {"title": title, "capacity": capacity, "level": level, "field": field, "modality": modality}
    try:
        values["term"] = _term(data.get("term"))
    except Invalid as refusal:
        errors.update(refusal.field_errors)
    for name, limit in (("schedule", 255), ("requirements", 2000)):
        try:
            values[name] = check_text(str(data.get(name) or "")[:limit], name)
        except Invalid as refusal:
            errors.update(refusal.field_errors)
    if errors:
        first = next(iter(errors.values()))[0]
        raise Invalid(first, errors)
    return values


def save_opening(actor, agency, data, opening_id=None):
    """Create or update one of `agency`'s openings (the caller has checked who may)."""
    values = clean_opening(data)
    if opening_id:
        try:
            opening = Opening.objects.select_for_update().get(pk=parse.parse_id(opening_id), agency=agency)
        except (Opening.DoesNotExist, TypeError, ValueError):
            raise NotFound(_("This opening does not exist."))
        taken = opening.offers.filter(status__in=LIVE).count()
        if values["capacity"] < taken:
            raise _invalid("capacity", _("%(count)d students are already placed here: capacity cannot be lower.")
                           % {"count": taken})
        before = {k: getattr(opening, k) for k in values}
    else:
        opening, before = Opening(agency=agency), {}
    for key, value in values.items():
        setattr(opening, key, value)
    opening.save()
    audit.record(actor, "opening_save", changes={"opening": opening.pk, "agency": agency.pk,
                                                 **audit.diff(before, values)})
    return opening


@transaction.atomic
def coordinator_save_opening(actor, data):
    require_coordinator(actor)
    return save_opening(actor, _agency_of(actor, data.get("agency")), data, data.get("opening") or None)


def openings(actor, term, *, level=None):
    program = program_for(actor.course)
    found = Opening.objects.filter(agency__program=program, term=term).select_related("agency")
    if level:
        found = found.filter(level=level)
    return list(found.order_by("agency__name", "title", "pk"))


def terms(actor):
    program = program_for(actor.course)
    return sorted(set(Opening.objects.filter(agency__program=program).values_list("term", flat=True)), reverse=True)


# --- preferences -----------------------------------------------------------------------------------


def my_offer(actor, term):
    """The student's offer this term once sent to the agency (proposals stay the coordinator's until then)."""
    return Offer.objects.filter(opening__agency__program=program_for(actor.course), opening__term=term,
                                student=actor.person, status__in=("sent", "accepted", "declined")
                                ).select_related("opening__agency").order_by("-pk").first()


def preference(actor, term):
    return PlacementPreference.objects.filter(program=program_for(actor.course), term=term, student=actor.person).first()


@transaction.atomic
def save_preferences(actor, term, ranking, statement):
    """A student's ranked openings (best first) and statement for the term, replacing any earlier ones."""
    if not actor.has(roles.STUDENT) or actor.person is None:
        raise Forbidden(_("Only students rank openings."))
    term = _term(term)
    program = program_for(actor.course)
    chosen = [str(v).strip() for v in ranking if str(v).strip()]
    if not chosen:
        raise _invalid("ranking", _("Rank at least one opening."))
    if len(chosen) > program.max_ranks:
        raise _invalid("ranking", _("Rank at most %(count)d openings.") % {"count": program.max_ranks})
    if len(set(chosen)) != len(chosen):
        raise _invalid("ranking", _("Each opening may be ranked only once."))
    allowed = {str(o.pk): o.pk for o in openings(actor, term, level=actor.course.program)}
    if any(c not in allowed for c in chosen):
        raise _invalid("ranking", _("Rank only the openings shown for your program and term."))
    statement = check_text(str(statement or ""), "statement")
    if len(statement) > MAX_STATEMENT:
        raise _invalid("statement", _("Keep the statement under %(count)d characters.") % {"count": MAX_STATEMENT})
    values = {"ranking": [allowed[c] for c in chosen], "statement": statement, "course": actor.course}
    found, created = PlacementPreference.objects.select_for_update().get_or_create(
        program=program, term=term, student=actor.person, defaults=values)
    before = {} if created else {"ranking": found.ranking, "statement": found.statement}
    if not created:
        found.ranking, found.statement, found.course = values["ranking"], statement, actor.course
        found.save()
    audit.record(actor, "preferences_save", changes={"term": term, **audit.diff(before, {
        "ranking": values["ranking"], "statement": statement})})
    return found


def applicants(agency, term):
    """{opening id: [PlacementPreference]} of the students who ranked each of the agency's openings this term."""
    mine = set(agency.openings.filter(term=term).values_list("pk", flat=True))
    found = {pk: [] for pk in mine}
    for pref in PlacementPreference.objects.filter(program=agency.program, term=term).select_related("student"):
        for pk in set(pref.ranking) & mine:
            found[pk].append(pref)
    return found


@transaction.atomic
def rank_applicants(desk, opening_id, positions):
    """The agency's order of an opening's applicants ({student id: position}, blank = no preference)."""
    try:
        opening = Opening.objects.select_for_update().get(pk=_int(opening_id), agency=desk.agency)
    except Opening.DoesNotExist:
        raise NotFound(_("This opening does not exist."))
    allowed = {p.student_id for p in applicants(desk.agency, opening.term)[opening.pk]}
    chosen = {}
    for student, position in positions.items():
        position = str(position or "").strip()
        if not position:
            continue
        rank = parse.optional_number(position, low=1, high=len(allowed) or 1)
        if _int(student) not in allowed or rank is None or rank != int(rank):
            raise _invalid("ranking", _("Give each applicant you prefer a whole number, 1 for the first."))
        chosen[_int(student)] = int(rank)
    order = sorted(chosen, key=lambda s: (chosen[s], s))
    audit.record(desk, "opening_rank_applicants", changes={"opening": opening.pk,
                                                           **audit.diff({"ranking": opening.agency_ranking},
                                                                        {"ranking": order})})
    opening.agency_ranking = order
    opening.save(update_fields=["agency_ranking", "updated_at"])
    return order


# --- demand, matching, offers ----------------------------------------------------------------------


def demand(actor, term):
    """(openings, {opening id: rules.Demand}, offers) for the term in three queries, whatever the cohort."""
    require_coordinator(actor)
    program = program_for(actor.course)
    found = openings(actor, term)
    rankings = PlacementPreference.objects.filter(program=program, term=term).values_list("ranking", flat=True)
    filled = dict(Offer.objects.filter(opening__agency__program=program, opening__term=term, status__in=LIVE)
                  .values("opening").annotate(n=Count("pk")).values_list("opening", "n"))
    return found, rules.demand({o.pk: o.capacity for o in found}, rankings, filled)


def offers(actor, term, *, agency=None):
    program = program_for(actor.course) if agency is None else agency.program
    found = Offer.objects.filter(opening__agency__program=program, opening__term=term).exclude(status="declined")
    if agency is not None:
        found = found.filter(opening__agency=agency)
    return list(found.select_related("student", "opening__agency").order_by("opening__agency__name", "student__name"))


def rankings(actor, term, *, student="", unplaced=False):
    """The term's rankings for the coordinator, by student name (a queryset: the screen takes a page of it);
    `student` keeps the names containing it, `unplaced` those with no live offer."""
    require_coordinator(actor)
    program = program_for(actor.course)
    found = PlacementPreference.objects.filter(program=program, term=term)
    if student:
        found = found.filter(student__name__icontains=student)
    if unplaced:
        found = found.exclude(student_id__in=Offer.objects.filter(
            opening__agency__program=program, opening__term=term, status__in=LIVE).values("student_id"))
    return found.select_related("student").order_by("student__name", "pk")


def offers_of(actor, term, students):
    """{student id: live offer} for these students this term, in one query."""
    return {o.student_id: o for o in Offer.objects.filter(
        opening__agency__program=program_for(actor.course), opening__term=term, status__in=LIVE,
        student_id__in=students).select_related("opening__agency")}


@transaction.atomic
def run_matching(actor, term):
    """Match the term's students who hold no kept offer; returns how many were placed.

    Kept: the coordinator's manual placements and every offer already sent or answered. The
    matching runs again for everyone else, in the seats those leave.
    """
    require_coordinator(actor)
    term = _term(term)
    program = program_for(actor.course)
    Program.objects.select_for_update().filter(pk=program.pk).first()  # one run at a time per program
    live = Offer.objects.filter(opening__agency__program=program, opening__term=term, status__in=LIVE)
    live.filter(status="proposed", manual=False).delete()
    kept = list(live.values_list("student_id", "opening_id"))
    placed = {student for student, _opening in kept}
    capacity = {o.pk: o.capacity for o in Opening.objects.filter(agency__program=program, term=term)}
    for _student, opening in kept:
        capacity[opening] -= 1
    prefs = list(PlacementPreference.objects.filter(program=program, term=term).exclude(student_id__in=placed)
                 .order_by("updated_at", "pk").values_list("student_id", "course_id", "ranking"))
    agency_ranks = dict(Opening.objects.filter(agency__program=program, term=term)
                        .exclude(agency_ranking=[]).values_list("pk", "agency_ranking"))
    result = matching.deferred_acceptance({s: r for s, _c, r in prefs}, capacity, agency_ranks,
                                          tie_break=[s for s, _c, _r in prefs])
    courses = {s: c for s, c, _r in prefs}
    Offer.objects.bulk_create([Offer(opening_id=o, student_id=s, course_id=courses[s]) for s, o in result.items()])
    audit.record(actor, "matching_run", changes={"program": program.pk, "term": term, "matched": len(result),
                                                 "kept": len(kept), "unmatched": len(prefs) - len(result)})
    return len(result)


@transaction.atomic
def assign(actor, term, student_id, opening_id):
    """Put a student in an opening by hand (kept when the matching runs again); an empty opening removes them."""
    require_coordinator(actor)
    program = program_for(actor.course)
    term = _term(term)
    pref = PlacementPreference.objects.filter(program=program, term=term, student_id=_int(student_id)).first()
    if pref is None:
        raise NotFound(_("This student has not ranked openings this term."))
    current = Offer.objects.select_for_update().filter(
        opening__agency__program=program, opening__term=term, student_id=pref.student_id, status__in=LIVE)
    if current.exclude(status="proposed").exists():
        raise Conflict(_("This student's offer was already sent: it can no longer be changed here."))
    before = list(current.values_list("opening_id", flat=True))
    current.delete()
    displaced = None
    if opening_id:
        try:
            opening = Opening.objects.select_for_update().get(pk=_int(opening_id), agency__program=program, term=term)
        except Opening.DoesNotExist:
            raise NotFound(_("This opening does not exist."))
        if opening.offers.filter(status__in=LIVE).count() >= opening.capacity:
            # A hand placement outranks the matching's proposals: one of those gives way, and its
            # student is matched again on the next run. Hand placements and sent offers never do.
            displaced = opening.offers.filter(status="proposed", manual=False).order_by("-pk").first()
            if displaced is None:
                raise Conflict(_("This opening is full."))
            displaced.delete()
        Offer.objects.create(opening=opening, student_id=pref.student_id, course_id=pref.course_id, manual=True)
    audit.record(actor, "offer_assign", changes={
        "term": term, "student": pref.student_id, "opening": [before[0] if before else None, _int(opening_id)],
        "displaced": displaced.student_id if opening_id and displaced else None})


@transaction.atomic
def send_offers(actor, term):
    """Send every proposed offer of the term to its agency; returns how many."""
    require_coordinator(actor)
    program = program_for(actor.course)
    count = Offer.objects.filter(opening__agency__program=program, opening__term=_term(term),
                                 status="proposed").update(status="sent", updated_at=timezone.now())
    audit.record(actor, "offers_send", changes={"program": program.pk, "term": term, "sent": count})
    return count


@transaction.atomic
def answer_offer(desk, offer_id, accept, supervisor_name="", supervisor_email=""):
    """The agency accepts or declines a sent offer; an accepted one becomes the student's placement, with its
    agency supervisor (a course member) and that supervisor's link to the log (`offer.link_token`, shown once)."""
    try:
        offer = Offer.objects.select_for_update().select_related("opening__agency", "student", "course").get(
            pk=_int(offer_id), opening__agency=desk.agency)
    except Offer.DoesNotExist:
        raise NotFound(_("This offer does not exist."))
    if offer.status != "sent":
        raise Conflict(_("This offer was already answered."))
    # The agency supervisor's own name, as on an agency link: not a client's, so not the client guard's.
    offer.supervisor_name = str(supervisor_name or "").strip()[:255] or desk.link.contact_name
    offer.status = "accepted" if accept else "declined"
    in_course = replace(desk, course=offer.course)  # filed with the student's course, where the placement is
    offer.link_token = None
    if accept:
        if not offer.supervisor_name:
            raise _invalid("supervisor_name", _("Name the agency supervisor who will approve the student's hours."))
        email = links.clean_address(supervisor_email)
        supervisor = _agency_supervisor(offer, email)
        offer.placement = _place(in_course, offer, supervisor)
        offer.link_token = _supervisor_link(in_course, desk, offer.placement, email)
    offer.save()
    audit.record(in_course, "offer_" + offer.status, placement=offer.placement,
                 changes={"offer": offer.pk, "student": offer.student_id, "opening": offer.opening_id})
    return offer


def _agency_supervisor(offer, email):
    """The agency supervisor named on the offer, as a member of the student's course (the same person for the
    same name at the same agency: a supervisor of several students is one person)."""
    name = offer.supervisor_name
    key = hashlib.sha256(" ".join(name.casefold().split()).encode()).hexdigest()[:16]
    person, created = Person.objects.get_or_create(
        issuer=offer.course.issuer, subject=f"maydan-agency:{offer.opening.agency_id}:{key}",
        defaults={"name": name, "email": email})
    if not created and email and person.email != email:
        person.email = email
        person.save(update_fields=["email"])
    Membership.objects.get_or_create(course=offer.course, person=person, role=roles.AGENCY)
    return person


def _supervisor_link(actor, desk, placement, email):
    """The agency supervisor's link to the student's log, issued in the coordinator's name (who issued the
    agency's link); e-mailed when an address is given, as any agency link is."""
    link = AgencyLink.objects.create(placement=placement, issued_by=desk.link.issued_by,
                                     supervisor_name=placement.agency_supervisor.name, email=email,
                                     expires_at=timezone.now() + timedelta(days=links.MAX_DAYS))
    audit.record(actor, "link_issue", placement=placement, changes={"link": link.pk, "days": links.MAX_DAYS})
    return links.token_for(link)


def _place(desk, offer, supervisor):
    """The student's placement in their course, now at this agency with its supervisor, as a CSV import would
    have set it."""
    name = offer.opening.agency.name
    host, _created = Agency.objects.get_or_create(course=offer.course, name=name)
    placement, _created = Placement.objects.select_for_update().get_or_create(course=offer.course,
                                                                              student=offer.student)
    after = {"agency": name, "host_agency_id": host.pk, "agency_supervisor_id": supervisor.pk}
    before = {k: getattr(placement, k) for k in after}
    for key, value in after.items():
        setattr(placement, key, value)
    placement.save()
    audit.record(desk, "placement_offer", placement=placement, changes=audit.diff(before, after))
    return placement


def _int(value):
    """An id from a form, or None (which finds nothing)."""
    return parse.optional_id(value)

