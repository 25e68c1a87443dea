"""Template filters of the documents (maydan/documents/*.html)."""
import unicodedata

from django import template

register = template.Library()


@register.filter
def text_direction(text):
    """"rtl" or "ltr" by the text's first strong letter, as a browser decides for dir="auto"; the PDF
    renderer does not, so a document states it: an English comment in an Arabic document keeps its
    full stop at its end. "auto" when the text has no letter at all."""
    for char in str(text or ""):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "auto"
