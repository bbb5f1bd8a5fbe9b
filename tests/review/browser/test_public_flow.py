"""A citizen in a real browser, without signing in: finds the posting of a village, sends a complaint
about a household, gets a tracking code; the commune answers; the citizen reads the answer
(screenshots in /tmp/shots/public-*.png)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.cache import cache
from playwright.sync_api import Page

from giamngheo.review.models import Complaint, ComplaintChannel, ComplaintStatus
from giamngheo.review.services import complaint_resolve
from tests.registry.conftest import Map
from tests.review.test_public_common import SECRETS, TRACKING_RE, posted_round, solve

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")
ANSWER = "Xã đã phúc tra hộ H0001 ngày hôm nay: giữ nguyên kết quả hộ nghèo."


def _solve_captcha(page: Page) -> None:
    """Answer the form's captcha the way only the server could (the token's keyed digest)."""
    token = page.input_value("input[name=captcha_token]")
    page.fill("input[name=captcha_answer]", str(solve(token)))


def _no_personal_data(page: Page) -> None:
    html = page.content()
    for secret in SECRETS:
        assert secret not in html, secret


def test_a_citizen_complains_about_a_posted_household_and_reads_the_answer(
    page: Page, live_server: LiveServer, geo_map: Map
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    cache.clear()
    posted = posted_round(geo_map)
    url = live_server.url

    # 1. The public index: province → commune → the round being posted.
    page.goto(f"{url}/cong-khai/")
    page.click(f"a:has-text('{geo_map.p.name}')")
    page.click(f"a:has-text('{geo_map.c1.name}')")
    page.screenshot(path=SHOTS / "public-index.png", full_page=True)
    page.click("a:has-text('Rà soát định kỳ năm 2026')")
    page.wait_for_url(f"{url}/cong-khai/{posted.round.pk}/")
    main = page.locator("main").inner_text()
    assert "H0001" in main and "H0003" in main and "H0002" not in main
    _no_personal_data(page)

    # 2. One village: V1 only.
    page.click("nav.filter-bar a:has-text('Thôn V1')")
    page.wait_for_url(f"{url}/cong-khai/{posted.round.pk}/?thon={geo_map.v1.pk}")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    assert "Hồ Văn Minh" in rows.first.inner_text() and "Hộ nghèo" in rows.first.inner_text()
    _no_personal_data(page)
    page.screenshot(path=SHOTS / "public-posting.png", full_page=True)

    # 3. The complaint about H0001, from the link on its row: the household is already chosen.
    rows.first.locator("a:has-text('Gửi phản ánh, khiếu nại')").click()
    page.wait_for_url(f"{url}/cong-khai/{posted.round.pk}/gui-phan-anh/?ho=H0001")
    assert page.input_value("select[name=household]") == "H0001"
    assert page.input_value("select[name=village]") == str(geo_map.v1.pk)
    question = page.locator("label[for=id_captcha_answer] .visually-hidden").inner_text()
    assert re.search(r"(cộng|trừ) .+ bằng mấy\?", question)
    page.fill("input[name=complainant]", "Nguyễn Thị Hoa")
    page.fill("input[name=contact]", "0987654321")
    page.fill("textarea[name=content]", "Hộ H0001 đã có thu nhập ổn định, đề nghị xem lại.")
    page.fill("input[name=captcha_answer]", "99")  # a wrong answer first
    page.click("main form button[type=submit]")
    page.wait_for_selector("#id_captcha_answer-error")
    assert Complaint.objects.count() == 0
    assert page.input_value("input[name=complainant]") == "Nguyễn Thị Hoa"  # what was typed is kept
    page.screenshot(path=SHOTS / "public-complaint-form.png", full_page=True)
    _solve_captcha(page)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".tracking-code")

    # 4. The tracking code, the date and when to expect the answer.
    code = page.locator(".tracking-code").inner_text().strip()
    assert TRACKING_RE.fullmatch(code), code
    end = posted.round.posting.end_date.strftime("%d/%m/%Y")
    assert f"trong thời gian niêm yết, chậm nhất ngày {end}" in page.locator("main").inner_text()
    page.screenshot(path=SHOTS / "public-complaint-sent.png", full_page=True)
    complaint = Complaint.objects.get()
    assert (complaint.tracking_code, complaint.channel) == (code, ComplaintChannel.ONLINE)

    # 5. Tracking before the answer: received.
    page.goto(f"{url}/cong-khai/tra-cuu/")
    page.fill("input[name=code]", code.lower())
    _solve_captcha(page)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".complaint-status")
    assert page.locator(".complaint-status").inner_text() == "Đã tiếp nhận"
    _no_personal_data(page)

    # 6. The commune answers (the officers' resolve flow), the citizen reads it.
    complaint_resolve(complaint=complaint, decision="resolved", resolution=ANSWER, actor=posted.officer)
    page.goto(f"{url}/cong-khai/tra-cuu/")
    page.fill("input[name=code]", code)
    _solve_captcha(page)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".complaint-resolution")
    assert page.locator(".complaint-status").inner_text() == "Đã giải quyết"
    assert page.locator(".complaint-resolution").inner_text() == ANSWER
    assert "Nguyễn Thị Hoa" not in page.content()
    _no_personal_data(page)
    page.screenshot(path=SHOTS / "public-tracking-answer.png", full_page=True)
    assert Complaint.objects.get().status == ComplaintStatus.RESOLVED

    # 7. A made-up code: the generic "not found".
    page.goto(f"{url}/cong-khai/tra-cuu/")
    page.fill("input[name=code]", "KN-2026-2222-2222")
    _solve_captcha(page)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-error")
    assert "Không tìm thấy phản ánh, khiếu nại nào với mã này." in page.locator(".alert-error").inner_text()
