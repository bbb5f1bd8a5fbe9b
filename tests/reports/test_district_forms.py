"""District forms of historical rounds: a pre-2025 district's communes as rows, added up from the villages
of the 2025 communes that took them, by each village's pre-2025 commune; none after the two-tier map."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import Role, User
from giamngheo.geo.models import Level, UnitMapping
from giamngheo.reports.forms.data import form_context, form_scopes, scope_for
from giamngheo.reports.forms.summary import build as summary_form
from tests.accounts.factories import admin_factory, scoped_user_factory, village_factory
from tests.geo.factories import commune_factory, old_unit_factory, province_factory
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


def _round(commune: Any, year: int, households: list[tuple[Any, Any, bool]]) -> None:
    review_round = open_round(commune=commune, households=[h for h, _, _ in households], year=year)
    for household, member, poor in households:
        facts = household_facts(income=POOR_INCOME, deprived=3) if poor else household_facts()
        survey(review_round, household, facts, [adult_facts(member)])
    approve(review_round, posting_day=dt.date(year, 10, 25))


@pytest.fixture
def history() -> dict[str, Any]:
    """Old district D (communes A, B) and district E (commune C); new commune N took A, B and C, new
    commune M took part of B. Villages: N/a (from A: 2 households, 1 poor), N/b (from B: 1 poor), N/c
    (from C: 1 poor), N/x (unknown: 1); M/m (from B: 1 poor)."""
    province = province_factory(code="97", name="Tỉnh Mới")
    new_n = commune_factory(province=province, code="97001", name="Xã Mới N")
    new_m = commune_factory(province=province, code="97002", name="Xã Mới M")
    old_province = old_unit_factory(code="97", level=Level.PROVINCE, name="Tỉnh Cũ")
    district = old_unit_factory(code="970", level=Level.DISTRICT, parent=old_province, name="Huyện Đ")
    other = old_unit_factory(code="971", level=Level.DISTRICT, parent=old_province, name="Huyện E")
    old_a = old_unit_factory(code="97101", level=Level.COMMUNE, parent=district, name="Xã A")
    old_b = old_unit_factory(code="97102", level=Level.COMMUNE, parent=district, name="Xã B")
    old_c = old_unit_factory(code="97103", level=Level.COMMUNE, parent=other, name="Xã C")
    for old, new in ((old_a, new_n), (old_b, new_n), (old_c, new_n), (old_b, new_m)):
        UnitMapping.objects.create(old_unit=old, new_unit=new, province_code="97", source="thử")
    villages = {
        "a": village_factory(commune=new_n, name="Thôn a", former_commune=old_a),
        "b": village_factory(commune=new_n, name="Thôn b", former_commune=old_b),
        "c": village_factory(commune=new_n, name="Thôn c", former_commune=old_c),
        "x": village_factory(commune=new_n, name="Thôn x"),
        "m": village_factory(commune=new_m, name="Thôn m", former_commune=old_b),
    }
    people = {
        key: [household_with_adult(commune=v.commune, village=v) for _ in range(2 if key == "a" else 1)]
        for key, v in villages.items()
    }
    for year in (2024, 2025):
        _round(
            new_n,
            year,
            [
                (*people["a"][0], True),
                (*people["a"][1], False),
                (*people["b"][0], True),
                (*people["c"][0], True),
                (*people["x"][0], False),
            ],
        )
        _round(new_m, year, [(*people["m"][0], True)])
    return {"province": province, "district": district, "old": (old_a, old_b, old_c)}


def _officer(history: dict[str, Any]) -> User:
    return scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=history["province"])


def test_a_province_officer_chooses_the_old_districts(history: dict[str, Any]) -> None:
    keys = [s.key for s in form_scopes(_officer(history))]
    assert "huyen-970" in keys and "huyen-971" in keys
    commune_officer = scoped_user_factory(
        role=Role.COMMUNE_OFFICER, unit=history["province"].children.first()
    )
    assert not [s for s in form_scopes(commune_officer) if s.level == "district"]
    assert scope_for(commune_officer, "huyen-970") is None


def test_the_district_form_adds_up_villages_by_their_old_commune(history: dict[str, Any]) -> None:
    scope = scope_for(_officer(history), "huyen-970")
    assert scope is not None
    context = form_context(viewer=_officer(history), scope=scope, year=2024, day=dt.date(2024, 12, 20))
    assert [u.name for u in context.units] == ["Xã A", "Xã B"]
    assert context.unattributed == 1  # Thôn x of Xã Mới N has no old commune
    form = summary_form(context)
    rows = {row[1]: row for row in form.rows}
    assert rows["Xã A"][2:4] == (2, 1)  # households, poor
    assert rows["Xã B"][2:4] == (2, 2)  # Thôn b of N and Thôn m of M
    assert form.total is not None and form.total[1] == "Toàn huyện" and form.total[2:4] == (4, 3)
    assert any("1 hộ" in note and "xã cũ" in note for note in form.notes)


def test_district_pages_and_downloads(history: dict[str, Any]) -> None:
    client = Client()
    client.force_login(_officer(history))
    url = reverse("reports:form", kwargs={"code": "01", "unit": "huyen-970", "year": 2024})
    page = client.get(url)
    assert page.status_code == 200
    assert "Toàn huyện" in page.content.decode()
    download = client.get(
        reverse(
            "reports:form_download", kwargs={"code": "04", "unit": "huyen-970", "year": 2024, "fmt": "xlsx"}
        )
    )
    assert download.status_code == 200
    content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Xã A" in texts and "Toàn huyện" in texts
    after = client.get(reverse("reports:form", kwargs={"code": "01", "unit": "huyen-970", "year": 2025}))
    assert after.status_code == 404
    chooser = client.get(reverse("reports:index"), {"bieu": "01", "don_vi": "huyen-970", "nam": "2025"})
    assert chooser.status_code == 200 and "không còn cấp huyện" in chooser.content.decode()


def test_the_admin_sees_every_district(history: dict[str, Any]) -> None:
    assert scope_for(admin_factory(), "huyen-971") is not None
