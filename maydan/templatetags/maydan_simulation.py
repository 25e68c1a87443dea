"""`{% simulated_practice placement competency %}`: a student's simulation evidence beside a competency's scale.

A tag, so that any screen showing a placement's competencies (the evaluation form) adds it with one line.
"""
from django import template
from django.utils import translation

from ..simulation.evidence import simulation_evidence

register = template.Library()


@register.inclusion_tag("maydan/simulation/_evidence.html")
def simulated_practice(placement, competency):
    # Worked out once per placement and page: the form asks for each of its competencies in turn.
    found = getattr(placement, "_simulated_practice", None)
    if found is None:
        found = simulation_evidence(placement.course, placement.student, translation.get_language())
        placement._simulated_practice = found
    return {"evidence": found.get(str(competency))}
