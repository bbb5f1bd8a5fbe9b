"""Signing in and switching the language, in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page

from giamngheo.accounts.demo import DEMO_PASSWORD
from tests.site.browser.common import demo_user, log_in

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_and_switch_to_english_and_back(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    username, full_name = demo_user("xa")
    log_in(page, live_server, username, DEMO_PASSWORD)

    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.inner_text("h1") == f"Xin chào, {full_name}!"
    assert page.inner_text(".user-role") == "Cán bộ xã"
    assert page.locator(".site-nav a[aria-current=page]").inner_text() == "Trang chủ"
    assert page.locator(".lang-switch button[value=vi]").get_attribute("aria-pressed") == "true"

    page.click(".lang-switch button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.url == f"{live_server.url}/"
    assert page.inner_text("h1") == f"Hello, {full_name}!"
    assert page.inner_text(".user-role") == "Commune officer"
    assert page.locator(".site-nav a[aria-current=page]").inner_text() == "Home"
    page.screenshot(path=tmp_path / "home-en.png", full_page=True)

    page.click(".lang-switch button[value=vi]")
    page.wait_for_selector("html[lang=vi]")
    assert page.url == f"{live_server.url}/"
    assert page.inner_text("h1") == f"Xin chào, {full_name}!"
    assert page.locator(".lang-switch button[value=vi]").get_attribute("aria-pressed") == "true"
    page.screenshot(path=tmp_path / "home.png", full_page=True)
    assert (tmp_path / "home.png").stat().st_size > 0


def test_a_wrong_password_keeps_the_login_page(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "xa")
    page.fill("input[name=password]", "sai-mat-khau")
    page.click(".login-card button[type=submit]")
    page.wait_for_selector(".login-card .alert-error")
    assert page.url.startswith(f"{live_server.url}/login/")
    page.screenshot(path=tmp_path / "login-refused.png", full_page=True)
