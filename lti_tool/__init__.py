"""Maydan's LTI 1.3 tool and standalone web project (settings, URLs, launch, sandbox platform)."""
