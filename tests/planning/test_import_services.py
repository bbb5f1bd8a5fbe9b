"""The plan-document import: draft from the two real plans, saving, and every refusal saving nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from giamngheo.accounts.models import AuditEvent, Role
from giamngheo.planning.models import (
    Agency,
    FundingLine,
    Plan,
    ReportingDeadline,
    Target,
    TargetKind,
    Task,
)
from giamngheo.planning.services import importing
from giamngheo.planning.services.agencies import agencies_seed
from tests.accounts.factories import scoped_user_factory
from tests.planning.test_plans_services import demo_geo, yen_bai_units

pytestmark = pytest.mark.django_db

DATA = Path(__file__).with_name("data")
YEN_BAI = (DATA / "plan-yen-bai-2019.txt").read_text(encoding="utf-8")
KON_RAY = (DATA / "plan-kon-ray-2022.md").read_text(encoding="utf-8")
TODAY = dt.date(2026, 11, 27)


def _save(draft: importing.ImportDraft, unit: object, **options: object) -> importing.ImportResult:
    return importing.plan_import_save(
        unit=unit,  # type: ignore[arg-type]
        actor=options.pop("actor", None),  # type: ignore[arg-type]
        header=options.pop("header", draft.header),  # type: ignore[arg-type]
        targets=draft.targets,
        tasks=draft.tasks,
        deadlines=draft.deadlines,
        funding=draft.funding,
        source_name=draft.source_name,
        source_text=draft.source_text,
        **options,  # type: ignore[arg-type]
    )


def _nothing_saved(agencies_before: int) -> None:
    assert not Plan.objects.exists()
    assert not Target.objects.exists() and not Task.objects.exists()
    assert not ReportingDeadline.objects.exists() and not FundingLine.objects.exists()
    assert Agency.objects.count() == agencies_before
    assert not AuditEvent.objects.filter(action="plan.imported").exists()


# --- reading ------------------------------------------------------------------------------------------


def test_read_upload_refuses_other_types_big_and_empty_files() -> None:
    with pytest.raises(importing.PlanFileError, match=r"chỉ nhận tệp văn bản \.txt, \.md hoặc Word \.docx"):
        importing.read_upload("ke-hoach.pdf", b"%PDF-1.4")
    with pytest.raises(importing.PlanFileError, match="tối đa 2 MB"):
        importing.read_upload("ke-hoach.txt", b"a" * (importing.MAX_BYTES + 1))
    with pytest.raises(importing.PlanFileError, match="không có nội dung"):
        importing.read_upload("ke-hoach.md", b"  \n ")
    with pytest.raises(importing.PlanFileError, match="không phải tệp Word"):
        importing.read_upload("ke-hoach.docx", b"not a zip")
    assert importing.read_upload("a.txt", "Kế hoạch".encode("utf-16")) == "Kế hoạch"


# --- Yên Bái 2019: a province plan whose targets are split over its districts -------------------------


def test_yen_bai_draft_matches_the_district_scopes_and_reads_the_header() -> None:
    province, districts = yen_bai_units()
    draft = importing.draft_from_text(
        unit=province, text=YEN_BAI, source_name="plan-yen-bai-2019.txt", today=TODAY
    )
    header = draft.header
    assert (header.title, header.number, header.issued_on, header.issuer) == (
        "KẾ HOẠCH THỰC HIỆN MỤC TIÊU GIẢM NGHÈO BỀN VỮNG NĂM 2019",
        "131-KH/TU",
        dt.date(2019, 4, 19),
        "Ban Thường vụ Tỉnh ủy",
    )
    assert (header.period_start, header.period_end, header.status) == (
        dt.date(2019, 1, 1),
        dt.date(2019, 12, 31),
        "closed",
    )
    assert header.funding_total == "5.440.412"
    assert (
        header.parent_reference == "Chương trình hành động số 144-CTr/TU ngày 15/02/2019 của Tỉnh ủy Yên Bái"
    )
    assert draft.kept() == {"targets": 29, "tasks": 35, "deadlines": 3, "funding": 5}
    by_unit: dict[int, list[str]] = {}
    for row in draft.targets:
        by_unit.setdefault(row.unit, []).append(row.kind)
    assert by_unit[province.pk] == [TargetKind.POOR_RATE_REDUCTION, TargetKind.POOR_HOUSEHOLDS_REDUCTION]
    assert by_unit[districts["Huyện Trạm Tấu"].pk] == [
        TargetKind.POOR_RATE_REDUCTION,
        TargetKind.POOR_HOUSEHOLDS_REDUCTION,
        TargetKind.END_POOR_RATE,
    ]
    # "Mù Cang Chải" in the plan, "Mù Căng Chải" in the unit list: matched by the folded name
    assert len(by_unit[districts["Huyện Mù Căng Chải"].pk]) == 3
    first = draft.targets[0]
    assert (first.value, first.year, first.source_line) == ("5,8", 2019, 27)


def test_yen_bai_import_saves_every_kept_row_and_reconciles_the_total() -> None:
    province, districts = yen_bai_units()
    agencies_seed(unit=province, actor=None)
    seeded = Agency.objects.count()
    draft = importing.draft_from_text(
        unit=province, text=YEN_BAI, source_name="plan-yen-bai-2019.txt", today=TODAY
    )

    result = _save(draft, province)

    plan = result.plan
    assert result.counts == {"targets": 29, "tasks": 35, "deadlines": 3, "funding": 5}
    assert (plan.targets.count(), plan.tasks.count(), plan.deadlines.count(), plan.funding.count()) == (
        29,
        35,
        3,
        5,
    )
    assert plan.funding_total == Decimal("5440412")
    assert sum(f.planned for f in plan.funding.all()) == Decimal("5440412")
    assert plan.source_text == YEN_BAI and plan.source_name == "plan-yen-bai-2019.txt"
    tram_tau = plan.targets.get(unit=districts["Huyện Trạm Tấu"], kind=TargetKind.END_POOR_RATE)
    assert (tram_tau.value, tram_tau.year, tram_tau.source_line) == (Decimal("44.35"), 2019, 43)
    # the labour department's task resolves to the seeded department (an old plan keeps its agency)
    labour = Agency.objects.get(unit=province, kind="labour_social")
    assert plan.tasks.filter(lead_agencies=labour).count() >= 3
    planning = Agency.objects.get(unit=province, kind="planning_investment")
    assert plan.tasks.filter(lead_agencies=planning).exists()
    assert Agency.objects.count() == seeded + len(result.new_agencies)
    assert all(a.unit == province for a in result.new_agencies)
    event = AuditEvent.objects.get(action="plan.imported")
    assert event.after is not None and event.after["counts"] == result.counts
    assert event.after["new_agencies"] == [a.pk for a in result.new_agencies]
    assert AuditEvent.objects.filter(action="agency.created").count() == Agency.objects.count()


def test_a_wrong_total_is_refused_with_the_difference_and_nothing_is_saved() -> None:
    province, _districts = yen_bai_units()
    draft = importing.draft_from_text(unit=province, text=YEN_BAI, today=TODAY)
    header = dataclasses.replace(draft.header, funding_total="5.440.000")
    with pytest.raises(ValidationError) as caught:
        _save(draft, province, header=header)
    assert caught.value.message_dict["funding_total"] == [
        "Các nguồn vốn được giữ cộng lại 5.440.412 triệu đồng, nhiều hơn tổng nguồn vốn của kế hoạch "
        "(5.440.000 triệu đồng) 412 triệu đồng. Hãy sửa số liệu, hoặc chọn “Lưu dù tổng chưa khớp”."
    ]
    _nothing_saved(0)
    # dropping a line makes the kept lines fall short of the plan's own total
    draft.funding[4].keep = False
    with pytest.raises(ValidationError, match="ít hơn tổng nguồn vốn"):
        _save(draft, province)
    _nothing_saved(0)


def test_a_wrong_total_is_saved_when_the_person_accepts_it() -> None:
    province, _districts = yen_bai_units()
    draft = importing.draft_from_text(unit=province, text=YEN_BAI, today=TODAY)
    header = dataclasses.replace(draft.header, funding_total="5.440.000")
    result = _save(draft, province, header=header, accept_total_mismatch=True)
    assert result.plan.funding_total == Decimal("5440000")
    assert result.counts["funding"] == 5
    event = AuditEvent.objects.get(action="plan.imported")
    assert event.after is not None and event.after["funding_difference"] == "412"


def test_one_bad_row_saves_nothing_and_names_the_row() -> None:
    province, _districts = yen_bai_units()
    agencies_seed(unit=province, actor=None)
    seeded = Agency.objects.count()
    draft = importing.draft_from_text(unit=province, text=YEN_BAI, today=TODAY)
    draft.targets[3].year = 2020
    draft.targets[5].value = "nhiều"
    draft.funding[0].amount = ""
    with pytest.raises(ValidationError) as caught:
        _save(draft, province)
    errors = caught.value.message_dict
    assert errors["targets-3"] == ["Năm 2020 nằm ngoài thời kỳ của kế hoạch (2019–2019)."]
    assert errors["targets-5"] == ["Giá trị “nhiều” không phải là số."]
    assert errors["funding-0"] == ["Hãy nhập số tiền (triệu đồng)."]
    _nothing_saved(seeded)  # not even the agencies the tasks would have added


def test_a_target_for_a_unit_outside_the_plan_is_refused() -> None:
    province, _districts = yen_bai_units()
    geo = demo_geo()
    draft = importing.draft_from_text(unit=province, text=YEN_BAI, today=TODAY)
    draft.targets[0].unit = geo.commune.pk
    with pytest.raises(ValidationError) as caught:
        _save(draft, province)
    assert caught.value.message_dict["targets-0"] == [
        "Xã Đăk Kôi không thuộc Tỉnh Yên Bái, đơn vị của kế hoạch."
    ]
    _nothing_saved(0)


def test_unkept_rows_are_not_saved() -> None:
    province, _districts = yen_bai_units()
    draft = importing.draft_from_text(unit=province, text=YEN_BAI, today=TODAY)
    for row in draft.targets[2:]:
        row.keep = False
    draft.tasks[0].keep = False
    draft.deadlines[2].keep = False
    result = _save(draft, province)
    assert result.counts == {"targets": 2, "tasks": 34, "deadlines": 2, "funding": 5}
    assert list(result.plan.tasks.order_by("position").values_list("position", flat=True)) == list(
        range(1, 35)
    )


# --- Kon Rẫy 2022: a pre-2025 district plan ----------------------------------------------------------


def test_kon_ray_dated_tasks_before_the_start_are_refused_then_saved_with_the_right_period() -> None:
    geo = demo_geo()
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.province)
    agencies_seed(unit=geo.district, actor=officer)
    draft = importing.draft_from_text(unit=geo.district, text=KON_RAY, today=TODAY)
    assert draft.kept() == {"targets": 2, "tasks": 28, "deadlines": 2, "funding": 0}
    # the text gives only the end (2030); the start is the first year a dated task names (April 2022)
    assert (draft.header.period_start, draft.header.period_end) == (
        dt.date(2022, 1, 1),
        dt.date(2030, 12, 31),
    )
    assert draft.header.parent_reference == "Kế hoạch số 51-KH/HU ngày 23-11-2021 của Ban Thường vụ Huyện ủy"
    late = dataclasses.replace(draft.header, period_start=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError) as caught:
        _save(draft, geo.district, actor=officer, header=late)
    errors = caught.value.message_dict
    dated = {key: value for key, value in errors.items() if key.startswith("tasks-")}
    assert len(dated) == 2
    assert {message for messages in dated.values() for message in messages} == {
        "Hạn của nhiệm vụ ngày 30/04/2022 trước ngày bắt đầu của kế hoạch (01/01/2026)."
    }
    assert errors["targets-0"] == ["Năm 2025 nằm ngoài thời kỳ của kế hoạch (2026–2030)."]
    assert not Plan.objects.exists()

    result = _save(draft, geo.district, actor=officer)
    assert result.counts == {"targets": 2, "tasks": 28, "deadlines": 2, "funding": 0}
    plan = result.plan
    assert plan.parent is None and plan.parent_reference.startswith("Kế hoạch số 51-KH/HU")
    labour = Agency.objects.get(unit=geo.district, kind="labour_social")
    task = plan.tasks.get(section="II.1.3")  # line 25; assigned on line 27: "Phòng LĐ-TB&XH chủ trì …"
    assert task.source_line == 25
    assert list(task.lead_agencies.all()) == [labour]
    assert task.lead_text == "Phòng Lao động - Thương binh và Xã hội"
    communes = Agency.objects.get(unit=geo.district, kind="commune_people_committees")
    assert communes in task.coordinating_agencies.all()
    first = plan.tasks.get(section="II.1.1")  # "Các cơ quan, đơn vị thuộc UBND huyện; UBND các xã, thị trấn"
    assert sorted(a.name for a in first.lead_agencies.all()) == [
        "Các cơ quan, đơn vị thuộc Ủy ban nhân dân huyện",
        "Ủy ban nhân dân cấp xã",
    ]
    deadline = plan.deadlines.get(month=11, day=5)
    assert (deadline.kind, deadline.year, deadline.source_line) == ("annual", None, 119)


def test_a_dated_deadline_before_the_start_is_refused() -> None:
    geo = demo_geo()
    draft = importing.draft_from_text(unit=geo.province, text="KẾ HOẠCH\nGiai đoạn 2026-2030\n", today=TODAY)
    draft.deadlines.append(
        importing.DeadlineRow(
            keep=True, text="Báo cáo trước 15/12/2025", kind="dated", month=12, day=15, year=2025,
            every_months=None, source_line=None,
        )
    )  # fmt: skip
    draft.deadlines.append(
        importing.DeadlineRow(
            keep=True, text="Báo cáo 6 tháng", kind="periodic", month=None, day=None, year=None,
            every_months=None, source_line=None,
        )
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        _save(draft, geo.province)
    assert caught.value.message_dict == {
        "deadlines-0": ["Thời hạn báo cáo ngày 15/12/2025 trước ngày bắt đầu của kế hoạch (01/01/2026)."],
        "deadlines-1": ["Định kỳ phải từ 1 đến 12 tháng."],
    }


def test_import_is_refused_to_a_leader_and_outside_the_territory() -> None:
    geo = demo_geo()
    leader = scoped_user_factory(role=Role.LEADER, unit=geo.province)
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo.commune)
    draft = importing.draft_from_text(unit=geo.province, text=KON_RAY, today=TODAY)
    with pytest.raises(PermissionDenied):
        _save(draft, geo.province, actor=leader)
    with pytest.raises(PermissionDenied):
        _save(draft, geo.province, actor=officer)
    assert not Plan.objects.exists()


def test_a_funding_table_by_year_saves_one_line_per_source_and_year() -> None:
    geo = demo_geo()
    text = (DATA.parent / "parsing" / "data" / "unseen" / "tinh-lam-ha-2026-2030.txt").read_text(
        encoding="utf-8"
    )
    draft = importing.draft_from_text(unit=geo.province, text=text, source_name="tinh.txt", today=TODAY)
    years = sorted({row.year for row in draft.funding if row.year is not None})
    assert years == [2026, 2027, 2028, 2029, 2030]

    plan = _save(draft, geo.province, accept_total_mismatch=True).plan

    saved = sorted({f.year for f in plan.funding.all() if f.year is not None})
    assert saved == years
    assert plan.funding.count() == len(draft.funding)
    # a year outside the plan's period is refused on its row
    bad = dataclasses.replace(draft, funding=[dataclasses.replace(draft.funding[0], year=2040)])
    with pytest.raises(ValidationError) as raised:
        _save(bad, geo.province, accept_total_mismatch=True)
    assert any("2040" in str(m) for m in raised.value.message_dict.get("funding-0", []))
