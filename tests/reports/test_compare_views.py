"""The compare page (/bao-cao/so-sanh-chuan/): defaults, territory (404 outside), leaders see aggregates
only, nobody sees a citizen ID, bad input gets a Vietnamese message on the field."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import polars as pl
import pytest
from django.test import Client
from django.urls import reverse
from polars.testing import assert_frame_equal

from giamngheo.accounts.models import Role, User
from giamngheo.reports import compare_views
from giamngheo.reports.compare_views import round_facts
from giamngheo.review.models import ReviewRound, RoundStatus
from giamngheo.standards import validate_facts
from tests.accounts.conftest import Map, geo_map
from tests.accounts.factories import PASSWORD, scoped_user_factory
from tests.review.factories import (
    POOR_INCOME,
    adult_facts,
    approve,
    entry_of,
    household_facts,
    household_with_adult,
    open_round,
    survey,
)

__all__ = ["geo_map"]  # the small map of the accounts tests, as a fixture here

pytestmark = pytest.mark.django_db

URL = reverse("reports:compare")
CITIZEN_ID = "097080000123"
MIDDLE_INCOME = 1_800_000 * 12  # one member, 1.8 M a month: middle-living in 2022-2025, near-poor in 2027


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _query(review_round: ReviewRound, a: str, b: str) -> dict[str, str]:
    return {"dot": str(review_round.pk), "a": a, "b": b}


def _approved_round(geo_map: Map) -> tuple[ReviewRound, dict[str, Any]]:
    """An approved 2025 round of c1: a middle-living household in v1 (near-poor under 2027-2030), a poor
    one in v1b (poor under both) and a rich one in v1."""
    middle, middle_member = household_with_adult(commune=geo_map.c1, village=geo_map.v1, code="H-MID")
    poor, poor_member = household_with_adult(commune=geo_map.c1, village=geo_map.v1b, code="H-POOR")
    rich, rich_member = household_with_adult(commune=geo_map.c1, village=geo_map.v1, code="H-RICH")
    middle_member.citizen_id = CITIZEN_ID
    middle_member.save(update_fields=["citizen_id"])
    review_round = open_round(commune=geo_map.c1, households=[middle, poor, rich], year=2025)
    survey(review_round, middle, household_facts(income=MIDDLE_INCOME), [adult_facts(middle_member)])
    survey(review_round, poor, household_facts(income=POOR_INCOME, deprived=3), [adult_facts(poor_member)])
    survey(review_round, rich, household_facts(), [adult_facts(rich_member)])
    approved = approve(review_round, posting_day=datetime.date(2025, 10, 25))
    assert approved.status == RoundStatus.APPROVED
    return approved, {"middle": entry_of(approved, middle), "poor": entry_of(approved, poor)}


def test_the_page_needs_a_login() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_defaults_the_latest_approved_round_and_the_next_national_standard(geo_map: Map) -> None:
    review_round, entries = _approved_round(geo_map)
    open_round(commune=geo_map.c1, households=[], year=2026)  # newer, but not approved
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)

    response = _client(officer).get(URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.cleaned_data == {"dot": review_round.pk, "a": "vn-2022-2025", "b": "vn-2027-2030"}
    result = response.context["result"]
    assert result["households"] == 3
    assert result["summary"]["changed"] == 1
    assert (result["summary"]["near_poor_a"], result["summary"]["near_poor_b"]) == (0, 1)
    html = response.content.decode()
    assert "nâng mức thu nhập nông thôn từ 1.500.000 lên 2.200.000 đồng/người/tháng: 1 hộ" in html
    assert "không quy định hộ có mức sống trung bình" in html
    assert "thành thị từ 2.000.000" not in html  # no urban household in this commune
    # The changing household, linked to its result page; never a citizen ID.
    assert "H-MID" in html and "H-POOR" not in html
    assert reverse("review:result", args=[review_round.pk, entries["middle"].pk]) in html
    assert "Hồ Văn Minh" in html
    assert CITIZEN_ID not in html


def test_per_village_rows_sum_to_the_round(geo_map: Map) -> None:
    review_round, _ = _approved_round(geo_map)
    admin = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p)
    response = _client(admin).get(URL, _query(review_round, "vn-2022-2025", "vn-2027-2030"))
    result = response.context["result"]
    rows = {row.name: row for row in result["unit_rows"]}
    assert set(rows) == {geo_map.v1.name, geo_map.v1b.name}
    assert (rows[geo_map.v1.name].households, rows[geo_map.v1b.name].households) == (2, 1)
    assert sum(row.households for row in rows.values()) == result["unit_totals"].households == 3
    assert rows[geo_map.v1.name].changes[0] == 1  # "changed" comes first
    assert rows[geo_map.v1b.name].changes[0] == 0


def test_a_round_outside_the_territory_is_a_404(geo_map: Map) -> None:
    review_round, _ = _approved_round(geo_map)
    outsider = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1)
    client = _client(outsider)
    assert client.get(URL, {"dot": review_round.pk}).status_code == 404
    assert client.get(URL, {"dot": 999_999}).status_code == 404
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["has_rounds"] is False
    assert "H-MID" not in response.content.decode()


def test_a_leader_sees_aggregates_and_no_household(geo_map: Map) -> None:
    review_round, _ = _approved_round(geo_map)
    leader = scoped_user_factory(role=Role.LEADER, unit=geo_map.p)

    response = _client(leader).get(URL, {"dot": review_round.pk})

    assert response.status_code == 200
    assert response.context["result"]["summary"]["changed"] == 1
    assert response.context["show_households"] is False
    html = response.content.decode()
    assert "Ma trận chuyển loại" in html
    for private in ("H-MID", "H-RICH", "Hồ Văn Minh", CITIZEN_ID, "Các hộ đổi loại"):
        assert private not in html, private


def test_a_village_surveyor_compares_their_village_only(geo_map: Map) -> None:
    review_round, _ = _approved_round(geo_map)
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1b)
    response = _client(surveyor).get(URL, {"dot": review_round.pk})
    assert response.status_code == 200
    result = response.context["result"]
    assert result["households"] == 1
    assert result["summary"]["changed"] == 0
    assert "H-MID" not in response.content.decode()


def test_bad_input_gets_a_vietnamese_message_on_the_field(geo_map: Map) -> None:
    review_round, _ = _approved_round(geo_map)
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    client = _client(officer)

    response = client.get(URL, {"dot": "abc", "a": "vn-2022-2025", "b": "khong-co"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["dot"] == ["Hãy chọn một đợt rà soát trong danh sách."]
    assert errors["b"] == ["Chuẩn nghèo này không có trong hệ thống, hãy chọn trong danh sách."]
    assert response.context["result"] is None

    unknown_a = client.get(URL, {"dot": str(review_round.pk), "a": "khong-co"})
    assert unknown_a.status_code == 200
    assert unknown_a.context["form"].errors == {
        "a": ["Chuẩn nghèo này không có trong hệ thống, hãy chọn trong danh sách."],
        "b": ["Hãy chọn một chuẩn nghèo."],
    }

    same = client.get(URL, _query(review_round, "vn-2022-2025", "vn-2022-2025"))
    assert same.context["form"].errors["b"] == ["Hãy chọn một chuẩn khác chuẩn A để so sánh."]
    assert "Hãy chọn một chuẩn khác chuẩn A để so sánh." in same.content.decode()


def test_an_htmx_request_gets_the_form_and_result_only(geo_map: Map) -> None:
    review_round, _ = _approved_round(geo_map)
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    response = _client(officer).get(
        URL,
        _query(review_round, "vn-2027-2030", "vn-2022-2025"),
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'name="dot"' in html
    assert "hạ mức thu nhập nông thôn từ 2.200.000 xuống 1.500.000 đồng/người/tháng: 1 hộ" in html


def test_a_round_without_surveys_says_so(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    empty = open_round(commune=geo_map.c1, households=[], year=2026)
    response = _client(officer).get(URL, {"dot": empty.pk})
    assert response.status_code == 200
    assert response.context["result"] is None
    assert "chưa có hộ nào" in response.context["error"]


def test_the_fast_and_the_canonical_reading_of_the_facts_agree(geo_map: Map) -> None:
    review_round, _ = _approved_round(geo_map)
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    fast = validate_facts(*round_facts(viewer=officer, review_round=review_round))
    with mock.patch.object(compare_views, "_decoded", side_effect=pl.exceptions.ComputeError("nested")):
        slow = validate_facts(*round_facts(viewer=officer, review_round=review_round))
    assert fast.ok and slow.ok
    assert fast.households.height == 3 and fast.members.height == 3
    for fast_frame, slow_frame in ((fast.households, slow.households), (fast.members, slow.members)):
        columns = sorted(fast_frame.columns)
        assert columns == sorted(slow_frame.columns)
        assert_frame_equal(fast_frame.select(columns), slow_frame.select(columns))
    # Age comes from the registry's date of birth (20/05/1980) at the round's reference date.
    assert fast.members["age"].to_list() == [45, 45, 45]
