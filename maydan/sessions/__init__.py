"""Supervision sessions and online classes: schedules, iCalendar feeds, attendance credited as hours."""
