"""The standard report forms on hand-built approved rounds: figures, units adding up (province = its
communes, commune = its villages), Biểu 04 = the review's transitions, and the three file formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest

from giamngheo.accounts.models import Role
from giamngheo.documents.report_pdf import TableForm, table_form_pdf
from giamngheo.geo.models import AdminUnit, Village
from giamngheo.reports.forms.data import Scope, form_context, form_scopes, scope_for
from giamngheo.reports.forms.registry import FORMS, build_all
from giamngheo.reports.forms.render import form_csv, form_xlsx
from giamngheo.review.models import ReviewRound
from giamngheo.review.selectors import round_transitions
from giamngheo.review.services import causes_record
from tests.accounts.factories import admin_factory, scoped_user_factory, village_factory
from tests.geo.factories import commune_factory, province_factory
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

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 1, 15)
POOR = household_facts(income=POOR_INCOME, deprived=3)
POOR4 = household_facts(income=POOR_INCOME, deprived=4)
NEAR = household_facts(income=POOR_INCOME, deprived=1)
RICH = household_facts()


@dataclass
class World:
    province: AdminUnit
    c1: AdminUnit
    c2: AdminUnit
    va: Village
    vb: Village
    vc: Village
    rounds: dict[tuple[str, int], ReviewRound]


def _round(commune: AdminUnit, year: int, plan: list[tuple[Any, dict[str, Any], list[str]]]) -> ReviewRound:
    rnd = open_round(commune=commune, households=[h for (h, _m), _f, _c in plan], year=year)
    for (household, member), facts, causes in plan:
        survey(rnd, household, facts, [adult_facts(member)])
        if causes:
            causes_record(
                round_household=entry_of(rnd, household), causes=causes, support_needs=[], actor=None
            )
    return approve(rnd, posting_day=dt.date(year, 11, 1))


@pytest.fixture
def world() -> World:
    """Province 98: commune c1 (villages A, B and a household without village) with rounds 2024 and
    2025; commune c2 (village C) with a 2025 round only."""
    province = province_factory(code="98", name="Tỉnh Thử")
    c1 = commune_factory(province=province, code="98001", name="Xã Một")
    c2 = commune_factory(province=province, code="98002", name="Xã Hai")
    va = village_factory(commune=c1, name="Thôn A")
    vb = village_factory(commune=c1, name="Thôn B")
    vc = village_factory(commune=c2, name="Thôn C")
    h1 = household_with_adult(commune=c1, village=va, ethnic_minority=True)
    h2 = household_with_adult(commune=c1, village=va)
    h3 = household_with_adult(commune=c1, village=vb)
    household_with_adult(commune=c1, village=vb)  # h4: not reviewed, counts in the denominator
    h5 = household_with_adult(commune=c1, village=None, area="urban")
    h6 = household_with_adult(commune=c2, village=vc, meritorious_family=True)
    h7 = household_with_adult(commune=c2, village=vc)
    rounds = {
        ("c1", 2024): _round(c1, 2024, [(h1, POOR, []), (h3, POOR, []), (h2, RICH, [])]),
    }
    rounds[("c1", 2025)] = _round(
        c1,
        2025,
        [
            (h1, POOR, ["capital", "land"]),
            (h2, NEAR, ["capital"]),
            (h3, RICH, []),
            (h5, POOR4, []),
        ],
    )
    rounds[("c2", 2025)] = _round(c2, 2025, [(h6, POOR, ["illness"]), (h7, RICH, [])])
    return World(province, c1, c2, va, vb, vc, rounds)


def _forms(viewer: Any, key: str, year: int = 2025) -> dict[str, TableForm]:
    scope = scope_for(viewer, key)
    assert scope is not None, key
    return build_all(form_context(viewer=viewer, scope=scope, year=year, day=DAY))


def _numbers(values: tuple[Any, ...]) -> list[Any]:
    """The figures of a row (its counts; rates are not additive)."""
    return [v for v in values if isinstance(v, int)]


def _column(form: TableForm, group: str, label: str) -> int:
    return next(i for i, c in enumerate(form.columns) if c.group == group and c.label == label)


def test_summary_form_counts_and_rates(world: World) -> None:
    form = _forms(admin_factory(), "tinh-98")["01"]
    assert [r[1] for r in form.rows] == ["Xã Một", "Xã Hai"]
    households = 2
    poor, poor_rate = _column(form, "Hộ nghèo", "Số hộ"), _column(form, "Hộ nghèo", "Tỷ lệ (%)")
    near = _column(form, "Hộ cận nghèo", "Số hộ")
    assert (form.rows[0][households], form.rows[0][poor], form.rows[0][near]) == (5, 2, 1)
    assert (form.rows[1][households], form.rows[1][poor], form.rows[1][near]) == (2, 1, 0)
    assert form.total is not None
    assert (form.total[households], form.total[poor], form.total[near]) == (7, 3, 1)
    assert form.total[poor_rate] == 42.86  # 3 / 7, two decimals
    assert form.rows[0][poor_rate] == 40.0
    ethnic = _column(form, "Hộ dân tộc thiểu số", "Hộ nghèo")
    merit = _column(form, "Hộ có người có công", "Hộ nghèo")
    urban = _column(form, "Khu vực thành thị", "Hộ nghèo")
    assert (form.total[ethnic], form.total[merit], form.total[urban]) == (1, 1, 1)
    assert any(
        c.group == "Hộ có mức sống trung bình" for c in form.columns
    )  # the 2022-2025 standard has them
    assert form.issuer == ("ỦY BAN NHÂN DÂN", "TỈNH THỬ")
    assert any("Quyết định 24/2021/QĐ-TTg" in note for note in form.notes)


def test_province_forms_add_up_to_their_communes_and_communes_to_their_villages(world: World) -> None:
    admin = admin_factory()
    province = _forms(admin, "tinh-98")
    communes = {key: _forms(admin, key) for key in ("xa-98001", "xa-98002")}
    # per-unit forms: the province's row of a commune is that commune's total row
    for code in ("01", "04"):
        assert province[code].total is not None
        for row, key in zip(province[code].rows, ("xa-98001", "xa-98002"), strict=True):
            total = communes[key][code].total
            assert total is not None
            assert _numbers(row) == _numbers(total), (code, key)
    # and a commune's total is the sum of its villages' rows
    one = communes["xa-98001"]["01"]
    assert [r[1] for r in one.rows] == ["Thôn A", "Thôn B", "Hộ chưa gắn thôn"]
    assert one.total is not None
    sums = [sum(col) for col in zip(*(_numbers(r) for r in one.rows), strict=True)]
    assert sums == _numbers(one.total)
    # per-indicator and per-cause forms: each row of the province = the sum of the communes' rows
    for code in ("02", "03"):
        for index, row in enumerate(province[code].rows):
            parts = [_numbers(communes[key][code].rows[index]) for key in communes]
            assert _numbers(row) == [sum(col) for col in zip(*parts, strict=True)], (code, row[2:])


def test_village_form_is_one_row_equal_to_its_row_in_the_commune_form(world: World) -> None:
    admin = admin_factory()
    village = _forms(admin, f"thon-{world.va.pk}")["01"]
    commune = _forms(admin, "xa-98001")["01"]
    assert [r[1] for r in village.rows] == ["Thôn A"]
    assert _numbers(village.rows[0])[1:] == _numbers(commune.rows[0])[1:]
    assert village.area == "Thôn A, Xã Một, Tỉnh Thử"


def test_deprivation_and_cause_forms(world: World) -> None:
    forms = _forms(admin_factory(), "tinh-98")
    deprivation = forms["02"]
    labels = [r[2] for r in deprivation.rows]
    assert labels[:2] == ["Việc làm", "Người phụ thuộc trong hộ gia đình"]
    housing = next(r for r in deprivation.rows if r[2] == "Chất lượng nhà ở")
    latrine = next(r for r in deprivation.rows if r[2] == "Nhà tiêu hợp vệ sinh")
    internet = next(r for r in deprivation.rows if r[2] == "Sử dụng dịch vụ viễn thông")
    # poor: h1, h5, h6 all deprived in housing; only h5 (4 deprivations) in telecom; near-poor h2 in housing
    assert housing[3:7] == (3, 100.0, 1, 100.0)
    assert latrine[3:5] == (3, 100.0)
    assert internet[3:7] == (1, 33.33, 0, 0.0)
    assert deprivation.total is not None and deprivation.total[3] == 3 and deprivation.total[5] == 1

    causes = {r[1]: r[2:] for r in forms["03"].rows}
    assert causes["Thiếu vốn sản xuất, kinh doanh"][:4] == (1, 33.33, 1, 100.0)
    assert causes["Thiếu đất sản xuất"][:2] == (1, 33.33)
    assert causes["Có người ốm đau, bệnh nặng"][:2] == (1, 33.33)
    assert causes["Chưa ghi nhận nguyên nhân"][:2] == (1, 33.33)  # h5


def test_transitions_form_equals_the_review_transitions(world: World) -> None:
    admin = admin_factory()
    form = _forms(admin, "xa-98001")["04"]
    found = round_transitions(viewer=admin, review_round=world.rounds[("c1", 2025)])
    assert found is not None
    totals = found.totals
    assert form.total is not None
    values: dict[str, Any] = dict(
        zip([c.group + ":" + c.label for c in form.columns], form.total, strict=True)
    )
    assert (
        values["Hộ nghèo:Giảm: thoát nghèo"]
        == totals["escaped_to_near_poor"] + totals["escaped_poverty"]
        == 1
    )
    assert values["Hộ nghèo:Tăng: phát sinh mới"] == totals["newly_poor"]
    assert values["Hộ nghèo:Tăng: tái nghèo"] == totals["relapsed"]
    assert values["Hộ nghèo:Tăng: chuyển đến"] + values["Hộ nghèo:Tăng: phát sinh mới"] == 1  # h5
    assert values["Hộ cận nghèo:Tăng: phát sinh mới"] == totals["newly_near_poor"] == 1  # h2
    assert (values["Hộ nghèo:Đầu kỳ (đợt trước)"], values["Hộ nghèo:Cuối kỳ (đợt này)"]) == (2, 2)
    poor: list[Any] = [v for c, v in zip(form.columns, form.total, strict=True) if c.group == "Hộ nghèo"]
    assert poor[0] - poor[1] - poor[2] + poor[3] + poor[4] + poor[5] == poor[6]

    province = _forms(admin, "tinh-98")["04"]
    assert province.rows[1][2:] == (None,) * 15  # Xã Hai has no earlier approved round
    assert any("Xã Hai" in note for note in province.notes)


def test_xlsx_has_merged_headers_formats_and_print_setup(world: World) -> None:
    form = _forms(admin_factory(), "tinh-98")["01"]
    book = openpyxl.load_workbook(io.BytesIO(form_xlsx(form)))
    sheet = book.active
    assert sheet is not None
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A7:A8" in merged and "C7:C8" in merged  # STT and total households span both header rows
    assert "D7:E7" in merged and sheet["D7"].value == "Hộ nghèo"
    assert sheet["D8"].value == "Số hộ" and sheet["E8"].value == "Tỷ lệ (%)"
    assert sheet["A4"].value == "TỔNG HỢP HỘ NGHÈO, HỘ CẬN NGHÈO"
    assert (sheet["A9"].value, sheet["B9"].value, sheet["C9"].value) == ("A", "B", "1")
    assert (sheet["B10"].value, sheet["C10"].value, sheet["D10"].value, sheet["E10"].value) == (
        "Xã Một",
        5,
        2,
        40.0,
    )
    assert sheet["D10"].number_format == "#,##0" and sheet["E10"].number_format == "0.00"
    assert (sheet["B12"].value, sheet["C12"].value, sheet["E12"].value) == ("Toàn tỉnh", 7, 42.86)
    assert sheet.freeze_panes == "C10"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "NGƯỜI LẬP BIỂU" in values and "THỦ TRƯỞNG ĐƠN VỊ" in values
    assert "Trang &P/&N" in sheet.oddFooter.right.text


def test_csv_has_a_bom_and_flat_headers(world: World) -> None:
    form = _forms(admin_factory(), "tinh-98")["01"]
    data = form_csv(form)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:5] == [
        "STT",
        "Xã, phường, đặc khu",
        "Tổng số hộ dân cư",
        "Hộ nghèo - Số hộ",
        "Hộ nghèo - Tỷ lệ (%)",
    ]
    assert rows[1][:5] == ["1", "Xã Một", "5", "2", "40.00"]
    assert rows[-1][:5] == ["", "Toàn tỉnh", "7", "3", "42.86"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_pdf_text_has_the_vietnamese_headers_and_signatures(world: World) -> None:
    forms = _forms(admin_factory(), "tinh-98")
    for code, title in (
        ("01", "TỔNG HỢP HỘ NGHÈO, HỘ CẬN NGHÈO"),
        ("04", "BIẾN ĐỘNG HỘ NGHÈO, HỘ CẬN NGHÈO"),
    ):
        data = table_form_pdf(forms[code])
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()
        assert title in text
        for words in ("Hộ cận nghèo", "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", "Xã Một", "Trang 1/"):
            assert words in text, (code, words)
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=table_form_pdf(forms["01"]), capture_output=True, check=True
    ).stdout.decode()
    assert "42,86" in text  # Vietnamese decimal comma


def test_scopes_follow_the_territory(world: World) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=world.c1)
    assert [s.key for s in form_scopes(officer)] == ["xa-98001"]
    assert scope_for(officer, "tinh-98") is None
    assert scope_for(officer, "xa-98002") is None
    assert scope_for(officer, f"thon-{world.vc.pk}") is None
    assert isinstance(scope_for(officer, f"thon-{world.va.pk}"), Scope)
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=world.vb)
    assert [s.key for s in form_scopes(surveyor)] == [f"thon-{world.vb.pk}"]
    assert scope_for(surveyor, "xa-98001") is None
    forms = _forms(surveyor, f"thon-{world.vb.pk}")
    assert forms["01"].total is not None and forms["01"].total[2] == 2  # h3 and h4 only
    assert set(FORMS) == {"01", "02", "03", "04", "05"}
