"""The pylti1p3 reference way of being an LTI 1.3 tool, to compare Maydan's launch with.

A minimal Django project as pylti1p3's documentation shows it: DjangoOIDCLogin and
DjangoMessageLaunch over a ToolConfDict, launch data in the Django cache (DjangoCacheDataStorage),
the platform's keys cached with set_public_key_caching, and a trivial page. Configured from the
environment the benchmark sets (REFERENCE_* variables); served by gunicorn like the tool.
"""
