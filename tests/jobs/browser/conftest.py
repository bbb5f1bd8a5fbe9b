"""The browser fixtures of the site (headless Debian Chromium, live server, demo accounts)."""

from tests.site.browser.conftest import chromium, demo_users, page

__all__ = ["chromium", "demo_users", "page"]
