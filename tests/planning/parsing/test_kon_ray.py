"""The Kon Rẫy district plan (2022, Markdown): assignments after numbered items, per-item tasks."""

from __future__ import annotations

from decimal import Decimal

from giamngheo.planning.parsing import PlanDraft

from .conftest import names, task_at

LABOUR = "Phòng Lao động - Thương binh và Xã hội"
FINANCE = "Phòng Tài chính - Kế hoạch"
AGRICULTURE = "Phòng Nông nghiệp và Phát triển nông thôn"
COMMUNES = "Ủy ban nhân dân cấp xã"


def test_counts(kon_ray: PlanDraft) -> None:
    assert (len(kon_ray.targets), len(kon_ray.tasks), len(kon_ray.deadlines), len(kon_ray.funding)) == (
        2,
        28,
        2,
        0,
    )
    assert kon_ray.funding_total_million_vnd is None


def test_header(kon_ray: PlanDraft) -> None:
    assert kon_ray.title is not None
    assert kon_ray.title.startswith("Kế hoạch triển khai thực hiện Kế hoạch số 51-KH/HU ngày 23-11-2021")
    assert kon_ray.number is None  # the text only cites other plans; its own number is not in it
    assert kon_ray.issued_on is None
    assert kon_ray.issuer == "Ủy ban nhân dân huyện"
    assert kon_ray.unit_name == "huyện Kon Rẫy"
    assert (kon_ray.period_start, kon_ray.period_end) == (None, 2030)


def test_basis(kon_ray: PlanDraft) -> None:
    acts = [(a.kind, a.number, a.issued_on and a.issued_on.isoformat(), a.source_line) for a in kon_ray.basis]
    assert acts == [
        ("Kế hoạch", "51-KH/HU", "2021-11-23", 5),
        ("Chỉ thị", "05-CT/TW", "2021-06-23", 5),
        ("Kế hoạch", "4587/KH-UBND", "2021-12-27", 7),
        ("Kế hoạch", "31-KH/TU", "2021-10-28", 7),
    ]
    assert kon_ray.basis[0].issuer == "Ban Thường vụ Huyện ủy"
    assert kon_ray.basis[1].issuer == "Ban Bí thư Trung ương Đảng"


def test_one_task_per_numbered_item_of_the_content(kon_ray: PlanDraft) -> None:
    sections = [t.section for t in kon_ray.tasks]
    expected = [f"II.1.{i}" for i in range(1, 6)] + [f"II.2.{i}" for i in range(1, 9)]
    expected += [f"II.3.{i}" for i in range(1, 5)] + [f"II.4.{i}" for i in range(1, 9)]
    expected += ["III.1", "III.2", "III.3"]
    assert sections == expected
    assert all(t.lead_agencies for t in kon_ray.tasks)


def test_item_1_4(kon_ray: PlanDraft) -> None:
    task = task_at(kon_ray, "II.1.4")
    assert task.source_line == 29
    assert task.text.startswith("Tham mưu xây dựng Chương trình của Huyện ủy")
    assert names(task.lead_agencies) == [FINANCE]
    assert names(task.coordinating_agencies) == [LABOUR, AGRICULTURE, "Phòng Dân tộc"]
    assert [a.key for a in task.coordinating_agencies] == [
        "labour_social",
        "agriculture_rural_development",
        "ethnic_affairs",
    ]
    assert (task.timeframe.kind, task.timeframe.month, task.timeframe.year) == ("dated", 4, 2022)
    assert task.assignment_line == 31
    assert task.style == "assignment"


def test_item_2_4_annual_in_january(kon_ray: PlanDraft) -> None:
    task = task_at(kon_ray, "II.2.4")
    assert names(task.lead_agencies) == [LABOUR]
    assert task.coordinating_agencies == ()  # "các đơn vị, địa phương" is filler
    assert (task.timeframe.kind, task.timeframe.month, task.timeframe.day) == ("annual", 1, None)


def test_one_assignment_covers_the_items_since_the_previous_one(kon_ray: PlanDraft) -> None:
    # 1.2 and 1.3 share the assignment of line 27; 2.1-2.4 that of line 49; 4.6-4.8 that of line 115.
    for section in ("II.1.2", "II.1.3"):
        task = task_at(kon_ray, section)
        assert task.assignment_line == 27
        assert names(task.lead_agencies) == [LABOUR]  # written "Phòng LĐ-TB&XH"
        assert names(task.coordinating_agencies) == [COMMUNES]
        assert task.timeframe.kind == "continuous"
    assert {task_at(kon_ray, f"II.2.{i}").assignment_line for i in range(1, 5)} == {49}
    assert {task_at(kon_ray, f"II.4.{i}").assignment_line for i in range(6, 9)} == {115}
    assert task_at(kon_ray, "II.1.1").assignment_line == 21


