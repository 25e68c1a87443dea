"""Who may read and sign a placement's documents; signatures bound to content; verification codes.

Every signature and every code issued is written with its audit row in one transaction.
"""
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy

from .. import audit, roles
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..fieldlog import placement_for
from ..models import Placement
from ..grading import recordings, services as grading
from . import content
from .models import IssuedDocument, Signature

TITLES = {
    content.CERTIFICATE: gettext_lazy("Field training hours certificate"),
    content.AGREEMENT: gettext_lazy("Learning agreement"),
    content.PORTFOLIO: gettext_lazy("Field portfolio"),
}
RECORDING_TITLE = gettext_lazy("Process recording")
STATEMENT = gettext_lazy("I have read this document and confirm that it is true and complete. "
                         "Typing my name here is my signature.")
# Unambiguous letters and digits (no 0/O, 1/I/L): a code read aloud or typed from paper.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 16


@dataclass(frozen=True)
class Document:
    kind: str
    placement: Placement
    data: dict
    content_hash: str
    signatures: list
    code: str = ""
    # A portfolio's documents, in the order it files them; no other document has parts.
    parts: tuple = ()


def kind_of(value):
    if not isinstance(value, str) or not content.is_kind(value):
        raise NotFound(_("There is no such document."))
    return value


def title(kind, language):
    """The document's title in a language: an evaluation is titled by its form."""
    if kind.startswith(content.EVALUATION):
        form = grading.form_of(kind[len(content.EVALUATION):])
        return form.title.get(language) or form.title["en"]
    with translation.override(language):
        if kind.startswith(content.RECORDING):
            return str(RECORDING_TITLE)
        return str(TITLES[kind])


def document_for(actor, kind, placement_id=None):
    """The document of a placement the actor may see: the student's own, an agency supervisor's
    students', every placement for the course's supervisors; NotFound for anyone else. The portfolio,
    a student's whole record in one file, only for the student, their own supervisors and the coordinator."""
    kind = kind_of(kind)
    placement = placement_for(actor, placement_id or None)
    recordings.purge_expired(placement.course)  # a recording past its retention period is in no document
    placement = Placement.objects.select_related(
        "course", "student", "academic_supervisor", "agency_supervisor", "host_agency").get(pk=placement.pk)
    if kind == content.PORTFOLIO and not may_read_portfolio(actor, placement):
        raise Forbidden(_("Only the student, their supervisors and the field coordinator may download "
                          "the field portfolio."))
    document = current(kind, placement)
    if kind.startswith(content.RECORDING) and document.data["recorded"] is None:
        raise NotFound(_("There is no such document."))
    return document


def may_read_portfolio(actor, placement):
    """The placement's own people (its link too) and the course's coordinator; not every academic supervisor."""
    return actor.has(roles.COORDINATOR) or signer_role(actor, placement) is not None


def current(kind, placement):
    data = content.build(kind, placement)
    digest = content.canonical_hash(data)
    signatures = list(Signature.objects.filter(placement=placement, kind=kind, content_hash=digest))
    parts = tuple(current(part, placement) for part, _digest in data.get("parts", ()))
    return Document(kind, placement, data, digest, signatures, parts=parts)


@transaction.atomic
def issue(actor, document):
    """The document with its verification code: the one already issued for this content, or a new one (audited).
    A portfolio's parts are issued with it: each page of it can be checked by its own document's code."""
    found = IssuedDocument.objects.filter(placement=document.placement, kind=document.kind,
                                          content_hash=document.content_hash).first()
    if found is None:
        try:
            with transaction.atomic():
                found = IssuedDocument.objects.create(placement=document.placement, kind=document.kind,
                                                      content_hash=document.content_hash, code=_new_code())
        except IntegrityError:  # issued at the same moment by another request
            found = IssuedDocument.objects.get(placement=document.placement, kind=document.kind,
                                               content_hash=document.content_hash)
        else:
            audit.record(actor, "document_issue", placement=document.placement,
                         changes={"document": document.kind, "sha256": document.content_hash, "code": found.code})
    parts = tuple(issue(actor, part) for part in document.parts)
    return Document(**{**document.__dict__, "code": found.code, "parts": parts})


def _new_code():
    return "".join(secrets.choice(_ALPHABET) for _i in range(_CODE_LENGTH))


def signer_role(actor, placement):
    """The role in which this actor signs this placement's documents, or None: only its people sign."""
    person_id = getattr(actor.person, "pk", None)
    if actor.link_placement is not None:
        return roles.AGENCY if actor.link_placement.pk == placement.pk else None
    if actor.has(roles.STUDENT) and placement.student_id == person_id:
        return roles.STUDENT
    if actor.has(roles.AGENCY) and placement.agency_supervisor_id == person_id:
        return roles.AGENCY
    if actor.has(roles.ACADEMIC) and placement.academic_supervisor_id in (None, person_id):
        return roles.ACADEMIC
    return None


@transaction.atomic
def sign(actor, kind, placement_id, *, typed_name, agreed, content_hash=""):
    """Sign the document's current content. `content_hash`, when given, is the content the signer read:
    if the document changed since, the signature is refused (they must read it again)."""
    if kind == content.PORTFOLIO:
        raise Invalid(_("The portfolio is signed in its parts: sign each document in it."))
    document = document_for(actor, kind, placement_id)
    Placement.objects.select_for_update().filter(pk=document.placement.pk).first()
    role = signer_role(actor, document.placement)
    if role is None:
        raise Forbidden(_("Only this placement's student, agency supervisor and academic supervisor may sign "
                          "its documents."))
    name = " ".join(str(typed_name or "").split())
    errors = {}
    if not name:
        errors["typed_name"] = [_("Type your full name to sign.")]
    elif len(name) > 255:
        errors["typed_name"] = [_("A name is at most 255 characters.")]
    if not agreed:
        errors["agreed"] = [_("Tick the statement to sign.")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)
    if content_hash and content_hash != document.content_hash:
        raise Conflict(_("The document changed after you opened it. Read it again before signing."))
    if any(signature.role == role for signature in document.signatures):
        raise Conflict(_("You already signed this document."))
    try:
        with transaction.atomic():
            Signature.objects.create(placement=document.placement, kind=kind, content_hash=document.content_hash,
                                     role=role, person=actor.person, via=actor.via, typed_name=name)
    except IntegrityError:  # the same role signed this content a moment ago, in another request
        raise Conflict(_("You already signed this document.")) from None
    audit.record(actor, "document_sign", placement=document.placement,
                 changes={"document": kind, "role": role, "sha256": document.content_hash})
    return current(kind, document.placement)


@dataclass(frozen=True)
class Verification:
    """What the verification page shows: whether the code's content is still the document's, and little else."""

    kind: str
    student: str
    issued_at: object
    content_hash: str
    unchanged: bool
    signatures: list


def verify(code):
    normalized = "".join(str(code or "").split()).upper().replace("-", "")
    if not normalized or len(normalized) > 32:
        raise NotFound(_("No document has this verification code."))
    issued = (IssuedDocument.objects.select_related("placement__course", "placement__student",
                                                    "placement__academic_supervisor", "placement__agency_supervisor",
                                                    "placement__host_agency")
              .filter(code=normalized).first())
    if issued is None:
        raise NotFound(_("No document has this verification code."))
    now = current(issued.kind, issued.placement)
    signatures = list(Signature.objects.filter(placement=issued.placement, kind=issued.kind,
                                               content_hash=issued.content_hash))
    return Verification(issued.kind, issued.placement.student.name or issued.placement.student.subject,
                        issued.issued_at, issued.content_hash, now.content_hash == issued.content_hash, signatures)
