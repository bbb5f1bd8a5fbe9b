"""The standards pages in a real browser: list, detail, and try-classification with the htmx upload."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page

from giamngheo.accounts.demo import DEMO_PASSWORD
from tests.site.browser.common import log_in

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_a_standard_from_the_list(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    log_in(page, live_server, "tinh", DEMO_PASSWORD)
    page.click(".site-nav a[href='/chuan-ngheo/']")
    page.wait_for_url(f"{live_server.url}/chuan-ngheo/")
    assert page.inner_text("h1") == "Chuẩn nghèo"

    page.click("a[href='/chuan-ngheo/vn-2022-2025/']")
    page.wait_for_url(f"{live_server.url}/chuan-ngheo/vn-2022-2025/")
    poor = page.inner_text(".rule-list .rule-poor").replace("\u00a0", " ")
    assert poor == (
        "Hộ nghèo: thu nhập bình quân ≤ 1.500.000 đ/người/tháng ở nông thôn, "
        "≤ 2.000.000 đ/người/tháng ở thành thị và thiếu hụt từ 3 chỉ số trở lên."
    )
    assert "1.500.000" in page.inner_text(".rule-list .rule-near_poor")
    page.screenshot(path=tmp_path / "standard.png", full_page=True)


def test_upload_the_sample_and_download_the_result(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    log_in(page, live_server, "xa", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/chuan-ngheo/phan-loai-thu/")

    with page.expect_download() as sample_download:
        page.click("a[href='/chuan-ngheo/phan-loai-thu/mau.xlsx']")
    assert sample_download.value.suggested_filename == "mau.xlsx"
    sample = tmp_path / "mau.xlsx"
    sample_download.value.save_as(sample)

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
    page.screenshot(path=tmp_path / "try-result.png", full_page=True)

    with page.expect_download() as result_download:
        page.get_by_text("Tải kết quả đầy đủ (Excel)").click()
    assert result_download.value.suggested_filename.startswith("phan-loai-thu_vn-2022-2025_")
    result = tmp_path / "ket-qua.xlsx"
    result_download.value.save_as(result)
    sheet = load_workbook(result, read_only=True)["ket_qua"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    by_column = {name: [row[header.index(name)] for row in rows[1:]] for name in ("household_id", "class")}
    assert by_column["household_id"] == ["H001", "H002", "H003"]
    assert by_column["class"] == ["poor", "near_poor", "not_poor"]
    assert [row[header.index("class_label")] for row in rows[1:]] == [
        "Hộ nghèo",
        "Hộ cận nghèo",
        "Hộ không nghèo",
    ]
