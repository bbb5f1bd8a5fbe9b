"""The Yên Bái province plan (2019, plain text from a news page): per-district targets, funding by source,
per-agency responsibilities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from giamngheo.planning.parsing import PlanDraft
from giamngheo.planning.parsing.targets import households_total

from .conftest import names, task_at

DISTRICTS = {
    # scope: (rate cut in points, households, end-of-year rate %)
    "Thành phố Yên Bái": ("0.7", 199, "1.99"),
    "Thị xã Nghĩa Lộ": ("4.10", 327, "4.98"),
    "Huyện Yên Bình": ("5.80", 1726, "7.60"),
    "Huyện Lục Yên": ("7.30", 2046, "11.46"),
    "Huyện Trấn Yên": ("4.30", 1039, "5.00"),
    "Huyện Văn Yên": ("6.90", 2338, "11.15"),
    "Huyện Văn Chấn": ("7.30", 2762, "14.97"),
    "Huyện Trạm Tấu": ("8.50", 453, "44.35"),
    "Huyện Mù Cang Chải": ("8.50", 979, "43.16"),
}


def test_counts(yen_bai: PlanDraft) -> None:
    assert (len(yen_bai.targets), len(yen_bai.tasks), len(yen_bai.deadlines), len(yen_bai.funding)) == (
        29,
        35,
        3,
        5,
    )


def test_header(yen_bai: PlanDraft) -> None:
    assert yen_bai.title == "KẾ HOẠCH THỰC HIỆN MỤC TIÊU GIẢM NGHÈO BỀN VỮNG NĂM 2019"
    assert yen_bai.number == "131-KH/TU"
    assert yen_bai.issued_on == dt.date(2019, 4, 19)
    assert yen_bai.issuer == "Ban Thường vụ Tỉnh ủy"
    assert yen_bai.unit_name == "tỉnh Yên Bái"
    assert (yen_bai.period_start, yen_bai.period_end) == (2019, 2019)
    assert [(a.kind, a.number, a.issued_on) for a in yen_bai.basis] == [
        ("Chương trình hành động", "144-CTr/TU", dt.date(2019, 2, 15)),
        ("Kết luận", "37-KL/TW", dt.date(2018, 10, 17)),
    ]


def test_province_targets(yen_bai: PlanDraft) -> None:
    province = [t for t in yen_bai.targets if t.scope is None]
    assert [(t.kind, t.value, t.unit, t.bound, t.year, t.source_line) for t in province] == [
        ("poor_rate_reduction", Decimal("5.8"), "points", "at_least", 2019, 27),
        ("poor_households_reduction", Decimal(11869), "households", None, 2019, 27),
    ]


def test_district_targets(yen_bai: PlanDraft) -> None:
    by_scope: dict[str, dict[str, Decimal]] = {}
    for t in yen_bai.targets:
        if t.scope is not None:
            assert t.year == 2019
            by_scope.setdefault(t.scope, {})[t.kind] = t.value
    assert set(by_scope) == set(DISTRICTS)
    for scope, (cut, households, end) in DISTRICTS.items():
        assert by_scope[scope] == {
            "poor_rate_reduction": Decimal(cut),
            "poor_households_reduction": Decimal(households),
            "end_rate": Decimal(end),
        }, scope


def test_district_household_cuts_add_up_to_the_province(yen_bai: PlanDraft) -> None:
    assert households_total(yen_bai.targets, scoped=True) == Decimal(11869)
    assert households_total(yen_bai.targets, scoped=False) == Decimal(11869)


def test_district_lines_keep_their_line_and_bound(yen_bai: PlanDraft) -> None:
    mu_cang_chai = [t for t in yen_bai.targets if t.scope == "Huyện Mù Cang Chải"]
    assert {t.source_line for t in mu_cang_chai} == {45}
    rate = next(t for t in mu_cang_chai if t.kind == "poor_rate_reduction")
    assert (rate.bound, rate.unit, rate.per_year) == ("at_least", "points", False)
    end = next(t for t in mu_cang_chai if t.kind == "end_rate")
    assert (end.unit, end.subject, end.bound) == ("percent", "hộ nghèo", None)


def test_funding_five_sources(yen_bai: PlanDraft) -> None:
    assert [(f.source, f.amount_million_vnd, f.source_line) for f in yen_bai.funding] == [
        ("central", Decimal(1621667), 83),
        ("local", Decimal(367886), 85),
        ("oda_ngo", Decimal(418429), 87),
        ("community", Decimal(32430), 89),
        ("credit", Decimal(3000000), 91),
    ]
    assert yen_bai.funding[3].label == "Vốn huy động cộng đồng, doanh nghiệp"
    assert yen_bai.funding_total_million_vnd == Decimal(5440412)
    assert sum(f.amount_million_vnd for f in yen_bai.funding) == yen_bai.funding_total_million_vnd


def test_reporting_deadlines(yen_bai: PlanDraft) -> None:
    assert [(d.kind, d.day, d.month, d.year, d.source_line) for d in yen_bai.deadlines] == [
        ("dated", 15, 11, 2019, 99),
        ("dated", 10, 12, 2019, 99),
        ("dated", 10, 12, 2019, 105),
    ]
    assert yen_bai.deadlines[1].text == "báo cáo chính thức ngày 10/12/2019."


def test_schedule_items(yen_bai: PlanDraft) -> None:
    first = task_at(yen_bai, "D.1")  # "Từ ngày 20/4-30/4/2019 các huyện ủy, thị ủy, thành ủy phối hợp với …"
    assert first.style == "schedule"
    assert names(first.lead_agencies) == ["Các huyện ủy, thị ủy, thành ủy"]
    assert (first.timeframe.kind, first.timeframe.day, first.timeframe.month, first.timeframe.year) == (
        "dated",
        30,
        4,
        2019,
    )
    second = task_at(yen_bai, "D.2")  # "Tháng 5-12/2019, …"
    assert (second.timeframe.month, second.timeframe.year) == (12, 2019)


def test_departments(yen_bai: PlanDraft) -> None:
    expected = {
        "E.5(2)": (["Sở Kế hoạch và Đầu tư"], ["Sở Tài chính"]),
        "E.5(3)": (["Sở Tài chính"], ["Sở Kế hoạch và Đầu tư"]),
        "E.5(4)": (["Sở Nông nghiệp và Phát triển nông thôn"], []),
        "E.5(5)": (["Ban Dân tộc"], []),
        "E.5(11)": (["Sở Văn hóa, Thể thao và Du lịch"], []),
        "E.5(14)": (["Sở Thông tin và Truyền thông"], []),
        "E.5(15)": (["Ngân hàng Chính sách xã hội"], ["Ủy ban nhân dân cấp huyện"]),
        "E.6": (["Đảng đoàn Ủy ban Mặt trận Tổ quốc Việt Nam", "Các đoàn thể chính trị - xã hội"], []),
        "E.7": (["Ban Tuyên giáo Tỉnh ủy"], []),
        "E.10": (["Ủy ban Kiểm tra Tỉnh ủy"], []),
        "E.11": (["Văn phòng Tỉnh ủy"], ["Sở Lao động - Thương binh và Xã hội"]),
    }
    for section, (lead, coordinating) in expected.items():
        task = task_at(yen_bai, section)
        assert task.style == "responsibility"
        assert (names(task.lead_agencies), names(task.coordinating_agencies)) == (lead, coordinating), section


def test_bullets_of_an_agency_item_are_tasks_with_its_lead(yen_bai: PlanDraft) -> None:
    labour = [t for t in yen_bai.tasks if t.section == "E.5(1)"]
    assert [t.source_line for t in labour] == [125, 127, 129, 131]
    assert {tuple(names(t.lead_agencies)) for t in labour} == {("Sở Lao động - Thương binh và Xã hội",)}
    assert labour[2].timeframe.kind == "continuous"  # "thường xuyên nắm bắt, tham mưu"
    districts = [t for t in yen_bai.tasks if t.section == "E.3"]
    assert len(districts) == 5
    assert {tuple(names(t.lead_agencies)) for t in districts} == {("Các huyện ủy, thị ủy, thành ủy",)}


def test_every_organisation_task_has_a_lead(yen_bai: PlanDraft) -> None:
    assert all(t.lead_agencies for t in yen_bai.tasks if t.section.startswith("E."))
    assert task_at(yen_bai, "E.2").timeframe.day == 10  # "vào ngày 10/12/2019"


def test_every_lead_of_a_list_after_a_semicolon(yen_bai: PlanDraft) -> None:
    # "Các đồng chí Ủy viên Ban Chấp hành Đảng bộ tỉnh; thủ trưởng các ban, sở, ngành, Ủy ban Mặt trận
    # Tổ quốc, đoàn thể tỉnh, các tổ chức hội, các cơ quan, đơn vị cấp tỉnh trực tiếp chịu trách nhiệm …"
    assert names(task_at(yen_bai, "E.2").lead_agencies) == [
        "Các đồng chí Ủy viên Ban Chấp hành Đảng bộ tỉnh",
        "Thủ trưởng các ban, sở, ngành",
        "Ủy ban Mặt trận Tổ quốc Việt Nam",
        "Các đoàn thể chính trị - xã hội",
        "Các tổ chức hội",
        "Các cơ quan, đơn vị cấp tỉnh",
    ]


def test_coordinating_agencies_without_noise(yen_bai: PlanDraft) -> None:
    # "… phối hợp chặt chẽ với các ban, sở, ngành, đoàn thể, các tổ chức xã hội, đơn vị cấp tỉnh và các
    # đồng chí được phân công …": generic groups and "các đồng chí" are no agencies
    second = [t for t in yen_bai.tasks if t.section == "E.3"][1]
    assert names(second.coordinating_agencies) == ["Các đoàn thể chính trị - xã hội", "Các tổ chức xã hội"]


def test_schedule_leads(yen_bai: PlanDraft) -> None:
    both = task_at(yen_bai, "D.2")  # "cấp ủy đảng và chính quyền các cấp triển khai …"
    assert names(both.lead_agencies) == ["Cấp ủy đảng", "Chính quyền các cấp"]
    assert both.lead_inherited is False
    november = task_at(yen_bai, "D.3")  # "Tháng 11/2019, triển khai rà soát …": no subject of its own
    assert names(november.lead_agencies) == ["Cấp ủy đảng", "Chính quyền các cấp"]
    assert november.lead_inherited is True
    assert (november.timeframe.month, november.timeframe.year) == (11, 2019)
