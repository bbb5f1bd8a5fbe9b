"""Funding lines (``planning.services.budget``): validation, all-or-nothing batches, totals and the
reconciliation (Yên Bái 2019: five sources adding up to 5.440.412 million VND)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from giamngheo.accounts.models import AuditEvent
from giamngheo.planning.models import FundingLine, FundingSource, Plan, PlanningAuditAction
from giamngheo.planning.services import budget as services
from giamngheo.planning.services.budget import FundingInput
from tests.geo.factories import commune_factory
from tests.planning.factories import plan_factory
from tests.planning.test_tasks_services import World, make_world

pytestmark = pytest.mark.django_db

YEN_BAI_TOTAL = Decimal("5440412")
#: "Tổng kinh phí … ước khoảng: 5.440.412 triệu đồng, bao gồm: …" (seed plan-yen-bai-2019.txt, lines 81-91).
YEN_BAI_SOURCES = (
    (FundingSource.CENTRAL, "Vốn Trung ương", Decimal("1621667")),
    (FundingSource.LOCAL, "Vốn địa phương", Decimal("367886")),
    (FundingSource.ODA_NGO, "Vốn NGO, ODA", Decimal("418429")),
    (FundingSource.COMMUNITY, "Vốn huy động cộng đồng, doanh nghiệp", Decimal("32430")),
    (FundingSource.CREDIT, "Vốn vay ưu đãi của Ngân hàng Chính sách xã hội", Decimal("3000000")),
)


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def yen_bai(world: World) -> Plan:
    return plan_factory(
        unit=world.p,
        number="123-KH/TU",
        title="Kế hoạch thực hiện mục tiêu giảm nghèo bền vững năm 2019",
        period_start=dt.date(2019, 1, 1),
        period_end=dt.date(2019, 12, 31),
    )


def _yen_bai_inputs() -> list[FundingInput]:
    return [
        FundingInput(source=source, label=label, planned=amount, year=2019, source_line=83 + 2 * i)
        for i, (source, label, amount) in enumerate(YEN_BAI_SOURCES)
    ]


def test_yen_bai_five_sources_reconcile_with_the_declared_total(world: World, yen_bai: Plan) -> None:
    lines = services.funding_lines_save(
        plan=yen_bai, actor=world.officer, lines=_yen_bai_inputs(), declared_total=YEN_BAI_TOTAL
    )
    assert len(lines) == 5
    assert [line.source_line for line in lines] == [83, 85, 87, 89, 91]
    assert AuditEvent.objects.filter(action=PlanningAuditAction.FUNDING_SAVED).count() == 5
    summary = services.funding_summary(FundingLine.objects.filter(plan=yen_bai), YEN_BAI_TOTAL)
    assert summary.total.planned == YEN_BAI_TOTAL
    assert summary.reconciles
    assert [(source, totals.planned) for source, totals in summary.by_source] == [
        (source, amount) for source, _, amount in YEN_BAI_SOURCES
    ]
    assert [(year, totals.planned) for year, totals in summary.by_year] == [(2019, YEN_BAI_TOTAL)]


def test_yen_bai_lines_that_do_not_add_up_save_nothing(world: World, yen_bai: Plan) -> None:
    wrong = _yen_bai_inputs()
    wrong[2] = FundingInput(
        source=FundingSource.ODA_NGO, label="Vốn NGO, ODA", planned=Decimal("418000"), year=2019
    )
    with pytest.raises(ValidationError) as caught:
        services.funding_lines_save(
            plan=yen_bai, actor=world.officer, lines=wrong, declared_total=YEN_BAI_TOTAL
        )
    assert caught.value.message_dict["declared_total"] == [
        "Các dòng cộng lại 5.439.983 triệu đồng, khác tổng kinh phí 5.440.412 triệu đồng (chênh lệch -429). "
        "Không dòng nào được lưu."
    ]
    assert not FundingLine.objects.filter(plan=yen_bai).exists()
    assert not AuditEvent.objects.filter(action=PlanningAuditAction.FUNDING_SAVED).exists()


def test_a_bad_line_in_a_batch_saves_nothing_and_names_the_line(world: World, yen_bai: Plan) -> None:
    lines = _yen_bai_inputs()
    lines[4] = FundingInput(source=FundingSource.CREDIT, planned=Decimal("-3000000"), year=2019)
    with pytest.raises(ValidationError) as caught:
        services.funding_lines_save(plan=yen_bai, actor=world.officer, lines=lines)
    assert caught.value.messages == ["Dòng 5: Kế hoạch không được âm (-3.000.000)."]
    assert not FundingLine.objects.exists()


def test_summary_flags_a_wrong_total_with_the_numbers(world: World, yen_bai: Plan) -> None:
    services.funding_lines_save(plan=yen_bai, actor=world.officer, lines=_yen_bai_inputs())
    summary = services.funding_summary(FundingLine.objects.filter(plan=yen_bai), Decimal("5440000"))
    assert not summary.reconciles
    assert [i.message for i in summary.issues] == [
        "Tổng các dòng 5.440.412 triệu đồng khác tổng kinh phí của kế hoạch 5.440.000 triệu đồng "
        "(chênh lệch +412)."
    ]


def test_funding_save_with_allocation_and_disbursement(world: World) -> None:
    line = services.funding_save(
        plan=world.plan,
        actor=world.officer,
        unit=world.c1,
        year=2027,
        source=FundingSource.CENTRAL,
        project=services.PROGRAMME_PROJECTS[1],
        label="Mô hình giảm nghèo",
        planned=Decimal("1200.5"),
        allocated=Decimal("1000"),
        disbursed=Decimal("640.25"),
    )
    assert (line.unit, line.province_code, line.year) == (world.c1, "98", 2027)
    summary = services.funding_summary([line])
    assert summary.total.rate == Decimal("64.03")
    assert summary.reconciles
    [audit] = AuditEvent.objects.filter(action=PlanningAuditAction.FUNDING_SAVED)
    assert audit.after is not None and audit.after["disbursed"] == "640.25"

    changed = services.funding_save(
        plan=world.plan, actor=world.officer, line=line, source=FundingSource.LOCAL, planned=Decimal("900")
    )
    assert (changed.pk, changed.source, changed.unit, changed.allocated) == (line.pk, "local", world.p, None)
    last = AuditEvent.objects.filter(action=PlanningAuditAction.FUNDING_SAVED).order_by("pk").last()
    assert last is not None and last.before is not None and last.before["source"] == "central"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"planned": Decimal("-1")}, "planned", "Kế hoạch không được âm (-1)."),
        ({"allocated": Decimal("-5")}, "allocated", "Đã phân bổ không được âm (-5)."),
        (
            {"allocated": Decimal("100"), "disbursed": Decimal("100.5")},
            "disbursed",
            "Đã giải ngân (100,5) lớn hơn đã phân bổ (100) triệu đồng.",
        ),
        ({"disbursed": Decimal("10")}, "allocated", "Đã có số giải ngân thì phải nhập số đã phân bổ."),
        ({"year": 2031}, "year", "Năm 2031 ngoài thời gian của kế hoạch (2026–2030)."),
        ({"source": "lottery"}, "source", "Nguồn vốn không hợp lệ."),
        (
            {"planned": Decimal("1.2345")},
            "planned",
            "Kế hoạch: số quá lớn hoặc quá ba chữ số thập phân (1.2345).",
        ),
    ],
)
def test_funding_save_refuses_bad_amounts_and_saves_nothing(
    world: World, fields: dict[str, object], field: str, message: str
) -> None:
    arguments: dict[str, object] = {"source": FundingSource.CENTRAL, "planned": Decimal("100"), **fields}
    with pytest.raises(ValidationError) as caught:
        services.funding_save(plan=world.plan, actor=world.officer, **arguments)  # type: ignore[arg-type]
    assert caught.value.message_dict[field] == [message]
    assert not FundingLine.objects.exists()
    assert not AuditEvent.objects.filter(action=PlanningAuditAction.FUNDING_SAVED).exists()


def test_funding_save_refuses_a_unit_outside_the_plan(world: World) -> None:
    elsewhere = commune_factory(province=world.q, code="96002", name="Xã Xa")
    with pytest.raises(ValidationError) as caught:
        services.funding_save(
            plan=world.plan,
            actor=world.admin,
            unit=elsewhere,
            source=FundingSource.CENTRAL,
            planned=Decimal(1),
        )
    assert caught.value.message_dict["unit"] == ["Xã Xa không thuộc địa bàn của kế hoạch (Tỉnh Thử)."]


@pytest.mark.parametrize("who", ["leader", "other_officer", "labour_member"])
def test_funding_save_is_refused_to_who_may_not_edit_the_plan(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.funding_save(
            plan=world.plan, actor=getattr(world, who), source=FundingSource.CENTRAL, planned=Decimal(1)
        )
    assert not FundingLine.objects.exists()


def test_summary_flags_allocation_above_plan_and_disbursement_above_allocation(world: World) -> None:
    over = services.funding_save(
        plan=world.plan,
        actor=world.officer,
        source=FundingSource.LOCAL,
        label="Hỗ trợ nhà ở",
        planned=Decimal("100"),
        allocated=Decimal("120"),
    )
    # An imported line (written straight to the table) with more disbursed than allocated.
    imported = FundingLine.objects.create(
        plan=world.plan,
        unit=world.p,
        province_code="98",
        source=FundingSource.CENTRAL,
        project="Dự án 4",
        planned=Decimal("50"),
        allocated=Decimal("40"),
        disbursed=Decimal("45"),
    )
    summary = services.funding_summary(FundingLine.objects.filter(plan=world.plan).select_related("unit"))
    assert [(i.line, i.message) for i in summary.issues] == [
        (imported, "Dự án 4: đã giải ngân 45 lớn hơn đã phân bổ 40 triệu đồng."),
        (over, "Hỗ trợ nhà ở: đã phân bổ 120 lớn hơn kế hoạch 100 triệu đồng."),
    ]
    assert summary.total.planned == Decimal("150")
    assert summary.total.allocated == Decimal("160")
    assert summary.total.disbursed == Decimal("45")
    assert summary.total.rate == Decimal("28.13")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5.440.412", Decimal("5440412")),
        ("1.621.667,5", Decimal("1621667.5")),
        (" 32 430 ", Decimal("32430")),
        ("0", Decimal("0")),
        ("", None),
    ],
)
def test_parse_amount(text: str, value: Decimal | None) -> None:
    assert services.parse_amount(text) == value


@pytest.mark.parametrize("text", ["năm triệu", "1,2,3", "NaN", "Infinity"])
def test_parse_amount_refuses_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError):
        services.parse_amount(text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("5440412"), "5.440.412"),
        (Decimal("1234.500"), "1.234,5"),
        (Decimal("0.125"), "0,125"),
        (None, ""),
    ],
)
def test_amount_text(value: Decimal | None, text: str) -> None:
    assert services.amount_text(value) == text
