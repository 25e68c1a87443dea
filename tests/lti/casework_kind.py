"""A second activity kind for the tests: two keyed items, screens that say who sees what."""
from django.utils.html import escape

from maydan.activities import Activity


def items(course):
    return [Activity("casework", key, {"en": f"Case study: {key}", "ar": f"دراسة حالة: {key}"}, max_score=20)
            for key in ("flood", "eviction")]


def render(screen):
    who = "supervisor" if screen.actor.supervises_course else "student"
    fields = "".join(f'<input type="hidden" name="{k}" value="{escape(v)}">' for k, v in screen.hidden.items())
    return (f'<form class="casework" data-key="{screen.key}" data-view="{who}">{fields}'
            f'casework {screen.key} for {who}</form>')


def handle(screen, form):
    return 200, render(screen)
