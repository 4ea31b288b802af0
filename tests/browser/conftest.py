"""A real Chromium, driven through Playwright's sync API, against pytest-django's live server.

Debian's Chromium is used (see the `chromium_path` fixture); no browser is ever downloaded. Each test
gets a fresh browser context (no cookies shared between tests) and a hard time limit.
"""

import os
import signal

import pytest

from tests.conftest import absent

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STEP_TIMEOUT_MS = 20_000  # one click, fill or wait
NAVIGATION_TIMEOUT_MS = 30_000  # one page load, the first of which compiles nothing but may be slow
TEST_TIME_LIMIT_S = 180  # one whole test, however many steps it has


@pytest.fixture(scope="module")
def browser(chromium_path):
    """Chromium for the module's tests.

    Playwright's sync API keeps an asyncio event loop marked as running in this thread while it is
    started, and Django then refuses the test's own ORM calls ("cannot call this from an async
    context"). The check is lifted only while Playwright runs, and put back when it stops, so it still
    guards every other test of the session.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        absent("Playwright", "install the test extras: pip install -e '.[test]'")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True, timeout=60_000
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def time_limit(request):
    """Fail a browser test that runs past TEST_TIME_LIMIT_S instead of letting it hang the suite."""

    def expire(signum, frame):
        raise TimeoutError(f"{request.node.name} ran for more than {TEST_TIME_LIMIT_S} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(TEST_TIME_LIMIT_S)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def page(time_limit, browser, live_server):
    """A page in a fresh browser context on the live server, in English unless the user chose otherwise."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(STEP_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    """Sign in through the real Wagtail login form, as a person would."""

    def sign_in(username, password):
        assert page.goto("/admin/login/").ok
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation() as navigation:
            page.click("form button[type=submit]")
        assert navigation.value is not None and navigation.value.ok, f"signing in answered {navigation.value}"
        # A refused login shows the form again, at the same address.
        assert "/admin/login/" not in page.url, f"signing in as {username} failed: still at {page.url}"

    return sign_in


@pytest.fixture
def expect(browser):
    """Playwright's retrying assertions (imported here, where a missing Playwright is reported)."""
    from playwright.sync_api import expect

    return expect


@pytest.fixture
def no_background_reading(settings):
    """No task worker: uploads are stored but not read. The test settings run tasks inside the request
    that enqueues them, so a browser test that is not about reading would wait for OCR on every upload."""
    settings.SIJILL_TASK_WORKERS = 0
