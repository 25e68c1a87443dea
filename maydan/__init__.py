"""Maydan's domain core: field-training logs, supervision and grading, shared by every adapter."""
