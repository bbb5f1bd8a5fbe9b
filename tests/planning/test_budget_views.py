"""The budget pages: funding lines with totals and the reconciliation box; the line form; scoping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import User
from giamngheo.planning.models import FundingLine, FundingSource, Plan
from giamngheo.planning.services import budget as services
from tests.planning.factories import plan_factory
from tests.planning.test_budget_services import YEN_BAI_SOURCES
from tests.planning.test_tasks_services import World, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def yen_bai(world: World) -> Plan:
    plan = plan_factory(
        unit=world.p,
        title="Kế hoạch giảm nghèo năm 2019",
        period_start=dt.date(2019, 1, 1),
        period_end=dt.date(2019, 12, 31),
    )
    services.funding_lines_save(
        plan=plan,
        actor=None,
        lines=[
            services.FundingInput(source=source, label=label, planned=amount, year=2019)
            for source, label, amount in YEN_BAI_SOURCES
        ],
    )
    return plan


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_budget_page_shows_sources_and_the_grand_total(world: World, yen_bai: Plan) -> None:
    response = _client(world.leader).get(reverse("planning:budget", args=[yen_bai.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    for words in (
        "Ngân sách trung ương",
        "1.621.667",
        "Vốn tín dụng Ngân hàng Chính sách xã hội",
        "3.000.000",
    ):
        assert words in text
    assert "<strong>5.440.412</strong>" in text
    assert "Số liệu chưa khớp" not in text
    assert reverse("planning:funding_add", args=[yen_bai.pk]) not in text  # a leader reads only


def test_declared_total_that_matches_reconciles(world: World, yen_bai: Plan) -> None:
    text = (
        _client(world.officer)
        .get(reverse("planning:budget", args=[yen_bai.pk]), {"tong": "5.440.412"})
        .content.decode()
    )
    assert "Các dòng khớp với tổng kinh phí 5.440.412 triệu đồng" in text
    assert "Số liệu chưa khớp" not in text


def test_declared_total_that_does_not_match_is_shown_with_the_numbers(world: World, yen_bai: Plan) -> None:
    text = (
        _client(world.officer)
        .get(reverse("planning:budget", args=[yen_bai.pk]), {"tong": "5.440.000"})
        .content.decode()
    )
    assert "Số liệu chưa khớp" in text
    assert (
        "Tổng các dòng 5.440.412 triệu đồng khác tổng kinh phí của kế hoạch 5.440.000 triệu đồng "
        "(chênh lệch +412)." in text
    )


def test_declared_total_that_is_not_a_number(world: World, yen_bai: Plan) -> None:
    text = (
        _client(world.officer)
        .get(reverse("planning:budget", args=[yen_bai.pk]), {"tong": "abc"})
        .content.decode()
    )
    assert "“abc” không phải số tiền." in text


def test_allocation_above_plan_is_highlighted(world: World) -> None:
    FundingLine.objects.create(
        plan=world.plan,
        unit=world.p,
        province_code="98",
        year=2027,
        source=FundingSource.LOCAL,
        label="Hỗ trợ nhà ở",
        planned=Decimal("100"),
        allocated=Decimal("120"),
        disbursed=Decimal("60"),
    )
    text = _client(world.officer).get(reverse("planning:budget", args=[world.plan.pk])).content.decode()
    assert "Hỗ trợ nhà ở: đã phân bổ 120 lớn hơn kế hoạch 100 triệu đồng." in text
    assert 'class="missing"' in text
    assert "50,00" in text  # disbursement rate 60 ÷ 120


def test_another_provinces_budget_is_not_found(world: World) -> None:
    assert _client(world.officer).get(reverse("planning:budget", args=[world.plan_q.pk])).status_code == 404
    assert (
        _client(world.officer).get(reverse("planning:funding_add", args=[world.plan_q.pk])).status_code == 404
    )


def test_officer_adds_a_line_typed_the_vietnamese_way(world: World) -> None:
    response = _client(world.officer).post(
        reverse("planning:funding_add", args=[world.plan.pk]),
        {
            "unit": world.c1.pk,
            "year": "2027",
            "source": FundingSource.CENTRAL,
            "project": services.PROGRAMME_PROJECTS[3],
            "label": "Đào tạo nghề",
            "planned": "1.234,5",
            "allocated": "1.000",
            "disbursed": "250",
        },
    )
    assert response.status_code == 302
    line = FundingLine.objects.get()
    assert (line.unit, line.planned, line.allocated, line.disbursed) == (
        world.c1,
        Decimal("1234.5"),
        Decimal("1000"),
        Decimal("250"),
    )


def test_form_shows_refusals_and_saves_nothing(world: World) -> None:
    url = reverse("planning:funding_add", args=[world.plan.pk])
    client = _client(world.officer)
    over = client.post(
        url, {"unit": world.p.pk, "source": "central", "planned": "100", "allocated": "50", "disbursed": "80"}
    )
    assert over.status_code == 400
    assert "Đã giải ngân (80) lớn hơn đã phân bổ (50) triệu đồng." in over.content.decode()
    negative = client.post(url, {"unit": world.p.pk, "source": "central", "planned": "-5"})
    assert negative.status_code == 400
    assert "Kế hoạch không được âm (-5)." in negative.content.decode()
    words = client.post(url, {"unit": world.p.pk, "source": "central", "planned": "một trăm"})
    assert "không phải số tiền" in words.content.decode()
    assert not FundingLine.objects.exists()


def test_officer_edits_a_line(world: World) -> None:
    line = services.funding_save(
        plan=world.plan, actor=None, source=FundingSource.LOCAL, planned=Decimal("10")
    )
    url = reverse("planning:funding_edit", args=[world.plan.pk, line.pk])
    client = _client(world.officer)
    assert 'value="10"' in client.get(url).content.decode()
    response = client.post(url, {"unit": world.p.pk, "source": "local", "planned": "12", "allocated": "12"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.planned, line.allocated) == (Decimal("12"), Decimal("12"))


@pytest.mark.parametrize("who", ["leader", "vbsp_member"])
def test_who_may_not_edit_gets_403_and_nothing_is_saved(world: World, who: str) -> None:
    client = _client(getattr(world, who))
    url = reverse("planning:funding_add", args=[world.plan.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"unit": world.p.pk, "source": "central", "planned": "100"}).status_code == 403
    assert not FundingLine.objects.exists()


def test_plans_own_total_is_the_default_for_the_reconciliation(world: World, yen_bai: Plan) -> None:
    yen_bai.funding_total = Decimal("5440412")
    yen_bai.save(update_fields=["funding_total"])
    url = reverse("planning:budget", args=[yen_bai.pk])
    text = _client(world.officer).get(url).content.decode()
    assert 'value="5.440.412"' in text
    assert "Tổng nguồn vốn ghi trong kế hoạch" in text
    assert "Các dòng khớp với tổng kinh phí 5.440.412 triệu đồng" in text

    yen_bai.funding_total = Decimal("5440000")
    yen_bai.save(update_fields=["funding_total"])
    text = _client(world.officer).get(url).content.decode()
    assert "(chênh lệch +412)" in text
    # A total typed in the box replaces the plan's for this view.
    text = _client(world.officer).get(url, {"tong": "5.440.412"}).content.decode()
    assert "Số liệu chưa khớp" not in text
