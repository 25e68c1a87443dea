"""Supervisor grading: competency evaluations by both supervisors, reconciliation, rubrics, release."""
