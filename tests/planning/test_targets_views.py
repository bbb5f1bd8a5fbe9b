"""Targets pages: the table with progress and warnings, forms, cascade, territory and the read-only roles."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.planning.models import Plan, Target, TargetKind
from tests.accounts.conftest import Map, geo_map
from tests.accounts.factories import PASSWORD, scoped_user_factory
from tests.planning.factories import plan_factory, target_factory
from tests.planning.test_targets_services import Rounds, make_rounds

pytestmark = pytest.mark.django_db
__all__ = ["geo_map"]


@pytest.fixture
def rounds(geo_map: Map) -> Rounds:
    return make_rounds(geo_map)


@pytest.fixture
def plan(geo_map: Map) -> Plan:
    return plan_factory(
        unit=geo_map.p,
        number="12/KH-UBND",
        title="Kế hoạch giảm nghèo 2025-2027",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2027, 12, 31),
    )


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _officer(geo: Map) -> Client:
    return _client(scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.p))


def _text(html: str) -> str:
    """The page's text with tags and repeated spaces removed (non-breaking spaces as spaces)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


def test_the_table_shows_progress_from_the_rounds_and_the_warnings(rounds: Rounds, plan: Plan) -> None:
    geo = rounds.geo
    cut = target_factory(plan=plan, kind=TargetKind.POOR_RATE_REDUCTION, value=Decimal(30), year=2025)
    count = target_factory(plan=plan, kind=TargetKind.POOR_HOUSEHOLDS_REDUCTION, value=Decimal(3), year=2025)
    target_factory(plan=plan, unit=geo.c2, kind=TargetKind.END_POOR_RATE, value=Decimal(40), year=2025)
    url = reverse("planning:targets", args=[plan.pk])
    assert url == f"/ke-hoach/{plan.pk}/chi-tieu/"
    page = _officer(geo).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    text = _text(html)
    assert 'id="target-warnings"' in html
    assert (
        "giảm 30,00 điểm % trên 6 hộ là khoảng 1,8 hộ, nhưng chỉ tiêu số hộ thoát nghèo là 3 hộ: "
        "lệch 1,2 hộ (cho phép 1,0 hộ)" in text
    )
    rows = {row.pk: row for row in page.context["rows"]}
    assert (rows[cut.pk].actual, rows[cut.pk].status_label, rows[cut.pk].baseline) == (
        "33,34 điểm %",
        "Đạt",
        "66,67 % (năm 2024)",
    )
    assert (rows[count.pk].actual, rows[count.pk].status_label) == ("2 hộ", "Chệch hướng")
    assert 'class="badge badge-unconfirmed status-off_track"' in html
    assert "2 chỉ tiêu đang chệch hướng" in text and f"<strong>{geo.c2.name}</strong>" in html
    assert 'id="target-add"' in html
    assert reverse("planning:target_edit", args=[plan.pk, cut.pk]) in html
    assert reverse("planning:targets_cascade", args=[plan.pk, count.pk]) in html
    assert reverse("planning:targets_cascade", args=[plan.pk, cut.pk]) in html


