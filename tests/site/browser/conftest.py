"""Headless Chromium for the browser tests, driven by Playwright against pytest-django's live server.

Playwright's own browser downloads are never used: the tests launch Debian's Chromium at
``/usr/bin/chromium`` (``.ci/run`` installs it with apt-get). Where it is missing the tests are skipped
with that reason; nothing else skips them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
from pytest_django.fixtures import SettingsWrapper

from giamngheo.accounts.demo import demo_users_load
from tests.site.browser.common import CHROMIUM, CHROMIUM_ARGS, LAUNCH_TIMEOUT_MS, TIMEOUT_MS


@pytest.fixture
def chromium() -> Path:
    """Debian's Chromium; the one reason a browser test is skipped is that it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
def demo_users(settings: SettingsWrapper, tmp_path: Path) -> None:
    """The demo accounts, created as ``manage.py load_demo`` does; exports go to ``tmp_path``."""
    settings.VAR_DIR = tmp_path
    demo_users_load(write=lambda _: None)


@pytest.fixture
def page(chromium: Path, demo_users: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Page]:
    """A fresh browser (no cookies) with the demo accounts in the database."""
    # Playwright's sync API keeps an event loop in this thread; Django would then refuse the ORM calls
    # that the test and the fixtures' teardown make. The live server thread does the page requests.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=list(CHROMIUM_ARGS), timeout=LAUNCH_TIMEOUT_MS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()
