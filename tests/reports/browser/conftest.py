"""The browser fixtures of the site tests (Debian Chromium through Playwright)."""

from tests.site.browser.conftest import chromium, demo_users, page

__all__ = ["chromium", "demo_users", "page"]
