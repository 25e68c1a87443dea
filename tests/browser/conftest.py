"""Real Chromium (Debian's) driven by Playwright against the tool served by pytest-django's live server."""
import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# As root and on a machine with no network beyond the loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium).")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ar-EG")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site(live_server, settings):
    """The live server's address, which the tool takes as its own; the workbench starts empty of
    other tests' state (its scenarios and field values are process-wide)."""
    from workbench.runtime_util import reset_global_state

    reset_global_state()
    settings.MAYDAN_BASE_URL = live_server.url
    return live_server.url


@pytest.fixture
def shoot():
    """Save a screenshot under test-artifacts/ (kept by CI as evidence of what people saw)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