def test_other_assignments(kon_ray: PlanDraft) -> None:
    first = task_at(kon_ray, "II.1.1")
    assert names(first.lead_agencies) == ["Các cơ quan, đơn vị thuộc Ủy ban nhân dân huyện", COMMUNES]
    assert first.lead_agencies[0].key is None
    assert names(task_at(kon_ray, "II.1.5").lead_agencies) == ["Phòng Văn hóa - Thông tin"]
    assert names(task_at(kon_ray, "II.2.5").coordinating_agencies) == [
        LABOUR,
        AGRICULTURE,
        "Phòng Kinh tế - Hạ tầng",
    ]
    assert names(task_at(kon_ray, "II.2.7").lead_agencies) == ["Phòng Dân tộc"]
    assert names(task_at(kon_ray, "II.3.3").lead_agencies) == ["Ngân hàng Chính sách xã hội"]
    two_leads = task_at(kon_ray, "II.4.2")  # "Phòng TC-KH tham mưu …; UBND các xã, thị trấn triển khai …"
    assert names(two_leads.lead_agencies) == [FINANCE, COMMUNES]
    assert (two_leads.timeframe.kind, two_leads.timeframe.month, two_leads.timeframe.year) == (
        "dated",
        4,
        2022,
    )
    joint = task_at(kon_ray, "II.4.5")  # "Phòng LĐ-TB&XH và UBND các xã, thị trấn …"
    assert names(joint.lead_agencies) == [LABOUR, COMMUNES]
    assert (joint.timeframe.kind, joint.timeframe.month) == ("annual", 9)


def test_timeframes(kon_ray: PlanDraft) -> None:
    kinds = {t.section: (t.timeframe.kind, t.timeframe.month) for t in kon_ray.tasks}
    assert kinds["II.2.8"] == ("annual", None)  # "hằng năm sau khi có kết quả rà soát"
    assert kinds["II.3.2"] == ("unspecified", None)
    assert kinds["II.3.4"] == ("annual", 2)
    assert kinds["II.4.3"] == ("annual", 6)
    assert kinds["II.4.4"] == ("continuous", None)
    assert sum(1 for kind, _ in kinds.values() if kind == "continuous") == 14


def test_organisation_section(kon_ray: PlanDraft) -> None:
    reporting = task_at(kon_ray, "III.1")
    assert reporting.style == "responsibility"
    assert names(reporting.lead_agencies) == ["Các cơ quan, đơn vị", COMMUNES]
    assert (reporting.timeframe.kind, reporting.timeframe.month, reporting.timeframe.day) == ("annual", 11, 5)
    focal = task_at(kon_ray, "III.2")  # "Giao Phòng … làm đầu mối"
    assert names(focal.lead_agencies) == [LABOUR]
    assert (focal.timeframe.month, focal.timeframe.day) == (11, 20)
    front = task_at(kon_ray, "III.3")  # "Đề nghị Ủy ban MTTQ … và các đoàn thể …: …"
    assert names(front.lead_agencies) == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam",
        "Các đoàn thể chính trị - xã hội",
    ]
    assert names(front.coordinating_agencies) == ["Ngân hàng Chính sách xã hội"]


def test_targets(kon_ray: PlanDraft) -> None:
    training, poverty = kon_ray.targets
    assert (poverty.kind, poverty.value, poverty.unit) == ("poor_rate_reduction", Decimal("6.6"), "points")
    assert (poverty.bound, poverty.per_year, poverty.year, poverty.source_line) == (
        "at_least",
        True,
        None,
        47,
    )
    assert "giảm ít nhất 6,6% tỷ lệ hộ nghèo" in poverty.text
    assert (training.kind, training.value, training.unit, training.year) == (
        "other_percent",
        Decimal(60),
        "percent",
        2025,
    )
    assert training.subject == "tỷ lệ lao động qua đào tạo"


def test_reporting_deadlines(kon_ray: PlanDraft) -> None:
    found = [(d.kind, d.day, d.month, d.year, d.source_line) for d in kon_ray.deadlines]
    assert found == [("annual", 5, 11, None, 119), ("annual", 20, 11, None, 121)]
    assert "báo cáo kết quả thực hiện về Phòng Lao động" in kon_ray.deadlines[0].text
