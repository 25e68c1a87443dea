"""Fixtures for the XBlock tests: the block on XBlock's TestRuntime, and the embedded workbench."""
import pytest


@pytest.fixture
def workbench_state(db):
    """Re-create the workbench's scenarios inside this test's transaction.

    The workbench keeps its scenario registry in process-global state but writes the
    scenarios' field values to the database, which each test rolls back. Imported here,
    not at the top: workbench.runtime needs Django set up.
    """
    from workbench.runtime_util import reset_global_state

    reset_global_state()


@pytest.fixture
def lms(db):
    """A course on Open edX, with a block each person can open (see xbtools.Course)."""
    from .xbtools import LmsCourse

    return LmsCourse()


@pytest.fixture
def gradebook(db):
    """What the LMS grades app hears: every `score_set` edx-submissions sends, as its keyword arguments."""
    from submissions.models import score_set

    heard = []

    def receiver(sender, **kwargs):
        heard.append({k: kwargs[k] for k in ("anonymous_user_id", "course_id", "item_id",
                                             "points_earned", "points_possible")})

    score_set.connect(receiver, dispatch_uid="maydan-test-gradebook")
    yield heard
    score_set.disconnect(dispatch_uid="maydan-test-gradebook")
