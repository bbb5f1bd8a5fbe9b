"""A commune officer's whole review in a real browser, from a new household in the registry to its
certificate and the public posting, and the village workbook upload with a bad row (screenshots in
/tmp/shots/review2-*.png)."""

from __future__ import annotations

import datetime
import re
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook  # type: ignore[import-untyped]
from playwright.sync_api import Page

from giamngheo.accounts.models import Role
from giamngheo.registry.models import Household
from giamngheo.review.models import ReviewRound, RoundStatus, Survey
from tests.accounts.factories import PASSWORD, scoped_user_factory
from tests.registry.conftest import Map
from tests.registry.factories import member_factory
from tests.review.factories import household_with_adult, open_round
from tests.site.browser.common import log_in

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")
CITIZEN_ID = "001080004321"  # Hà Nội birth registration, a man born in 1980


def _select_all(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.select_option(f"select[name='{name}']", value)


HOUSEHOLD_ANSWERS = {
    "ill_member_untreated": "false",
    "has_dwelling": "true",
    "water_source": "surface_water",
    "latrine_type": "none",
    "waste_disposal": "collected",
    "uses_internet": "true",
    "uses_telephone": "true",
    "has_tv": "true",
    "has_radio": "false",
    "has_computer": "false",
    "has_smartphone": "true",
    "hears_loudspeaker": "true",
}
ADULT_ANSWERS = {
    "has_labour_capacity": "true",
    "employment": "self_employed",
    "has_health_insurance": "true",
    "stunted": "false",
    "underweight": "false",
    "school_attendance": "not_attending",
    "general_education": "upper_secondary",
    "vocational_qualification": "none",
    "enterprise_trained": "false",
}
CHILD_ANSWERS = {
    **ADULT_ANSWERS,
    "has_labour_capacity": "false",
    "employment": "not_in_labour_force",
    "school_attendance": "attending",
    "general_education": "primary",
}


def test_commune_officer_reviews_a_new_household_end_to_end(
    page: Page, live_server: LiveServer, geo_map: Map
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1, username="canboxa")
    url = live_server.url
    today = timezone.localdate()
    log_in(page, live_server, "canboxa", PASSWORD)

    # 1. The registry: a new household in village V1, then its two members.
    page.goto(f"{url}/ho/moi/")
    page.select_option("select[name=village]", str(geo_map.v1.pk))
    page.fill("input[name=code]", "HB001")
    page.fill("input[name=address]", "Xóm Trên")
    page.click("form.registry-form button[type=submit]")
    page.wait_for_url(re.compile(rf"{url}/ho/\d+/$"))
    household = Household.objects.get(code="HB001")
    for name, sex, born, citizen_id, relation, head in (
        ("Lò Văn Pọm", "male", "1980-05-20", CITIZEN_ID, "", True),
        ("Lò Thị Ín", "female", "2017-02-03", "", "Con", False),
    ):
        page.click("text=Thêm nhân khẩu")
        page.wait_for_url(f"{url}/ho/{household.pk}/them-nhan-khau/")
        page.fill("input[name=full_name]", name)
        page.check(f"input[name=sex][value={sex}]")
        page.fill("input[name=date_of_birth]", born)
        page.fill("input[name=citizen_id]", citizen_id)
        page.fill("input[name=relation_to_head]", relation)
        if head:
            page.check("input[name=is_head]")
        page.click("form.registry-form button[type=submit]")
        page.wait_for_url(f"{url}/ho/{household.pk}/")
    household.refresh_from_db()
    assert household.members.count() == 2
    assert household.head is not None and household.head.full_name == "Lò Văn Pọm"

    # 2. The periodic round of the commune, and the household listed on its application (Mẫu số 01).
    page.goto(f"{url}/ra-soat/tao/")
    page.select_option("select[name=commune]", str(geo_map.c1.pk))
    page.select_option("select[name=kind]", "periodic")
    page.fill("input[name=year]", str(today.year))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(rf"{url}/ra-soat/\d+/$"))
    rnd = ReviewRound.objects.get(commune=geo_map.c1, year=today.year)
    page.goto(f"{url}/ra-soat/{rnd.pk}/de-nghi/")
    page.fill("input[name=household_code]", "HB001")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{url}/ra-soat/{rnd.pk}/ho/*/phieu-a/")
    for radio in page.locator("input[type=radio][value=false]").all():
        radio.check()
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{url}/ra-soat/{rnd.pk}/ho/*/phieu-b/")

    # 3. Phiếu B: a poor household (1,000,000 a month each, 3 deprivations: housing, water, latrine).
    page.fill("input[name=income_12m]", "24000000")
    page.fill("input[name=durable_main_parts]", "0")
    page.fill("input[name=floor_area_m2]", "40")
    _select_all(page, HOUSEHOLD_ANSWERS)
    _select_all(page, {f"m-0-{k}": v for k, v in ADULT_ANSWERS.items()})
    _select_all(page, {f"m-1-{k}": v for k, v in CHILD_ANSWERS.items()})
    page.click("form.survey-form button[type=submit]")
    page.wait_for_selector(".message-success")
    assert "Đã lưu Phiếu B của hộ HB001." in page.locator(".messages").inner_text()

    # 4. Classify, then the household's result and its explanation.
    page.goto(f"{url}/ra-soat/{rnd.pk}/")
    page.screenshot(path=SHOTS / "review2-round-workbooks.png", full_page=True)
    assert page.locator(".workbook-table th[scope=row]").all_inner_texts() == ["Thôn V1"]
    page.click("main form button:has-text('Phân loại các hộ')")
    page.wait_for_selector(".message-success")
    assert "Đã phân loại 1 hộ." in page.locator(".messages").inner_text()
    page.goto(f"{url}/ra-soat/{rnd.pk}/ho/")
    page.click("a.class-pill")
    page.wait_for_url(f"{url}/ra-soat/{rnd.pk}/ho/*/ket-qua/")
    explanation = page.locator(".explanation")
    assert explanation.locator(".class-pill").inner_text() == "Hộ nghèo"
    why = explanation.locator(".why-list").inner_text()
    assert "Thu nhập bình quân 1.000.000" in why and "không vượt chuẩn nghèo 1.500.000" in why
    assert "Thiếu hụt 3 trong 12 chỉ số" in why
    deprived = explanation.locator("tr.indicator-deprived th").all_inner_texts()
    assert deprived == ["Chất lượng nhà ở", "Nguồn nước sinh hoạt", "Nhà tiêu hợp vệ sinh"]
    result_url = page.url

    # 5. The village meeting passes (8 of 10), the posting started 30 days ago is over, approval.
    page.goto(f"{url}/ra-soat/{rnd.pk}/")
    page.fill("input[name=chair]", "Trưởng thôn V1")
    page.fill("input[name=attendees]", "10")
    page.fill("input[name=agreeing]", "8")
    page.click("main form button:has-text('Ghi biên bản họp thôn')")
    page.wait_for_selector(".message-success")
    assert "Cuộc họp đã thông qua kết quả." in page.locator(".messages").inner_text()
    page.fill("input[name=start_date]", (today - datetime.timedelta(days=30)).isoformat())
    page.click("main form button:has-text('Niêm yết')")
    page.wait_for_selector(".message-success")
    assert "Tải danh sách niêm yết (PDF)" in page.locator("main").inner_text()
    page.click("main form button:has-text('Phê duyệt kết quả')")
    page.wait_for_selector(".message-success")
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.APPROVED and rnd.approved_on == today
    page.screenshot(path=SHOTS / "review2-round-documents.png", full_page=True)
    links = page.locator(".document-links a").all_inner_texts()
    assert "Giấy chứng nhận của cả xã (PDF)" in links and "Xuất kết quả phân loại (Excel)" in links

    # 6. The household's certificate is a PDF.
    page.goto(result_url)
    with page.expect_download() as download_info:
        page.click("text=Tải giấy chứng nhận (PDF)")
    download = download_info.value
    assert download.suggested_filename == f"giay-chung-nhan-HB001-{today.year}.pdf"
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    (SHOTS / "review2-certificate.pdf").write_bytes(pdf)

    # 7. The public page showed the list during the posting only (tests/review/browser/test_public_flow.py);
    # once approved, nothing of the round is public any more.
    page.context.clear_cookies()
    response = page.goto(f"{url}/cong-khai/{rnd.pk}/")
    assert response is not None and response.status == 404
    content = page.content()
    for secret in ("HB001", "Lò Văn Pọm", CITIZEN_ID, "20/05/1980"):
        assert secret not in content, secret


