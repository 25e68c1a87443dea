"""Bar charts as inline SVG: no script, readable when printed, right to left for Arabic.

Pure Python: labels and values in, markup out (every text escaped).
"""
from html import escape

from .. import numbers

ROW, LABEL, BAR, GAP = 22, 190, 260, 60


def bars(items, *, title, unit="", maximum=None, direction="ltr", language="en", label_width=LABEL, bar_width=BAR):
    """A horizontal bar chart of [(label, value)]; value None is drawn as "—". A narrower chart (short labels,
    a few bars) reads at its own size on a phone instead of shrinking to fit."""
    values = [v for _label, v in items if v is not None]
    top = maximum or max(values, default=0) or 1
    width, height = label_width + bar_width + GAP, ROW * (len(items) + 1) + 8
    rtl = direction == "rtl"
    label_x = width - 4 if rtl else 4
    shown_values = ["—" if value is None else f"{numbers.screen_number(value, language)}{unit}" for _l, value in items]
    # The text alternative reads every bar, as the picture shows it: "title: label value; label value".
    spoken = f"{title}: " + "; ".join(f"{label} {shown}" for (label, _v), shown in zip(items, shown_values))
    parts = [f'<svg class="maydan-chart" role="img" aria-label="{escape(spoken)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
             f'<text x="{label_x}" y="16" direction="{direction}" font-size="13" font-weight="bold">'
             f'{escape(_short(title, width // 8))}</text>']
    for index, ((label, value), shown) in enumerate(zip(items, shown_values)):
        y = (index + 1) * ROW + 4
        size = 0 if value is None else round(bar_width * min(value, top) / top, 1)
        # Every text starts where it is anchored and runs in the page's direction: leftwards in Arabic.
        bar_x = width - label_width - size if rtl else label_width
        text_x = bar_x - 4 if rtl else label_width + size + 4
        parts.append(
            f'<text x="{label_x}" y="{y + 14}" direction="{direction}" font-size="12">'
            f'{escape(_short(label, round(label_width / 6.3)))}</text>'
            f'<rect x="{bar_x}" y="{y + 3}" width="{size}" height="{ROW - 8}" class="maydan-chart-bar"'
            f' fill="#2f6f5e"><title>{escape(str(label))}: {escape(shown)}</title></rect>'
            f'<text x="{text_x}" y="{y + 14}" direction="{direction}" font-size="11">'
            f'{escape(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _short(label, limit=30):
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"
