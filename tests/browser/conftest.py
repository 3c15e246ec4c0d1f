"""Fixtures for the browser tests: Debian's headless Chromium driven by Playwright against the
app served in-process by pytest-django's live server.

No browser is ever downloaded. Without a Chromium on the machine these tests skip, except in CI
(CI=true), where a missing browser is a failure so that the journeys cannot silently vanish."""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections

# Chromium's own background traffic (updates, sync, field trials) is refused on a closed network
# and would only add noise; a fresh profile per test keeps cookies and storage from leaking.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def chromium_path() -> str:
    return (
        os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE")
        or shutil.which("chromium")
        or "/usr/bin/chromium"
    )


@pytest.fixture(scope="session")
def chromium_executable():
    executable = chromium_path()
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        reason = (
            f"no Chromium at {executable} (looked at PLAYWRIGHT_CHROMIUM_EXECUTABLE, `chromium` "
            "on PATH, /usr/bin/chromium); `apt-get install chromium` to run the browser tests"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the browser tests: {reason}", pytrace=False)
        pytest.skip(reason)
    return executable


@dataclass
class BrowserSession:
    """One page in a fresh browser profile, with everything it logged and requested."""

    page: object
    base_url: str
    console_errors: list[tuple[str, str]] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requested_urls: list[str] = field(default_factory=list)
    responses: list[object] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def path(self) -> str:
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def html_attributes(self) -> tuple[str | None, str | None]:
        root = self.page.locator("html")
        return root.get_attribute("dir"), root.get_attribute("lang")

    def assert_no_errors(self, *, expected_responses=()) -> None:
        """No console error and no uncaught exception. Chromium logs every 4xx as a console
        error; pass the responses whose status the test itself asserted (a form sent back with
        its errors answers 400) to leave those out."""
        expected = {
            (f"Failed to load resource: the server responded with a status of {r.status} ", r.url)
            for r in expected_responses
        }
        unexpected = [
            f"{text} ({url})"
            for text, url in self.console_errors
            if not any(text.startswith(prefix) and url == at for prefix, at in expected)
        ]
        assert unexpected == [], f"console errors: {unexpected}"
        assert self.page_errors == [], f"uncaught page errors: {self.page_errors}"


@pytest.fixture
def open_browser(live_server, transactional_db, chromium_executable, tmp_path, monkeypatch):
    """open_browser(locale="ar-IQ", viewport=None) -> BrowserSession on the live server.

    Each call starts Chromium with an empty profile under the test's tmp_path; every browser
    is closed at the end of the test."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, which makes Django
    # refuse ORM calls from the test body. Allowed only while the browser is open, so the rest
    # of the suite keeps the check.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = sync_playwright().start()
    contexts = []

    def _open(*, locale="ar-IQ", viewport=None):
        profile = tmp_path / f"profile-{len(contexts)}"
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=chromium_executable,
            headless=True,
            args=LAUNCH_ARGS,
            locale=locale,
            timezone_id="Asia/Baghdad",
            viewport=viewport or {"width": 1280, "height": 900},
        )
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.pages[0] if context.pages else context.new_page()
        session = BrowserSession(page=page, base_url=live_server.url)
        page.on(
            "console",
            lambda msg: (
                session.console_errors.append((msg.text, msg.location.get("url", "")))
                if msg.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda exc: session.page_errors.append(str(exc)))
        page.on("request", lambda request: session.requested_urls.append(request.url))
        page.on("response", lambda response: session.responses.append(response))
        return session

    try:
        yield _open
    finally:
        for context in contexts:
            context.close()
        # While Playwright's loop runs, Django (through asgiref) treats this thread as async and
        # gives the test body database connections of its own. Close them before the loop stops,
        # or they outlive the test and PostgreSQL refuses to drop the test database.
        connections.close_all()
        playwright.stop()
