"""A released evaluation's voices per competency — the student's own, each supervisor's, the final —
drawn with the cohort's bar chart (inline SVG, its text alternative reading every bar)."""
from ..cohort import charts

# Four short bars: narrow enough to read at full size on a 360 px phone.
LABEL_WIDTH, BAR_WIDTH = 160, 120


def competency_mean(values, competency):
    """The mean of a competency's observed values in {behaviour: value}; None when none was observed."""
    observed = [values[b.id] for b in competency.behaviours if values.get(b.id) is not None]
    return round(sum(observed) / len(observed), 2) if observed else None


def charts_by_competency(form, voices, *, language, direction):
    """{competency id: SVG}: one chart per competency, a bar per voice; voices are [(label, {behaviour: value})]."""
    found = {}
    for competency in form.framework.competencies:
        title = f"{competency.id}. {competency.title.get(language) or competency.title['en']}"
        bars = [(str(label), competency_mean(values, competency)) for label, values in voices]
        found[competency.id] = charts.bars(bars, title=title, maximum=form.scale.maximum, direction=direction,
                                           language=language, label_width=LABEL_WIDTH, bar_width=BAR_WIDTH)
    return found
