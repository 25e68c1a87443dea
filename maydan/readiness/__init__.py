"""Readiness documents: what a student must hold before starting a placement, uploaded, reviewed, kept safe."""
