"""A document's content, built from the core's records: plain data in no language, and its canonical hash.

Labels are not content: the Arabic and the English document of one placement share one hash, and a
signature binds what was recorded (names, hours, dates, goals), not how a language words it.
"""
import hashlib
import json

from django.db.models import Max, Min

from .. import fieldlog, vocab
from ..grading import agreements, recordings, services as grading
from ..grading.models import Agreement, Evaluation, ProcessRecording
from ..models import AuditEvent

CERTIFICATE, AGREEMENT, PORTFOLIO = "certificate", "agreement", "portfolio"
KINDS = (CERTIFICATE, AGREEMENT)
# A released evaluation is the document "evaluation-<form id>", e.g. "evaluation-final".
EVALUATION = "evaluation-"
# A submitted process recording is the document "recording-<its id>".
RECORDING = "recording-"


def is_kind(kind):
    if kind.startswith(RECORDING):
        number = kind[len(RECORDING):]
        return number.isascii() and number.isdigit() and len(number) < 19 and number == str(int(number))
    return kind in (*KINDS, PORTFOLIO) or (kind.startswith(EVALUATION) and kind[len(EVALUATION):] in grading.forms())


def parts(placement):
    """The kinds a student's field portfolio holds, in the order it files them: the certificate, the
    agreement, each released evaluation in the order it was released, then the submitted process recordings by date."""
    released = (Evaluation.objects.filter(placement=placement, status=Evaluation.RELEASED,
                                          form__in=list(grading.forms()))
                .order_by("released_at", "id").values_list("form", flat=True))
    recordings = (ProcessRecording.objects.filter(placement=placement, status=ProcessRecording.SUBMITTED)
                  .order_by("date", "id").values_list("pk", flat=True))
    return [*KINDS, *(EVALUATION + form for form in released),
            *(f"{RECORDING}{pk}" for pk in recordings)]


def canonical_hash(data):
    """SHA-256 of the data as canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build(kind, placement):
    if kind.startswith(EVALUATION):
        return evaluation(placement, kind[len(EVALUATION):])
    if kind.startswith(RECORDING):
        return recording(placement, int(kind[len(RECORDING):]))
    return _BUILDERS[kind](placement)


def _people(placement):
    course = placement.course
    return {
        "school": course.school_name,
        "course": course.title,
        "student": placement.student.name or placement.student.subject,
        "agency": placement.host_agency.name if placement.host_agency_id else placement.agency,
        "academic_supervisor": _name(placement.academic_supervisor),
        "agency_supervisor": _name(placement.agency_supervisor),
        "starts_on": placement.starts_on,
        "ends_on": placement.ends_on,
    }


def _name(person):
    return (person.name or person.subject) if person else ""


def certificate(placement):
    """Approved hours by time kind, activity type and competency, with the supervisors' sign-offs."""
    approved = list(placement.entries.filter(status__in=vocab.APPROVED_STATUSES)
                    .values_list("minutes", "time_kind", "activity_type", "competencies", "status", "date"))
    by_kind, by_type, by_competency = {}, {}, {}
    for minutes, time_kind, activity_type, competencies, _status, _day in approved:
        by_kind[time_kind] = by_kind.get(time_kind, 0) + minutes
        by_type[activity_type] = by_type.get(activity_type, 0) + minutes
        for competency in competencies or ():
            key = str(competency)
            by_competency[key] = by_competency.get(key, 0) + minutes
    sign_offs = (AuditEvent.objects.filter(placement=placement, action__in=("approve", "countersign"))
                 .values("action").annotate(first=Min("at"), last=Max("at")))
    dates = [day for *_rest, day in approved]
    return {
        "kind": CERTIFICATE,
        **_people(placement),
        "target_minutes": fieldlog.target_hours(placement) * 60,
        "approved_minutes": sum(row[0] for row in approved),
        "entries": len(approved),
        "countersigned_entries": sum(1 for row in approved if row[4] == vocab.COUNTERSIGNED),
        "first_day": min(dates) if dates else None,
        "last_day": max(dates) if dates else None,
        "by_time_kind": _ordered(by_kind, vocab.TIME_KINDS),
        "by_activity_type": _ordered(by_type, vocab.ACTIVITY_TYPES),
        "by_competency": _ordered(by_competency, [str(key) for key in vocab.COMPETENCIES]),
        "sign_offs": {row["action"]: {"first": row["first"].date(), "last": row["last"].date()} for row in sign_offs},
    }


def agreement(placement):
    """The learning agreement's goals and planned activities per competency, and its supervisors' signatures."""
    record = Agreement.objects.filter(placement=placement).first()
    goals = record.goals if record else {}
    return {
        "kind": AGREEMENT,
        **_people(placement),
        "goals": [{"competency": c.id, **goals[c.id]} for c in agreements.competencies() if c.id in goals],
        "agency_signed_at": record.agency_signed_at.date() if record and record.agency_signed_at else None,
        "academic_signed_at": record.academic_signed_at.date() if record and record.academic_signed_at else None,
    }


def evaluation(placement, form_id):
    """A released evaluation: each behaviour's agency, academic and final values, both sides' comments,
    the score. Before release it holds nothing of the scores (no one may file a result not yet given)."""
    record = Evaluation.objects.filter(placement=placement, form=form_id, status=Evaluation.RELEASED).first()
    data = {"kind": EVALUATION + form_id, **_people(placement), "released_at": None}
    if record is None:
        return data
    sheets = {sheet.side: sheet for sheet in record.sheets.all()}
    voices = grading.settings_for(placement.course).show_both_voices
    data.update(released_at=record.released_at.date(), score=record.score, final=record.final_values,
                both_voices=voices,
                sides={side: {"values": sheet.values, "comments": sheet.comments,
                              "submitted_at": sheet.submitted_at.date() if sheet.submitted_at else None}
                       for side, sheet in sheets.items()} if voices else {},
                decisions={d.behaviour: d.reason for d in record.decisions.all()})
    return data


def recording(placement, recording_id):
    """A submitted process recording: its date, client code, purpose and rows with the supervisors' comments.
    `recorded` is None when there is no such submitted recording (a draft, or one deleted at the end of
    its retention period): a code issued for it then reads as no longer current."""
    record = ProcessRecording.objects.filter(placement=placement, pk=recording_id,
                                             status=ProcessRecording.SUBMITTED).first()
    data = {"kind": f"{RECORDING}{recording_id}", **_people(placement), "recorded": None}
    if record is not None:
        data.update(recorded=record.date, client_code=record.client_code, purpose=record.purpose,
                    rows=[{column: row.get(column, "") for column in (*recordings.COLUMNS, "comment")}
                          for row in record.rows])
    return data


def portfolio(placement):
    """The portfolio's content is its parts' content: one hash for the certificate, the agreement, the
    evaluations and the recordings as they are now."""
    return {"kind": PORTFOLIO, **_people(placement),
            "parts": [[kind, canonical_hash(build(kind, placement))] for kind in parts(placement)]}


def _ordered(sums, keys):
    """[[key, minutes]] in the vocabulary's order; keys the vocabulary no longer knows come last."""
    known = [key for key in keys if key in sums]
    return [[key, sums[key]] for key in known + sorted(set(sums) - set(known))]


_BUILDERS = {CERTIFICATE: certificate, AGREEMENT: agreement, PORTFOLIO: portfolio}
