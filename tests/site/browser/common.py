"""Helpers for the browser tests: where Chromium is, how it is started, signing in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

from playwright.sync_api import Page

from giamngheo.accounts.demo import DEMO_USERS

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

CHROMIUM: Final = Path("/usr/bin/chromium")
CHROMIUM_ARGS: Final = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
TIMEOUT_MS: Final = 15_000  # per action or wait
LAUNCH_TIMEOUT_MS: Final = 60_000


def log_in(page: Page, live_server: LiveServer, username: str, password: str) -> None:
    """Sign in through the real login form and land on the home page."""
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/login/?next=/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click(".login-card button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def demo_user(username: str) -> tuple[str, str]:
    """(username, full name) of a demo account."""
    found = next(user for user in DEMO_USERS if user.username == username)
    return found.username, found.full_name
