"""The whole page around a launched screen, written in Python rather than a template: it is on every launch's
answer, and the template engine spent longer on its dozen values than on the words around them.

Nothing in it is kept from one page to the next but the shape and the stylesheet's and script's addresses (keyed by
the settings they follow); every value (language, direction, endpoint, title) is escaped on every draw; the screen's
HTML goes in as it is.
"""
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

PAGE = """<!DOCTYPE html>
<html lang="{language}" dir="{direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{stylesheet}">
</head>
<body class="maydan-page">
{root}
<script src="{script}"></script>
</body>
</html>
"""
# {(STATIC_URL, the static files' storage): (the stylesheet's address, the script's), escaped}
ADDRESSES = {}
ROOT = '<div class="maydan" lang="{language}" dir="{direction}" data-endpoint="{endpoint}">{inner}</div>\n'


def root(screen, inner):
    """The screen's own element (as maydan/root.html draws it for the XBlocks): its language, direction and
    endpoint, around `inner`, the screen's HTML."""
    return SafeString(ROOT.format(language=conditional_escape(screen.language),
                                  direction=conditional_escape(screen.direction),
                                  endpoint=conditional_escape(screen.endpoint), inner=inner))


def page(screen, inner, title):
    """A whole page: the screen's element, titled `title`, with the product's stylesheet and script."""
    stylesheet, script = _addresses()
    return PAGE.format(language=conditional_escape(screen.language), direction=conditional_escape(screen.direction),
                       title=conditional_escape(title), stylesheet=stylesheet, root=root(screen, inner), script=script)


def _addresses():
    key = (settings.STATIC_URL, repr(settings.STORAGES.get("staticfiles")))
    found = ADDRESSES.get(key)
    if found is None:
        found = ADDRESSES[key] = tuple(conditional_escape(static(f"maydan/maydan.{kind}")) for kind in ("css", "js"))
    return found
