"""The round page, the Phiếu B form and the explanation in a real browser (screenshots in /tmp/shots)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page

from giamngheo.accounts.models import Role
from giamngheo.review.services import round_classify
from tests.accounts.factories import PASSWORD, scoped_user_factory
from tests.registry.conftest import Map
from tests.registry.factories import member_factory
from tests.review.factories import (
    POOR_INCOME,
    adult_facts,
    entry_of,
    household_facts,
    household_with_adult,
    open_round,
    survey,
)
from tests.site.browser.common import log_in

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")


def test_round_survey_and_explanation_pages(page: Page, live_server: LiveServer, geo_map: Map) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1, username="canboxa")
    poor, head = household_with_adult(commune=geo_map.c1, village=geo_map.v1, code="H0001")
    child = member_factory(household=poor, full_name="Hồ Thị Lan", sex="female", citizen_id=None)
    other, other_head = household_with_adult(commune=geo_map.c1, village=geo_map.v1b, code="H0002")
    rnd = open_round(commune=geo_map.c1, households=[poor, other], actor=officer)
    survey(
        rnd,
        poor,
        household_facts(income=POOR_INCOME * 2, deprived=3),
        [
            adult_facts(head),
            adult_facts(child, age=9, school_attendance="attending", has_health_insurance=False),
        ],
        officer,
    )
    survey(rnd, other, household_facts(income=30_000_000, deprived=1), [adult_facts(other_head)], officer)
    round_classify(review_round=rnd, actor=officer)

    log_in(page, live_server, "canboxa", PASSWORD)
    page.goto(f"{live_server.url}/ra-soat/{rnd.pk}/")
    assert (
        page.locator(".review-step.is-current .review-step-label").inner_text()
        == "Họp thôn thống nhất kết quả"
    )
    page.screenshot(path=SHOTS / "review-round.png", full_page=True)

    entry = entry_of(rnd, poor)
    page.goto(f"{live_server.url}/ra-soat/{rnd.pk}/ho/{entry.pk}/phieu-b/")
    page.fill("input[name=durable_main_parts]", "5")
    page.click("form.survey-form button[type=submit]")
    page.wait_for_selector(".field-error")
    assert "phải trong khoảng 0–3" in page.locator(".has-error .field-error").first.inner_text()
    page.screenshot(path=SHOTS / "review-phieu-b.png", full_page=True)

    page.goto(f"{live_server.url}/ra-soat/{rnd.pk}/ho/{entry.pk}/ket-qua/")
    assert page.locator(".explanation .class-pill").inner_text() == "Hộ nghèo"
    page.screenshot(path=SHOTS / "review-explanation.png", full_page=True)
