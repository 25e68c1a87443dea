"""A document as the print view's HTML and as a PDF, from one template: WeasyPrint lays out the same
HTML (Pango shapes the Arabic with the Noto fonts), so the PDF and the print view never differ.

A portfolio is its cover and its parts, each drawn by its own document template, in one page and one PDF.
"""
from functools import lru_cache
from importlib import resources

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.safestring import mark_safe

from .. import roles, ui, vocab
from ..fieldlog import hours, links
from ..grading import agreements, services as grading
from . import branding, content
from .services import STATEMENT, title

_ARABIC_INDIC = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")


def number(value, course, language):
    """A number as the course writes it: Arabic-Indic digits in Arabic when the course asks for them."""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.translate(_ARABIC_INDIC) if language == "ar" and course.digits == "arab" else text


def verify_url(code):
    return links.public_url(reverse("maydan:verify", args=[code]))


def html(document, language, *, for_print_view=False):
    """The print view: the document (a portfolio: its cover, then each part) as one standalone page."""
    return _page(document, language, for_print_view=for_print_view, stylesheet=stylesheet_text())


def pdf(document, language):
    """The same page laid out by WeasyPrint, with the stylesheet it parsed once for every document."""
    from weasyprint import HTML  # loaded on first use: Pango is needed only where PDFs are made

    stylesheets = [_stylesheet()]
    if language == "ar" and document.placement.course.digits == "arab":
        stylesheets.append(_arabic_indic_page_numbers())
    return HTML(string=_page(document, language, for_print_view=False, stylesheet=""),
                url_fetcher=_fetcher()).write_pdf(font_config=_font_config(), stylesheets=stylesheets)


def _page(document, language, *, for_print_view, stylesheet):
    logo = branding.logo_data_url(document.placement.course)
    with translation.override(language):
        parts = [_part(part, language, logo) for part in (document, *document.parts)]
        return render_to_string("maydan/documents/_page.html", {
            "language": language, "direction": ui.direction(language), "for_print_view": for_print_view,
            "title": title(document.kind, language), "student": document.data["student"], "parts": parts,
            "stylesheet": stylesheet})


@lru_cache(maxsize=1)
def stylesheet_text():
    return resources.files("maydan").joinpath("static", "maydan", "documents.css").read_text(encoding="utf-8")


def _part(document, language, logo):
    template = document.kind.split("-")[0]  # evaluation-final, recording-12: their kind's template
    return mark_safe(render_to_string(f"maydan/documents/{template}.html",
                                      {**_context(document, language), "logo": logo, "template": template}))


@lru_cache(maxsize=1)
def _stylesheet():
    """The documents' stylesheet parsed once per process, not once per document."""
    from weasyprint import CSS

    return CSS(string=stylesheet_text(), font_config=_font_config(), url_fetcher=_fetcher())


@lru_cache(maxsize=1)
def _arabic_indic_page_numbers():
    """Page numbers in the PDF's footer with the digits the course writes (a browser prints its own)."""
    from weasyprint import CSS

    return CSS(string='@page { @bottom-center { content: string(document-title) " · " counter(page, arabic-indic)'
                      ' " / " counter(pages, arabic-indic) } }', font_config=_font_config())


@lru_cache(maxsize=1)
def _fetcher():
    """Documents fetch nothing from the network or the disk: the logo comes inline (a data: URL). One
    fetcher per process, too: building one loads the system's certificate store, a tenth of a second."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


@lru_cache(maxsize=1)
def _font_config():
    """One font configuration per process: setting up fontconfig for each document took half its time.
    The documents declare no @font-face, so nothing of one document stays in it for the next."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _context(document, language):
    course, data = document.placement.course, document.data

    def num(value):
        return number(value, course, language)

    def day(value):
        return num(formats.date_format(value, "Y-m-d")) if value else "—"

    def rows(pairs, labels):
        return [{"label": labels.get(key, key), "hours": num(hours.hours(minutes))} for key, minutes in pairs]

    context = {
        "document": document, "data": data, "language": language, "direction": ui.direction(language),
        "title": title(document.kind, language), "statement": STATEMENT,
        "verify_url": verify_url(document.code) if document.code else "",
        "period": (day(data["starts_on"]), day(data["ends_on"])),
        "signatures": [{"name": s.typed_name, "role": roles.LABELS.get(s.role, s.role),
                        "at": num(formats.date_format(s.signed_at, "Y-m-d H:i"))} for s in document.signatures],
    }
    if document.kind == "certificate":
        context.update(
            approved=num(hours.hours(data["approved_minutes"])), target=num(hours.hours(data["target_minutes"])),
            entries=num(data["entries"]), countersigned=num(data["countersigned_entries"]),
            days=(day(data["first_day"]), day(data["last_day"])),
            by_time_kind=rows(data["by_time_kind"], vocab.TIME_KINDS),
            by_activity_type=rows(data["by_activity_type"], vocab.ACTIVITY_TYPES),
            by_competency=rows(data["by_competency"], {str(k): v for k, v in vocab.COMPETENCIES.items()}),
            sign_offs={action: (day(span["first"]), day(span["last"])) for action, span in data["sign_offs"].items()},
        )
    elif document.kind.startswith(content.EVALUATION):
        context.update(_evaluation(data, language, num, day, document.kind[len(content.EVALUATION):]))
    elif document.kind.startswith(content.RECORDING):
        context.update(recorded=day(data["recorded"]),
                       rows=[{**row, "number": num(i)} for i, row in enumerate(data["rows"], start=1)])
    elif document.kind == content.PORTFOLIO:
        context["contents"] = [{"title": title(part.kind, language), "code": part.code,
                                "recorded": day(part.data["recorded"]) if "recorded" in part.data else ""}
                               for part in document.parts]
    else:
        titles = {c.id: c.title.get(language) or c.title["en"] for c in agreements.competencies()}
        context.update(
            goals=[{**goal, "title": titles.get(goal["competency"], goal["competency"])} for goal in data["goals"]],
            agency_signed=day(data["agency_signed_at"]), academic_signed=day(data["academic_signed_at"]),
        )
    return context


def _evaluation(data, language, num, day, form_id):
    if not data["released_at"]:
        return {"released": False}
    form = grading.form_of(form_id)

    def value(raw):
        return "—" if raw is None else num(raw)

    def text(texts):
        return texts.get(language) or texts["en"]

    sides = data["sides"]
    competencies = [{
        "title": text(competency.title),
        "rows": [{"text": text(b.text), "final": value(data["final"].get(b.id)),
                  "agency": value(sides.get("agency", {}).get("values", {}).get(b.id)),
                  "academic": value(sides.get("academic", {}).get("values", {}).get(b.id)),
                  "decision": data["decisions"].get(b.id, "")} for b in competency.behaviours],
        "comments": [(roles.LABELS[role], sides.get(side, {}).get("comments", {}).get(competency.id, ""))
                     for side, role in (("agency", roles.AGENCY), ("academic", roles.ACADEMIC))],
    } for competency in form.framework.competencies]
    overall = [(roles.LABELS[role], sides.get(side, {}).get("comments", {}).get("overall", ""))
               for side, role in (("agency", roles.AGENCY), ("academic", roles.ACADEMIC))]
    return {"released": True, "released_on": day(data["released_at"]), "both_voices": data["both_voices"],
            "score": value(round(data["score"] * 100, 1)) if data["score"] is not None else "—",
            "competencies": competencies, "overall": overall}
