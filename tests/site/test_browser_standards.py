"""Try-classification in a real browser: the htmx upload renders the result into the page.

Runs only where the ``playwright`` package is importable and ``/usr/bin/chromium`` exists (it is not a
project dependency); elsewhere it is skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pytest_django.fixtures import SettingsWrapper

from giamngheo.site.standards_views import sample_workbook
from tests.accounts.factories import PASSWORD, user_factory

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found")
    # Playwright's sync API runs an event loop in this thread; the live server does the database work.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context.new_page()
        context.close()
        browser.close()


def test_upload_the_sample_and_see_the_classes(
    page: Any, live_server: LiveServer, settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    user_factory(username="tinhthu", full_name="Trần Thị Hoa")
    sample = tmp_path / "mau.xlsx"
    sample.write_bytes(sample_workbook())

    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "tinhthu")
    page.fill("input[name=password]", PASSWORD)
    page.click(".login-card button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/chuan-ngheo/phan-loai-thu/")
    posts: list[str | None] = []
    page.on("request", lambda r: posts.append(r.headers.get("hx-request")) if r.method == "POST" else None)
    page.set_input_files("input[name=households]", str(sample))
    page.click(".try-form button[type=submit]")
    page.wait_for_selector(".result-card")

    assert posts == ["true"]  # sent by htmx, the page was not reloaded
    assert page.url == f"{live_server.url}/chuan-ngheo/phan-loai-thu/"
    classes = page.locator(".households-table tbody .class-pill").all_inner_texts()
    assert classes == ["Hộ nghèo", "Hộ cận nghèo", "Hộ không nghèo"]
    assert page.locator("a", has_text="Tải kết quả đầy đủ (Excel)").count() == 1
    assert os.listdir(tmp_path / "exports")