def test_a_leader_reads_without_buttons_and_cannot_post(rounds: Rounds, plan: Plan) -> None:
    geo = rounds.geo
    target = target_factory(
        plan=plan, kind=TargetKind.POOR_HOUSEHOLDS_REDUCTION, value=Decimal(10), year=2025
    )
    leader = _client(scoped_user_factory(role=Role.LEADER, unit=geo.p))
    page = leader.get(reverse("planning:targets", args=[plan.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "10 hộ" in _text(html)
    assert 'id="target-add"' not in html and "/sua/" not in html and "/phan-bo/" not in html
    add = reverse("planning:target_add", args=[plan.pk])
    data = {"unit": geo.p.pk, "year": "2026", "kind": TargetKind.END_POOR_RATE, "value": "3"}
    for url, body in (
        (add, data),
        (reverse("planning:target_edit", args=[plan.pk, target.pk]), data),
        (reverse("planning:target_delete", args=[plan.pk, target.pk]), {}),
        (reverse("planning:targets_cascade", args=[plan.pk, target.pk]), {"method": "proportional"}),
    ):
        refused = leader.post(url, body)
        assert refused.status_code == 403, url
        assert "Lãnh đạo chỉ xem" in refused.content.decode()
    assert leader.get(add).status_code == 403
    assert list(Target.objects.values_list("pk", "value")) == [(target.pk, Decimal(10))]
    assert not AuditEvent.objects.filter(target_type="planning.target").exists()


def test_plans_outside_the_territory_are_not_found(geo_map: Map, plan: Plan) -> None:
    target = target_factory(plan=plan, year=2026)
    neighbour = _client(scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.q))
    assert neighbour.get(reverse("planning:targets", args=[plan.pk])).status_code == 404
    assert neighbour.post(reverse("planning:target_add", args=[plan.pk]), {}).status_code == 404
    assert neighbour.post(reverse("planning:target_delete", args=[plan.pk, target.pk])).status_code == 404
    # a commune of the province reads its province's plan but may not change it
    commune = _client(scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1))
    assert commune.get(reverse("planning:targets", args=[plan.pk])).status_code == 200
    assert commune.post(reverse("planning:target_add", args=[plan.pk]), {}).status_code == 403
    assert commune.post(reverse("planning:target_delete", args=[plan.pk, target.pk])).status_code == 403
    assert Target.objects.count() == 1
    # a target of another plan is not found through this one
    other = plan_factory(unit=geo_map.p)
    officer = _officer(geo_map)
    assert officer.get(reverse("planning:target_edit", args=[other.pk, target.pk])).status_code == 404


def test_add_and_edit_through_the_form(geo_map: Map, plan: Plan) -> None:
    client = _officer(geo_map)
    add = reverse("planning:target_add", args=[plan.pk])
    form = client.get(add)
    assert form.status_code == 200
    units = [label for _, label in form.context["form"].fields["unit"].choices]
    assert units == [geo_map.p.name, geo_map.c1.name, geo_map.c2.name]
    years = [value for value, _ in form.context["form"].fields["year"].choices]
    assert years == ["", 2025, 2026, 2027]

    bad = client.post(
        add,
        {
            "unit": geo_map.c1.pk,
            "year": "2026",
            "kind": TargetKind.POOR_RATE_REDUCTION,
            "value": "2",
            "value_max": "1,5",
        },
    )
    assert bad.status_code == 200
    assert "Giá trị tối đa (1,50) nhỏ hơn giá trị chỉ tiêu (2,00)." in bad.content.decode()
    assert Target.objects.count() == 0

    saved = client.post(
        add,
        {
            "unit": geo_map.c1.pk,
            "year": "2026",
            "kind": TargetKind.POOR_RATE_REDUCTION,
            "value": "1,5",
            "value_max": "2",
        },
    )
    assert saved.status_code == 302 and saved["Location"] == reverse("planning:targets", args=[plan.pk])
    target = Target.objects.get()
    assert (target.unit, target.year, target.value, target.value_max) == (
        geo_map.c1,
        2026,
        Decimal("1.5"),
        Decimal(2),
    )

    edit = reverse("planning:target_edit", args=[plan.pk, target.pk])
    page = client.get(edit)
    assert page.context["form"].initial["value"] == "1,50"
    changed = client.post(
        edit,
        {"unit": geo_map.p.pk, "year": "", "kind": TargetKind.POOR_HOUSEHOLDS_REDUCTION, "value": "11.869"},
    )
    assert changed.status_code == 302
    target.refresh_from_db()
    assert (target.unit, target.year, target.kind, target.value) == (
        geo_map.p,
        None,
        TargetKind.POOR_HOUSEHOLDS_REDUCTION,
        Decimal(11869),
    )
    listing = client.get(reverse("planning:targets", args=[plan.pk]))
    assert "11.869 hộ" in _text(listing.content.decode())
    assert "Cả thời kỳ (mỗi năm)" in _text(listing.content.decode())


def test_cascade_page_prefills_the_split_and_refuses_a_bad_one(rounds: Rounds, plan: Plan) -> None:
    geo = rounds.geo
    parent = target_factory(
        plan=plan, kind=TargetKind.POOR_HOUSEHOLDS_REDUCTION, value=Decimal(10), year=2025
    )
    client = _officer(geo)
    url = reverse("planning:targets_cascade", args=[plan.pk, parent.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'name="share_{geo.c1.pk}" value="8"' in html and f'name="share_{geo.c2.pk}" value="2"' in html
    assert "năm 2024" in _text(html)

    bad = client.post(url, {"method": "manual", f"share_{geo.c1.pk}": "6", f"share_{geo.c2.pk}": "3"})
    assert bad.status_code == 200
    assert "Tổng phân bổ là 9 hộ, ít hơn chỉ tiêu 10 hộ là 1 hộ." in bad.content.decode()
    assert not parent.children.exists()

    done = client.post(url, {"method": "proportional"})
    assert done.status_code == 302
    assert sorted(parent.children.values_list("value", flat=True)) == [Decimal(2), Decimal(8)]
    listing = client.get(reverse("planning:targets", args=[plan.pk]))
    children = [row for row in listing.context["rows"] if row.depth == 1]
    assert [(row.unit, row.value) for row in children] == [(geo.c1.name, "8 hộ"), (geo.c2.name, "2 hộ")]
    assert 'id="target-warnings"' not in listing.content.decode()

    end_rate = target_factory(plan=plan, kind=TargetKind.END_POOR_RATE, value=Decimal(3), year=2025)
    refused = client.get(reverse("planning:targets_cascade", args=[plan.pk, end_rate.pk]))
    assert refused.status_code == 403


def test_delete_asks_then_deletes(geo_map: Map, plan: Plan) -> None:
    target = target_factory(plan=plan, kind=TargetKind.END_POOR_RATE, value=Decimal(3), year=2026)
    client = _officer(geo_map)
    url = reverse("planning:target_delete", args=[plan.pk, target.pk])
    page = client.get(url)
    assert page.status_code == 200 and "3,00 %" in _text(page.content.decode())
    assert Target.objects.count() == 1
    assert client.post(url).status_code == 302
    assert Target.objects.count() == 0
