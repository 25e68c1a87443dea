"""Fixtures for the LTI suite: the sandbox platform registered with the tool, a clean cache."""
import pytest
from django.core.cache import caches

from lti_tool.models import forget_kept
from lti_tool.sandbox import ensure_sandbox_registration


@pytest.fixture(autouse=True)
def _clean_cache():
    # Nonces, states and pending sandbox launches live in the cache; tests must not share them.
    caches["default"].clear()
    forget_kept()
    yield
    caches["default"].clear()
    forget_kept()


@pytest.fixture
def sandbox(db):
    """The sandbox platform's Registration row, as `maydan demo` creates it."""
    return ensure_sandbox_registration()


@pytest.fixture(autouse=True)
def _roster_on_launch_only_where_served(settings):
    # A launch fetches the platform's roster over HTTP; only the live-server tests serve one.
    settings.MAYDAN_LTI_ROSTER_ON_LAUNCH = False
