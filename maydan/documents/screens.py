"""The documents beside a placement's field log: open the print view or the PDF, and sign.

The field log's screens (maydan.ui) offer `download` and the `sign_document` action from here, so every
adapter that shows the field log (the XBlock, the LTI tool, the agency link) serves documents too.
"""
from django.utils import translation
from django.utils.translation import gettext as _

from .. import activities, roles
from . import content, render, services
from .models import Signature

FORMATS = {"pdf": "application/pdf", "html": "text/html"}


def download(screen, form):
    """(file name, content type, body) when the form asks for a document, else None (a screen)."""
    if form.get("action") != "document":
        return None
    kind, language = services.kind_of(form.get("document")), form.get("language") or screen.language
    if language not in activities.LANGUAGES:
        language = screen.language
    file_format = form.get("format") if form.get("format") in FORMATS else "pdf"
    with translation.override(screen.language):
        document = services.issue(screen.actor, services.document_for(screen.actor, kind, form.get("placement")))
    name = f"{kind}-{document.placement.pk}-{language}.{file_format}"
    if file_format == "html":
        return name, FORMATS["html"], render.html(document, language, for_print_view=True)
    return name, FORMATS["pdf"], render.pdf(document, language)


def sign(screen, form):
    """The `sign_document` action: the typed name and the ticked statement sign the document as it is now."""
    screen.view = "documents"
    services.sign(screen.actor, services.kind_of(form.get("document")), form.get("placement") or None,
                  typed_name=form.get("typed_name", ""), agreed=form.get("agreed") == "1",
                  content_hash=form.get("sha256", ""))
    screen.notice = _("Signed. Your signature is bound to the document as it is now; "
                      "if it changes, it needs signing again.")


def beside_log(actor, placement):
    """Each document of the placement as the field log shows it: title, hash, signatures, may the actor sign;
    and whether the actor may download the whole portfolio."""
    role = services.signer_role(actor, placement)
    signed = list(Signature.objects.filter(placement=placement))  # every document's, in one query
    shown = []
    for kind in content.parts(placement):
        data = content.build(kind, placement)
        digest = content.canonical_hash(data)
        signatures = [s for s in signed if s.kind == kind and s.content_hash == digest]
        shown.append({"kind": kind, "title": services.title(kind, translation.get_language()), "sha256": digest,
                      "recorded": data.get("recorded"),
                      "signatures": [{"name": s.typed_name, "role": roles.LABELS.get(s.role, s.role),
                                      "at": s.signed_at} for s in signatures],
                      "may_sign": role is not None and all(s.role != role for s in signatures)})
    return {"documents": shown, "statement": services.STATEMENT, "languages": LANGUAGE_NAMES.items(),
            "portfolio": services.may_read_portfolio(actor, placement)}


LANGUAGE_NAMES = {"ar": "العربية", "en": "English"}
