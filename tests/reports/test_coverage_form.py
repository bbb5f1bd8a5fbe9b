"""Biểu 05 — bao phủ chính sách hỗ trợ: rows per commune (province) and village (commune), the
hand-worked totals, the three file formats, the forms page and its download, and districts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import Role
from giamngheo.documents.report_pdf import TableForm
from giamngheo.geo.models import UnitMapping
from giamngheo.reports.forms.data import form_context, scope_for
from giamngheo.reports.forms.registry import FORMS
from giamngheo.reports.forms.render import render
from tests.accounts.factories import PASSWORD, admin_factory, scoped_user_factory
from tests.geo.factories import old_unit_factory
from tests.support.test_coverage_world import EXPECTED, EXPECTED_COMMUNES, YEAR, CoverageWorld, coverage_world

pytestmark = pytest.mark.django_db
__all__ = ["coverage_world"]
DAY = dt.date(2026, 1, 15)


def _form(key: str, viewer: Any = None, year: int = YEAR) -> TableForm:
    viewer = viewer or admin_factory()
    scope = scope_for(viewer, key)
    assert scope is not None, key
    return FORMS["05"].build(form_context(viewer=viewer, scope=scope, year=year, day=DAY, transitions=False))


def _groups(form: TableForm) -> list[str]:
    return [c.group for c in form.columns[2::3]]


def _cells(values: tuple[Any, ...], index: int) -> tuple[Any, ...]:
    return tuple(values[2 + 3 * index : 5 + 3 * index])


def test_the_province_form(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    form = _form("tinh-98")
    assert (form.number, form.title) == ("Biểu số 05", "Bao phủ chính sách hỗ trợ hộ nghèo, hộ cận nghèo")
    assert [r[1] for r in form.rows] == ["Xã Một", "Xã Hai"]
    keys = {p.name: key for key, p in w.policies.items()}
    groups = _groups(form)
    assert sorted(groups) == sorted(p.name for k, p in w.policies.items() if k in EXPECTED)
    labels = {c.group: c.label for c in form.columns[2::3]}
    assert labels[w.policies["health"].name] == "Diện được hưởng (người)"
    assert labels[w.policies["credit"].name] == "Diện được hưởng (hộ có nhu cầu)"
    assert labels[w.policies["power"].name] == "Diện được hưởng (hộ)"
    assert [c.label for c in form.columns[3:5]] == ["Đã được hỗ trợ", "Tỷ lệ (%)"]
    assert form.total is not None and form.total[1] == "Toàn tỉnh"
    for index, group in enumerate(groups):
        eligible, covered, share, _records, _ineligible = EXPECTED[keys[group]]
        assert _cells(form.total, index) == (eligible, covered, share), group
        (c1, c2) = EXPECTED_COMMUNES[keys[group]]
        first = _cells(form.rows[0], index)
        second = _cells(form.rows[1], index)
        assert (first[:2], second[:2]) == (c1, c2), group
    assert any("Tỷ lệ (%) = đã được hỗ trợ" in note for note in form.notes)
    assert form.subject == "bieu-05-tinh-98-2025"


def test_the_commune_form_has_its_villages(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    form = _form("xa-98001")
    assert [r[1] for r in form.rows] == ["Thôn A", "Thôn B", "Hộ chưa gắn thôn"]
    groups = _groups(form)
    assert w.policies["local"].name not in groups  # Xã Hai's own policy
    health = groups.index(w.policies["health"].name)
    assert [_cells(r, health) for r in form.rows] == [(2, 2, 100.0), (0, 0, None), (1, 0, 0.0)]
    assert form.total is not None and _cells(form.total, health) == (3, 2, 66.67)


def test_a_village_surveyor_gets_their_village(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=w.vb)
    form = _form(f"thon-{w.vb.pk}", surveyor)
    school = _groups(form).index(w.policies["school"].name)
    assert [r[1] for r in form.rows] == ["Thôn B"]
    assert _cells(form.rows[0], school) == (1, 1, 100.0)


def test_the_three_formats(coverage_world: CoverageWorld) -> None:
    form = _form("tinh-98")
    book = openpyxl.load_workbook(io.BytesIO(render(form, "xlsx")))
    sheet = book.worksheets[0]
    values = [row for row in sheet.iter_rows(values_only=True)]
    total_row = next(row for row in values if row[1] == "Toàn tỉnh")
    assert form.total is not None
    assert list(total_row[2 : len(form.columns)]) == list(form.total[2:])
    lines = list(csv.reader(io.StringIO(render(form, "csv").decode("utf-8-sig"))))
    first = form.columns[2]
    assert lines[0][2] == f"{first.group} - {first.label}"
    assert lines[-1][1] == "Toàn tỉnh"
    assert lines[-1][2:5] == [str(form.total[2]), str(form.total[3]), f"{form.total[4]:.2f}"]
    assert render(form, "pdf").startswith(b"%PDF")


def test_the_forms_page_offers_and_downloads_it(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=w.province)
    client = Client()
    assert client.login(username=officer.username, password=PASSWORD)
    index = client.get("/bao-cao/")
    assert "Biểu 05 — Bao phủ chính sách hỗ trợ" in index.content.decode()
    page = client.get(reverse("reports:form", kwargs={"code": "05", "unit": "tinh-98", "year": YEAR}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Xã Một" in html and w.policies["health"].name in html
    download = client.get(
        reverse(
            "reports:form_download", kwargs={"code": "05", "unit": "xa-98002", "year": YEAR, "fmt": "xlsx"}
        )
    )
    assert download.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert any(row[1] == "Thôn C" for row in rows)


def test_a_district_has_no_coverage(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    old = old_unit_factory(code="98", level="province", name="Tỉnh Cũ")
    district = old_unit_factory(code="980", level="district", parent=old, name="Huyện Cũ")
    old_commune = old_unit_factory(code="98101", level="commune", parent=district, name="Xã Cũ")
    UnitMapping.objects.create(old_unit=old_commune, new_unit=w.c1, province_code="98", source="thử")
    form = _form("huyen-980", year=2024)
    assert form.total is None
    assert all(len(row) == 2 for row in form.rows)
    assert any("không tính theo đơn vị hành chính cấp huyện" in note for note in form.notes)
