"""The forms pages: choose, preview, download; login required; territory-scoped (outside → 404)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import Role, User
from tests.accounts.factories import admin_factory, scoped_user_factory, village_factory
from tests.geo.factories import commune_factory, province_factory
from tests.review.factories import (
    POOR_INCOME,
    adult_facts,
    approve,
    household_facts,
    household_with_adult,
    open_round,
    survey,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def province() -> dict[str, object]:
    province = province_factory(code="98", name="Tỉnh Thử")
    c1 = commune_factory(province=province, code="98001", name="Xã Một")
    c2 = commune_factory(province=province, code="98002", name="Xã Hai")
    village = village_factory(commune=c1, name="Thôn A")
    poor = household_with_adult(commune=c1, village=village)
    rich = household_with_adult(commune=c1, village=village)
    rnd = open_round(commune=c1, households=[poor[0], rich[0]], year=2025)
    survey(rnd, poor[0], household_facts(income=POOR_INCOME, deprived=3), [adult_facts(poor[1])])
    survey(rnd, rich[0], household_facts(), [adult_facts(rich[1])])
    approve(rnd, posting_day=dt.date(2025, 11, 1))
    return {"p": province, "c1": c1, "c2": c2, "village": village}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(code: str, unit: str, year: int = 2025, fmt: str = "") -> str:
    kwargs: dict[str, object] = {"code": code, "unit": unit, "year": year}
    if fmt:
        return reverse("reports:form_download", kwargs={**kwargs, "fmt": fmt})
    return reverse("reports:form", kwargs=kwargs)


def test_login_is_required() -> None:
    response = Client().get(reverse("reports:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_index_lists_forms_units_and_years_and_opens_the_choice(province: dict[str, object]) -> None:
    client = _client(admin_factory())
    page = client.get(reverse("reports:index"))
    assert page.status_code == 200
    text = page.content.decode()
    for words in ("Biểu 01", "Biểu 04", "Tỉnh Thử", "Xã Một", "2025", "bao phủ"):
        assert words in text
    chosen = client.get(reverse("reports:index"), {"bieu": "01", "don_vi": "tinh-98", "nam": "2025"})
    assert chosen.status_code == 302 and chosen["Location"] == _url("01", "tinh-98")
    wrong = client.get(reverse("reports:index"), {"bieu": "01", "don_vi": "tinh-11", "nam": "2025"})
    assert wrong.status_code == 200
    assert "Đơn vị này không thuộc địa bàn của bạn." in wrong.content.decode()


def test_preview_shows_the_table_with_links_to_sub_units(province: dict[str, object]) -> None:
    client = _client(admin_factory())
    page = client.get(_url("01", "tinh-98"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tổng hợp hộ nghèo, hộ cận nghèo" in text
    assert f'href="{_url("01", "xa-98001")}"' in text
    assert "50,00" in text  # 1 poor of 2 households, Vietnamese decimals
    assert _url("01", "tinh-98", fmt="xlsx") in text
    commune = client.get(_url("01", "xa-98001")).content.decode()
    village = province["village"]
    assert f'href="{_url("01", f"thon-{village.pk}")}"' in commune  # type: ignore[attr-defined]
    assert client.get(_url("04", "xa-98001")).status_code == 200


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
        ("csv", "text/csv; charset=utf-8", b"\xef\xbb\xbf"),
    ],
)
def test_downloads(province: dict[str, object], fmt: str, content_type: str, magic: bytes) -> None:
    response = _client(admin_factory()).get(_url("02", "xa-98001", fmt=fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert 'filename="bieu-02-xa-98001-2025.' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(magic)  # type: ignore[attr-defined]


def test_leader_downloads_aggregates_of_the_province(province: dict[str, object]) -> None:
    leader = scoped_user_factory(role=Role.LEADER, unit=province["p"])  # type: ignore[arg-type]
    response = _client(leader).get(_url("01", "tinh-98", fmt="xlsx"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    assert sheet is not None and sheet["B10"].value == "Xã Một"


def test_outside_the_territory_or_without_data_is_404(province: dict[str, object]) -> None:
    officer = _client(scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=province["c1"]))  # type: ignore[arg-type]
    assert officer.get(_url("01", "xa-98001")).status_code == 200
    assert officer.get(_url("01", "tinh-98")).status_code == 404
    assert officer.get(_url("01", "xa-98002", fmt="pdf")).status_code == 404
    assert officer.get(_url("01", "xa-98001", year=2019)).status_code == 404
    assert officer.get(_url("09", "xa-98001")).status_code == 404
    assert officer.get(_url("01", "xa-98001", fmt="docx")).status_code == 404
    other = province_factory(code="96", name="Tỉnh Khác")
    outsider = _client(scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=other))
    assert outsider.get(_url("01", "tinh-98")).status_code == 404
    assert (
        "Chưa có đợt rà soát định kỳ nào được phê duyệt"
        in outsider.get(reverse("reports:index")).content.decode()
    )
