"""Six plans written for these tests in the style of real ones, none of them shaped to the parser
(``data/unseen/``): a commune's 2026 plan under the two-tier government, a province's 2026-2030 plan on
the Decree 351/2025 standard with a funding table by year in "tỷ đồng", a ward's plan with its tasks and
its funding (by year, "triệu đồng") as Markdown tables, a department's plan with labelled lines under
every task, a district party committee's plan, and a district plan copied from a PDF (lines wrapped in
the middle of sentences, numbering I. / 1. / 2.1. / a) / - / +). Each is checked item by item."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from giamngheo.planning.parsing import PlanDraft, Task, draft_as_json, parse_plan, read_plan_file
from giamngheo.planning.parsing.funding import row_total_mismatches

from .conftest import names, task_at

UNSEEN = Path(__file__).with_name("data") / "unseen"
D = Decimal


def _parse(name: str) -> PlanDraft:
    return parse_plan(read_plan_file(UNSEEN / name))


@pytest.fixture(scope="module")
def commune() -> PlanDraft:
    return _parse("xa-dong-tam-2026.txt")


@pytest.fixture(scope="module")
def province() -> PlanDraft:
    return _parse("tinh-lam-ha-2026-2030.txt")


@pytest.fixture(scope="module")
def ward() -> PlanDraft:
    return _parse("phuong-an-phu-2026-2030.md")


@pytest.fixture(scope="module")
def department() -> PlanDraft:
    return _parse("so-nnmt-ra-soat-2026.txt")


@pytest.fixture(scope="module")
def party() -> PlanDraft:
    return _parse("huyen-uy-muong-khuong-2024.txt")


@pytest.fixture(scope="module")
def district() -> PlanDraft:
    return _parse("huyen-bac-yen-2025.txt")


def when(task: Task) -> tuple[object, ...]:
    t = task.timeframe
    return (t.kind, t.day, t.month, t.year, t.quarter, t.every_months)


def test_every_text_is_a_realistic_length() -> None:
    for path in UNSEEN.iterdir():
        assert 60 <= len(path.read_text(encoding="utf-8").splitlines()) <= 200, path.name


# --- Commune 2026 (two-tier government) --------------------------------------------------------------


def test_commune_header(commune: PlanDraft) -> None:
    assert commune.title == (
        "Kế hoạch thực hiện mục tiêu giảm nghèo bền vững năm 2026 trên địa bàn xã Đồng Tâm"
    )
    assert (commune.number, commune.issued_on) == ("18/KH-UBND", dt.date(2026, 1, 15))
    assert (commune.issuer, commune.unit_name) == ("Ủy ban nhân dân xã Đồng Tâm", "xã Đồng Tâm")
    assert (commune.period_start, commune.period_end) == (2026, 2026)
    assert [a.number for a in commune.basis] == ["351/2025/NĐ-CP", "05/KH-UBND", "42/NQ-HĐND"]


def test_commune_counts(commune: PlanDraft) -> None:
    counts = (len(commune.targets), len(commune.tasks), len(commune.deadlines), len(commune.funding))
    assert counts == (10, 15, 5, 5)


def test_commune_targets(commune: PlanDraft) -> None:
    found = [(t.kind, t.value, t.unit, t.scope, t.source_line) for t in commune.targets]
    assert found == [
        ("poor_rate_reduction", D("1.5"), "points", None, 31),
        ("end_rate", D("3.40"), "percent", None, 31),
        ("poor_households_reduction", D(72), "households", None, 31),
        ("poor_rate_reduction", D(3), "points", "các thôn đặc biệt khó khăn", 31),
        ("near_poor_rate_reduction", D(1), "points", None, 32),
        ("coverage", D(100), "percent", None, 33),
        ("other_count", D(15), "households", None, 34),
        ("other_percent", D(55), "percent", None, 35),
        ("other_count", D(120), "persons", None, 35),
        ("coverage", D(100), "percent", None, 36),
    ]
    assert {(t.year, t.year_from, t.year_to) for t in commune.targets} == {(2026, 2026, 2026)}
    assert commune.targets[5].subject == "thẻ bảo hiểm y tế"
    assert commune.targets[7].subject == "Tỷ lệ lao động qua đào tạo"
    # the baseline in "II. THỰC TRẠNG …" (4,90 %, 236 hộ, "giảm 1,35% so với năm 2024") is no target
    assert all(t.source_line > 26 for t in commune.targets)


def test_commune_unlabelled_assignments_after_the_bullets(commune: PlanDraft) -> None:
    # "Công chức Văn hóa - Xã hội chủ trì, phối hợp với …" closes item 1 without "Phân công thực hiện:"
    media = task_at(commune, "IV.1")
    assert (media.style, media.source_line, media.assignment_line) == ("assignment", 39, 42)
    assert names(media.lead_agencies) == ["Công chức Văn hóa - Xã hội"]
    assert names(media.coordinating_agencies) == ["Ủy ban Mặt trận Tổ quốc Việt Nam", "Trưởng các thôn"]
    assert media.timeframe.kind == "continuous"
    production = task_at(commune, "IV.2")
    assert names(production.lead_agencies) == ["Phòng Kinh tế"]
    assert names(production.coordinating_agencies) == [
        "Hội Nông dân",
        "Hợp tác xã Nông nghiệp Đồng Tâm",
        "Trưởng các thôn",
    ]
    assert when(production) == ("dated", None, 9, 2026, 3, None)
    # the "* Phân công thực hiện" of item 3 covers item 3 only, not items 1 and 2 before it
    credit = task_at(commune, "IV.3")
    assert names(credit.lead_agencies) == [
        "Phòng giao dịch Ngân hàng Chính sách xã hội"
    ]  # "… khu vực Trấn Yên"
    assert names(credit.coordinating_agencies) == [
        "Hội Nông dân",
        "Hội Liên hiệp Phụ nữ",
        "Hội Cựu chiến binh",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
    ]
    assert when(credit) == ("periodic", None, None, None, None, 3)
    assert "Giải ngân kịp thời" in credit.text  # the item's unnumbered paragraph is part of it


def test_commune_heading_with_lettered_items_is_not_a_task(commune: PlanDraft) -> None:
    sections = [t.section for t in commune.tasks if t.section.startswith("IV")]
    assert sections == ["IV.1", "IV.2", "IV.3", "IV.4.a", "IV.4.b", "IV.4.c", "IV.5", "IV.6"]
    housing = task_at(commune, "IV.4.a")
    assert names(housing.coordinating_agencies) == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
    ]
    assert when(housing) == ("dated", 30, 9, 2026, None, None)
    insurance = task_at(commune, "IV.4.b")
    assert names(insurance.coordinating_agencies) == ["Trạm Y tế", "Bảo hiểm xã hội cơ sở"]
    assert when(insurance) == ("dated", None, 1, 2026, None, None)
    jobs = task_at(commune, "IV.5")  # "tỉnh, Đoàn Thanh niên" is not "Tỉnh Đoàn"
    assert names(jobs.coordinating_agencies) == [
        "Trung tâm Dịch vụ việc làm",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
        "Hội Liên hiệp Phụ nữ",
    ]
    review = task_at(commune, "IV.6")
    assert names(review.lead_agencies) == ["Phòng Kinh tế"]
    assert names(review.coordinating_agencies) == ["Phòng Văn hóa - Xã hội", "Trưởng các thôn"]
    assert when(review) == ("dated", 30, 11, 2026, None, None)


def test_commune_organisation(commune: PlanDraft) -> None:
    economy = [t for t in commune.tasks if t.section == "VI.1"]
    assert [when(t) for t in economy] == [
        ("dated", 28, 2, 2026, None, None),
        ("periodic", None, None, None, None, 3),
    ]
    culture = task_at(commune, "VI.2")  # heading line, then its paragraph
    assert names(culture.lead_agencies) == ["Phòng Văn hóa - Xã hội"]
    assert names(culture.coordinating_agencies) == ["Phòng Kinh tế"]
    assert "Chủ trì thực hiện các chính sách hỗ trợ" in culture.text
    assert names(task_at(commune, "VI.3").lead_agencies) == [
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"
    ]
    assert names(task_at(commune, "VI.4").lead_agencies) == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam",
        "Các đoàn thể chính trị - xã hội",
    ]
    villages = [t for t in commune.tasks if t.section == "VI.5"]
    assert [names(t.lead_agencies) for t in villages] == [["Trưởng các thôn"], ["Trưởng các thôn"]]


def test_commune_deadlines(commune: PlanDraft) -> None:
    assert [(d.kind, d.day, d.month, d.year, d.every_months, d.source_line) for d in commune.deadlines] == [
        ("periodic", None, None, None, 3, 81),
        ("dated", 10, 12, 2026, None, 81),
        ("dated", 15, 3, 2026, None, 89),
        ("periodic", None, None, None, 6, 90),  # "định kỳ 6 tháng và năm": every six months …
        ("annual", None, None, None, None, 90),  # … and every year
    ]


def test_commune_funding(commune: PlanDraft) -> None:
    assert [(f.source, f.amount_million_vnd, f.year) for f in commune.funding] == [
        ("central", D(1920), None),
        ("local", D(415), None),
        ("local", D(150), None),
        ("credit", D(800), None),
        ("community", D(200), None),
    ]
    assert commune.funding_total_million_vnd == D(3485)
    assert sum(f.amount_million_vnd for f in commune.funding) == commune.funding_total_million_vnd


# --- Province 2026-2030 (Decree 351/2025, Sở Nông nghiệp và Môi trường) --------------------------------


def test_province_header(province: PlanDraft) -> None:
    assert (province.number, province.issued_on, province.unit_name) == (
        "96/KH-UBND",
        dt.date(2026, 2, 12),
        "tỉnh Lâm Hà",
    )
    assert province.issuer == "Ủy ban nhân dân tỉnh"
    assert (province.period_start, province.period_end) == (2026, 2030)
    assert province.title is not None and province.title.endswith("tỉnh Lâm Hà giai đoạn 2026 - 2030")
    assert [a.number for a in province.basis] == ["351/2025/NĐ-CP", "15/NQ-HĐND", "45/TTr-SNNMT"]


def test_province_counts(province: PlanDraft) -> None:
    counts = (len(province.targets), len(province.tasks), len(province.deadlines), len(province.funding))
    assert counts == (10, 20, 3, 20)


def test_province_targets_by_area_and_period(province: PlanDraft) -> None:
    found = [
        (t.kind, t.value, t.value_max, t.bound, t.per_year, t.scope, t.year, t.year_from, t.year_to)
        for t in province.targets
    ]
    span = (None, 2026, 2030)
    assert found == [
        ("poor_rate_reduction", D(1), D("1.5"), None, True, None, *span),
        ("poor_rate_reduction", D(3), None, "at_least", True, "vùng đồng bào dân tộc thiểu số", *span),
        ("poor_rate_reduction", D(4), D(5), None, True, "các xã đặc biệt khó khăn", *span),
        ("end_rate", D(3), None, "at_most", False, None, 2030, 2030, 2030),
        ("coverage", D(100), None, None, False, None, *span),
        ("other_count", D(25000), None, None, False, None, *span),
        ("coverage", D(35), None, None, False, None, 2030, 2030, 2030),
        # "3. Chỉ tiêu năm 2026": the heading gives the year
        ("poor_rate_reduction", D("1.2"), None, None, False, None, 2026, 2026, 2026),
        ("poor_households_reduction", D(4350), None, None, False, None, 2026, 2026, 2026),  # "tương đương"
        ("end_rate", D("6.8"), None, None, False, None, 2026, 2026, 2026),
    ]
    assert province.targets[4].subject == "vốn tín dụng chính sách"  # "có nhu cầu được tiếp cận …"


def test_province_responsibilities(province: PlanDraft) -> None:
    standing = [t for t in province.tasks if t.section.startswith("IV.1.")]
    assert [t.section for t in standing] == ["IV.1.a", "IV.1.b", "IV.1.c"]
    assert {tuple(names(t.lead_agencies)) for t in standing} == {("Sở Nông nghiệp và Môi trường",)}
    assert names(standing[0].coordinating_agencies) == ["Ủy ban nhân dân cấp xã"]
    assert when(standing[2]) == ("periodic", 15, 6, None, None, 6)
    expected = {
        "IV.2": (["Sở Tài chính"], ["Sở Nông nghiệp và Môi trường"]),
        "IV.3": (["Sở Dân tộc và Tôn giáo"], []),
        "IV.4": (["Sở Nội vụ"], ["Sở Nông nghiệp và Môi trường"]),  # "… Môi trường đánh giá …" cut
        "IV.7": (["Sở Xây dựng"], ["Ủy ban nhân dân cấp xã"]),
        "IV.8": (["Sở Khoa học và Công nghệ"], []),
        "IV.10": (["Ủy ban Mặt trận Tổ quốc Việt Nam"], []),
        "IV.11": (["Ủy ban nhân dân cấp xã"], []),
    }
    for section, (lead, coordinating) in expected.items():
        task = task_at(province, section)
        assert (names(task.lead_agencies), names(task.coordinating_agencies)) == (lead, coordinating), section
    assert names(task_at(province, "IV.9").lead_agencies) == ["Ngân hàng Chính sách xã hội"]


def test_province_task_table_in_the_appendix(province: PlanDraft) -> None:
    rows = [t for t in province.tasks if t.style == "table"]
    assert [t.source_line for t in rows] == list(range(88, 95))
    assert {t.section for t in rows} == {"PHỤ LỤC"}
    first = rows[0]
    assert names(first.lead_agencies) == ["Sở Nông nghiệp và Môi trường"]
    assert names(first.coordinating_agencies) == [
        "Sở Nội vụ",
        "Sở Y tế",
        "Sở Giáo dục và Đào tạo",
        "Cục Thống kê",
    ]
    assert when(first) == ("dated", None, 3, 2026, 1, None)
    assert when(rows[1]) == ("annual", 31, 3, None, None, None)  # "Trước ngày 31/3 hằng năm"
    assert when(rows[2]) == ("dated", None, None, 2030, None, None)  # "2026 - 2030": its end
    assert names(rows[3].coordinating_agencies) == ["Ngân hàng Chính sách xã hội", "Ủy ban nhân dân cấp xã"]
    assert when(rows[4]) == ("dated", None, None, 2028, None, None)
    assert when(rows[6]) == ("dated", None, 11, 2030, None, None)


def test_province_funding_by_year_in_billions(province: PlanDraft) -> None:
    by_year = {(f.source, f.year): f.amount_million_vnd for f in province.funding}
    assert by_year[("central", 2026)] == D(520_000)
    assert by_year[("central", 2030)] == D(600_000)
    assert by_year[("local", 2028)] == D(90_000)
    assert by_year[("credit", 2029)] == D(230_000)
    assert by_year[("community", 2027)] == D(6_000)
    assert [f.year for f in province.funding[:5]] == [2026, 2027, 2028, 2029, 2030]
    # the "- Vốn đầu tư phát triển" / "- Vốn sự nghiệp" rows break down the central budget: not counted again
    assert {f.label for f in province.funding} == {
        "Ngân sách trung ương",
        "Ngân sách địa phương",
        "Vốn tín dụng chính sách xã hội",
        "Vốn huy động hợp pháp khác",
    }
    assert {f.source_line for f in province.funding} == {43, 46, 47, 48}
    assert {f.row_total_million_vnd for f in province.funding if f.source == "central"} == {D(2_800_000)}
    assert row_total_mismatches(province.funding) == []
    assert province.funding_total_million_vnd == D(4_385_000)
    assert sum(f.amount_million_vnd for f in province.funding) == province.funding_total_million_vnd


def test_province_deadlines(province: PlanDraft) -> None:
    assert [(d.kind, d.day, d.month, d.every_months, d.source_line) for d in province.deadlines] == [
        ("periodic", 15, 6, 6, 56),  # "định kỳ 6 tháng (trước ngày 15/6)"
        ("annual", 15, 12, None, 56),  # "hằng năm (trước ngày 15/12)"
        ("annual", 30, 11, None, 66),
    ]


# --- Ward 2026-2030 (Markdown tables) ----------------------------------------------------------------------


def test_ward_header_and_targets(ward: PlanDraft) -> None:
    assert (ward.number, ward.issued_on, ward.unit_name) == (
        "57/KH-UBND",
        dt.date(2026, 3, 3),
        "phường An Phú",
    )
    assert (ward.period_start, ward.period_end) == (2026, 2030)
    found = [(t.kind, t.value, t.value_max, t.bound, t.year, t.year_from, t.year_to) for t in ward.targets]
    assert found == [
        ("poor_rate_reduction", D("0.3"), D("0.5"), None, None, 2026, 2030),
        ("end_rate", D("0.5"), None, "at_most", 2030, 2030, 2030),
        ("near_poor_rate_reduction", D("0.5"), None, None, None, 2026, 2030),
        ("poor_households_reduction", D(120), None, None, None, 2026, 2030),
        ("coverage", D(100), None, None, None, 2026, 2030),
        ("coverage", D(95), None, "at_least", 2030, 2030, 2030),
    ]
    assert ward.targets[4].subject == "tư vấn, giới thiệu việc làm"  # "có lao động được tư vấn, …"
    assert ward.targets[5].subject == "bảo hiểm y tế"  # "… bảo hiểm y tế đạt trên 95%"


def test_ward_task_table(ward: PlanDraft) -> None:
    rows = [t for t in ward.tasks if t.style == "table"]
    assert len(rows) == 8  # the group rows "I / II / III" have no lead: they are not tasks
    assert {t.section for t in rows} == {"III.2"}
    first = rows[0]
    assert first.text == "Kiện toàn Ban Chỉ đạo các chương trình mục tiêu quốc gia phường"
    assert names(first.lead_agencies) == ["Phòng Kinh tế, Hạ tầng và Đô thị"]
    assert names(first.coordinating_agencies) == ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường"]
    assert first.product == "Quyết định của Chủ tịch UBND phường"
    assert when(first) == ("dated", None, 3, 2026, 1, None)
    assert when(rows[1]) == ("annual", None, 1, None, None, None)
    assert names(rows[2].coordinating_agencies) == [
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
        "Trung tâm Dịch vụ việc làm",
    ]
    assert when(rows[2])[0] == "continuous"
    assert names(rows[3].lead_agencies) == ["Ngân hàng Chính sách xã hội"]
    assert rows[4].product == "02 lớp, 60 học viên"
    assert names(rows[5].coordinating_agencies) == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam",
        "Tổ trưởng tổ dân phố",
    ]
    assert when(rows[5]) == ("annual", 15, 11, None, None, None)
    assert when(rows[6]) == ("periodic", None, None, None, None, 6)  # "6 tháng một lần"
    assert rows[7].coordinating_agencies == ()  # "Các phòng, đơn vị liên quan"
    assert when(rows[7]) == ("dated", None, 12, 2028, 4, None)  # the first of "Quý IV/2028 và Quý IV/2030"


def test_ward_organisation_and_deadlines(ward: PlanDraft) -> None:
    assert names(task_at(ward, "V.3").lead_agencies) == ["Tổ trưởng các tổ dân phố"]
    assert when(task_at(ward, "V.3")) == ("periodic", 25, None, None, None, 1)  # "trước ngày 25 hằng tháng"
    assert [(d.kind, d.day, d.month, d.every_months) for d in ward.deadlines] == [
        ("periodic", 10, 6, 6),
        ("annual", 10, 12, None),  # "định kỳ 6 tháng (trước ngày 10/6) và năm (trước ngày 10/12)"
        ("periodic", 25, None, 1),
    ]


def test_ward_funding_by_year_in_millions(ward: PlanDraft) -> None:
    assert len(ward.funding) == 20
    assert [(f.year, f.amount_million_vnd) for f in ward.funding if f.source == "community"] == [
        (2026, D("15.5")),
        (2027, D("15.5")),
        (2028, D(16)),
        (2029, D(16)),
        (2030, D(17)),
    ]
    assert {f.source for f in ward.funding if f.label == "Ngân sách phường"} == {"local"}
    assert row_total_mismatches(ward.funding) == []
    assert ward.funding_total_million_vnd == D(6950)  # the "Cộng" row
    assert sum(f.amount_million_vnd for f in ward.funding) == D(6950)
    per_year = sum(f.amount_million_vnd for f in ward.funding if f.year == 2026)
    assert per_year == D("1265.5")


def test_ward_json_carries_the_new_fields(ward: PlanDraft) -> None:
    data = draft_as_json(ward)
    assert data["targets"][0]["year_from"] == 2026 and data["targets"][0]["year_to"] == 2030
    line = data["funding"][0]
    assert (line["year"], line["amount_million_vnd"], line["row_total_million_vnd"]) == (2026, 300, 1580)
    assert data["tasks"][0]["product"] == "Quyết định của Chủ tịch UBND phường"
    assert data["tasks"][0]["lead_inherited"] is False


# --- Department plan with labelled lines ----------------------------------------------------------------


def test_department_header(department: PlanDraft) -> None:
    # "UBND TỈNH LÂM HÀ" above "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG": the Sở issues it
    assert department.issuer == "Sở Nông nghiệp và Môi trường"
    assert (department.number, department.issued_on) == ("312/KH-SNNMT", dt.date(2026, 8, 5))
    assert department.unit_name == "tỉnh Lâm Hà"


def test_department_labelled_tasks(department: PlanDraft) -> None:
    labelled = [t for t in department.tasks if t.style == "labelled"]
    assert [t.section for t in labelled] == [
        "III.1",
        "III.2",
        "III.3",
        "III.4.a",
        "III.4.b",
        "III.5",
        "III.6",
        "III.7",
    ]
    guide = labelled[0]
    assert guide.text == "Ban hành văn bản hướng dẫn nghiệp vụ rà soát"
    assert names(guide.lead_agencies) == ["Chi cục Phát triển nông thôn"]
    assert names(guide.coordinating_agencies) == ["Văn phòng Sở", "Phòng Kế hoạch - Tài chính"]
    assert when(guide) == ("dated", None, 8, 2026, None, None)
    assert guide.product == "Văn bản hướng dẫn của Sở gửi Ủy ban nhân dân các xã, phường"
    training = labelled[1]  # "Đơn vị chủ trì / Đơn vị phối hợp / Thời gian"
    assert names(training.coordinating_agencies) == ["Trung tâm Khuyến nông", "Ủy ban nhân dân cấp xã"]
    assert when(training) == ("dated", 5, 9, 2026, None, None)
    assert training.product == "08 lớp tập huấn, 640 học viên"
    inspection = labelled[2]  # three labels in one paragraph, separated by "."
    assert names(inspection.lead_agencies) == ["Thanh tra Sở"]
    assert names(inspection.coordinating_agencies) == [
        "Chi cục Phát triển nông thôn",
        "Phòng Kế hoạch - Tài chính",
    ]
    assert when(inspection) == ("dated", None, 11, 2026, None, None)
    assert names(labelled[3].coordinating_agencies) == ["Cục Thống kê"]
    assert when(labelled[3]) == ("dated", 5, 12, 2026, None, None)  # "Thời hạn hoàn thành: 05/12/2026"
    assert when(labelled[4]) == ("dated", 20, 12, 2026, None, None)
    production = labelled[5]
    assert names(production.lead_agencies) == ["Chi cục Trồng trọt và Chăn nuôi"]
    assert when(production) == ("dated", None, 12, 2026, 4, None)  # "Quý III và Quý IV năm 2026"
    assert names(labelled[6].lead_agencies) == ["Trung tâm Chuyển đổi số và Thông tin dữ liệu"]
    assert when(labelled[7]) == ("dated", None, 12, 2026, None, None)  # "Tháng 8 - 12/2026"


def test_department_funding_from_its_section_only(department: PlanDraft) -> None:
    # "Kinh phí: 180 triệu đồng …" and "Kinh phí: 3,6 tỷ đồng …" under tasks are parts of section IV
    assert [(f.source, f.amount_million_vnd, f.source_line) for f in department.funding] == [
        ("central", D(3600), 65),
        ("local", D(180), 65),
    ]
    assert department.funding_total_million_vnd == D(3780)


def test_department_organisation(department: PlanDraft) -> None:
    assert names(task_at(department, "V.3").lead_agencies) == ["Thủ trưởng các đơn vị thuộc Sở"]
    assert [(d.kind, d.day, d.every_months, d.source_line) for d in department.deadlines] == [
        ("periodic", 25, 1, 68),
        ("periodic", None, 3, 70),
    ]
    assert [(t.kind, t.value, t.year) for t in department.targets] == [
        ("end_rate", D("6.8"), 2026),
        ("poor_rate_reduction", D("1.2"), 2026),
    ]


# --- District party committee 2024 --------------------------------------------------------------------------


def test_party_header(party: PlanDraft) -> None:
    assert party.issuer == "Ban Thường vụ Huyện ủy"  # "… Ban Thường vụ Huyện ủy xây dựng Kế hoạch"
    assert party.unit_name == "huyện Mường Khương"  # from "HUYỆN ỦY MƯỜNG KHƯƠNG"
    assert (party.number, party.issued_on) == ("85-KH/HU", dt.date(2024, 3, 8))
    assert [a.number for a in party.basis] == ["05-CT/TW", "210-KH/TU"]


def test_party_targets(party: PlanDraft) -> None:
    head = [(t.kind, t.value, t.value_max, t.bound, t.scope) for t in party.targets[:4]]
    assert head == [
        ("poor_rate_reduction", D(4), D(5), None, None),
        # "trong đó các xã đặc biệt khó khăn giảm 6%": a target of an area, not a part of the 4-5 %
        ("poor_rate_reduction", D(6), None, None, "các xã đặc biệt khó khăn"),
        ("poor_households_reduction", D(680), None, "at_least", None),
        ("end_rate", D(17), None, "at_most", None),
    ]
    communes = {(t.scope, t.kind): t.value for t in party.targets[5:]}
    assert communes == {
        ("Thị trấn Mường Khương", "poor_households_reduction"): D(45),
        ("Thị trấn Mường Khương", "end_rate"): D("3.5"),
        ("Xã Bản Lầu", "poor_households_reduction"): D(110),
        ("Xã Bản Lầu", "end_rate"): D(12),
        ("Xã Lùng Vai", "poor_households_reduction"): D(95),
        ("Xã Lùng Vai", "end_rate"): D("14.2"),
        ("Xã Pha Long", "poor_households_reduction"): D(160),
        ("Xã Pha Long", "end_rate"): D("28.5"),
        ("Xã Tả Ngải Chồ", "poor_households_reduction"): D(150),
        ("Xã Tả Ngải Chồ", "end_rate"): D(31),
        ("Các xã còn lại", "poor_households_reduction"): D(120),
    }
    parts = sum(t.value for t in party.targets if t.kind == "poor_households_reduction" and t.scope)
    assert parts == D(680)
    assert {t.year for t in party.targets} == {2024}


def test_party_responsibilities(party: PlanDraft) -> None:
    expected = {
        "IV.2": (["Các đồng chí Huyện ủy viên"], []),
        "IV.3": (
            ["Ban Tuyên giáo Huyện ủy"],
            [
                "Trung tâm Văn hóa, Thể thao và Truyền thông huyện",  # not cut at "huyện, Ủy ban"
                "Ủy ban Mặt trận Tổ quốc Việt Nam",
                "Các đoàn thể chính trị - xã hội",
            ],
        ),
        "IV.4": (["Ban Tổ chức Huyện ủy"], []),
        "IV.5": (["Ủy ban Kiểm tra Huyện ủy"], []),
        "IV.6": (["Ban Dân vận Huyện ủy"], ["Ủy ban Mặt trận Tổ quốc Việt Nam"]),
        "IV.7": (["Thường trực Hội đồng nhân dân huyện"], []),
        "IV.9": (["Ủy ban Mặt trận Tổ quốc Việt Nam", "Các đoàn thể chính trị - xã hội"], []),
        "IV.10": (["Văn phòng Huyện ủy"], ["Ban Tổ chức Huyện ủy", "Ủy ban Kiểm tra Huyện ủy"]),
    }
    for section, (lead, coordinating) in expected.items():
        task = task_at(party, section)
        assert task.style == "responsibility"
        assert (names(task.lead_agencies), names(task.coordinating_agencies)) == (lead, coordinating), section
    assert when(task_at(party, "IV.5")) == ("dated", None, 9, 2024, 3, None)
    assert when(task_at(party, "IV.10")) == ("annual", 15, 12, None, None, None)
    communes = [t for t in party.tasks if t.section == "IV.1"]
    assert {tuple(names(t.lead_agencies)) for t in communes} == {("Đảng ủy các xã, thị trấn",)}
    directed, review = [t for t in party.tasks if t.section == "IV.8"]
    # "Chỉ đạo Phòng Lao động - TB&XH chủ trì, phối hợp với …": the office directed leads
    assert names(directed.lead_agencies) == ["Phòng Lao động - Thương binh và Xã hội"]
    assert names(directed.coordinating_agencies) == [
        "Phòng Tài chính - Kế hoạch",
        "Phòng Nông nghiệp và Phát triển nông thôn",
        "Phòng Dân tộc",
    ]
    assert when(directed) == ("dated", None, 4, 2024, None, None)
    assert names(review.lead_agencies) == ["Ủy ban nhân dân huyện"]
    # "rà soát … cuối năm 2024 …, hoàn thành trước ngày 15/12/2024": the date, not the bare year
    assert when(review) == ("dated", 15, 12, 2024, None, None)


def test_party_deadlines(party: PlanDraft) -> None:
    assert [(d.kind, d.day, d.month, d.year, d.every_months, d.source_line) for d in party.deadlines] == [
        ("periodic", None, None, None, 3, 32),
        ("dated", 30, 3, 2024, None, 40),
        ("periodic", None, None, None, 6, 41),  # "định kỳ 6 tháng, năm"
        ("annual", None, None, None, None, 41),
        ("annual", 15, 12, None, None, 52),  # "trước ngày 15/12 hằng năm"
    ]
    assert party.funding == () and party.funding_total_million_vnd is None


# --- District plan copied from a PDF ----------------------------------------------------------------------


def test_district_wrapped_lines_and_targets(district: PlanDraft) -> None:
    assert district.title == (
        "Kế hoạch thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2025 "
        "trên địa bàn huyện Bắc Yên"
    )
    found = [
        (t.kind, t.value, t.value_max, t.scope, t.year, t.year_from, t.year_to) for t in district.targets
    ]
    assert found[:2] == [
        # "Hoàn thành các mục tiêu của Chương trình giai đoạn 2021 - 2025: giảm tỷ lệ hộ nghèo 3 - 4%/năm,
        # các xã đặc biệt khó khăn giảm 5 - 6%/năm" — a span of years, two targets
        ("poor_rate_reduction", D(3), D(4), None, None, 2021, 2025),
        ("poor_rate_reduction", D(5), D(6), "các xã đặc biệt khó khăn", None, 2021, 2025),
    ]
    assert found[2:6] == [  # "giảm tỷ\nlệ hộ cận nghèo 1,2%" is one line once joined
        ("poor_rate_reduction", D("3.5"), None, None, 2025, 2025, 2025),
        ("poor_households_reduction", D(620), None, None, 2025, 2025, 2025),
        ("end_rate", D("24.8"), None, None, 2025, 2025, 2025),
        ("near_poor_rate_reduction", D("1.2"), None, None, 2025, 2025, 2025),
    ]
    communes = [(t.kind, t.value, t.scope) for t in district.targets[7:]]
    assert communes == [
        ("poor_rate_reduction", D("6.5"), "Xã Hang Chú"),  # "+ Xã Hang Chú giảm 6,5%, tương ứng 95 hộ"
        ("poor_households_reduction", D(95), "Xã Hang Chú"),
        ("poor_rate_reduction", D(6), "Xã Xím Vàng"),
        ("poor_households_reduction", D(88), "Xã Xím Vàng"),
        ("poor_rate_reduction", D("5.5"), "Xã Tà Xùa"),
        ("poor_households_reduction", D(70), "Xã Tà Xùa"),
        ("poor_rate_reduction", D("2.5"), "Các xã, thị trấn còn lại"),
    ]


def test_district_tasks_with_mixed_numbering(district: PlanDraft) -> None:
    content = [t for t in district.tasks if t.section.startswith("II")]
    assert [t.section for t in content] == ["II.1", "II.2.a", "II.2.b", "II.3", "II.4", "II.5", "II.6"]
    works = content[0]
    assert names(works.lead_agencies) == ["Ban Quản lý dự án đầu tư xây dựng huyện"]
    assert names(works.coordinating_agencies)[:2] == ["Phòng Tài chính - Kế hoạch", "Phòng Kinh tế - Hạ tầng"]
    assert when(works) == ("dated", 15, 11, 2025, None, None)
    for item in content[1:3]:  # the paragraph after "a)" and "b)" assigns both
        assert names(item.lead_agencies) == ["Phòng Nông nghiệp và Phát triển nông thôn"]
        assert names(item.coordinating_agencies) == [
            "Trạm Khuyến nông",
            "Hội Nông dân",
            "Ủy ban nhân dân cấp xã",
        ]
        assert when(item) == ("dated", None, 9, 2025, 3, None)  # "trong Quý II, Quý III/2025"
    jobs = content[3]  # "- …", "- …", then "+ Phòng Lao động - TB&XH chủ trì …"
    assert names(jobs.lead_agencies) == ["Phòng Lao động - Thương binh và Xã hội"]
    assert names(jobs.coordinating_agencies) == [
        "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên huyện",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh",  # "Huyện Đoàn"
    ]
    assert when(jobs) == ("dated", None, 11, 2025, None, None)  # not "thường xuyên" from the centre's name
    assert "Tổ chức 10 lớp đào tạo nghề" in jobs.text
    housing = content[4]
    assert names(housing.lead_agencies) == [
        "Phòng Kinh tế - Hạ tầng",
        "Ủy ban nhân dân cấp xã",
        "Ủy ban Mặt trận Tổ quốc Việt Nam",
    ]
    assert when(housing) == ("dated", 31, 8, 2025, None, None)
    assert names(content[4 + 1].coordinating_agencies) == ["Trung tâm Truyền thông và Văn hóa huyện"]
    assert when(content[5]) == ("periodic", None, None, None, None, 1)
    assert when(content[6]) == ("periodic", None, None, None, None, 6)
    organisation = [t for t in district.tasks if t.section.startswith("IV")]
    assert [names(t.lead_agencies) for t in organisation] == [
        ["Phòng Lao động - Thương binh và Xã hội"],
        ["Phòng Tài chính - Kế hoạch"],
        ["Ủy ban nhân dân cấp xã"],
    ]


def test_district_deadlines_and_funding(district: PlanDraft) -> None:
    assert [(d.kind, d.day, d.month, d.year, d.every_months) for d in district.deadlines] == [
        ("periodic", None, None, None, 3),
        ("dated", 5, 12, 2025, None),  # "báo cáo\nnăm trước ngày 05/12/2025" across a wrapped line
        ("dated", 15, 3, 2025, None),
    ]
    assert [(f.source, f.amount_million_vnd) for f in district.funding] == [
        ("central", D(32500)),
        ("local", D(3250)),  # "ngân sách tỉnh đối ứng" is the province's budget
        ("community", D(2900)),
    ]
    assert district.funding_total_million_vnd == D(38650)