def _fill(data: bytes, values: dict[tuple[str, int], dict[str, Any]]) -> bytes:
    book = load_workbook(BytesIO(data))
    for (sheet, row), cells in values.items():
        ws = book[sheet]
        columns = {cell.value: cell.column for cell in ws[3]}
        for name, value in cells.items():
            ws.cell(row=row, column=columns[name]).value = value
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_uploading_a_workbook_with_one_bad_row_lists_it_and_saves_nothing(
    page: Page, live_server: LiveServer, geo_map: Map, tmp_path: Path
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1, username="canboxa")
    first, _head = household_with_adult(commune=geo_map.c1, village=geo_map.v1, code="H0001")
    member_factory(
        household=first, full_name="Hồ Thị Lan", sex="female", date_of_birth=datetime.date(2017, 2, 3)
    )
    second, _other = household_with_adult(commune=geo_map.c1, village=geo_map.v1, code="H0002")
    rnd = open_round(commune=geo_map.c1, households=[first, second], actor=officer)
    log_in(page, live_server, "canboxa", PASSWORD)

    page.goto(f"{live_server.url}/ra-soat/{rnd.pk}/")
    with page.expect_download() as download_info:
        page.click(".workbook-table a:has-text('Tải mẫu Phiếu B (Excel)')")
    template = Path(download_info.value.path()).read_bytes()
    household = {"income_12m": 24_000_000, "has_dwelling": "Có", "water_source": "nước máy"}
    filled = _fill(
        template,
        {
            ("Hộ", 4): household,
            ("Hộ", 5): {**household, "floor_area_m2": "bốn mươi"},  # the one bad cell
            ("Nhân khẩu", 4): {"has_health_insurance": "Có"},
        },
    )
    workbook = tmp_path / "phieu-b-thon-v1.xlsx"
    workbook.write_bytes(filled)

    page.click(".workbook-table a:has-text('Tải lên Phiếu B đã điền')")
    page.set_input_files("input[name=workbook]", str(workbook))
    page.click("main form button:has-text('Tải lên và lưu')")
    page.wait_for_selector(".error-table")

    assert "Tệp có 1 lỗi; chưa lưu dữ liệu nào." in page.locator(".upload-errors .alert").inner_text()
    cells = page.locator(".error-table tbody tr td").all_inner_texts()
    assert cells[:4] == ["Hộ", "5", "Diện tích nhà ở (m²)", "bốn mươi"]
    assert len(page.locator(".error-table tbody tr").all()) == 1
    page.screenshot(path=SHOTS / "review2-upload-errors.png", full_page=True)
    assert Survey.objects.count() == 0
