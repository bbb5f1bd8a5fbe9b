"""The plan pages: list (scoped, filtered), create, detail with the chain and the source text, edit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.planning.models import Plan
from tests.accounts.factories import PASSWORD, admin_factory, scoped_user_factory
from tests.planning.factories import plan_factory, target_factory
from tests.planning.test_plans_services import demo_geo

pytestmark = pytest.mark.django_db


def _login(client: Client, user: User) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def test_list_shows_the_viewers_plans_with_counts_and_filters(client: Client) -> None:
    geo = demo_geo()
    mine = plan_factory(unit=geo.province, number="126/KH-UBND", title="Kế hoạch tỉnh 2026-2030")
    target_factory(plan=mine)
    old = plan_factory(
        unit=geo.district,
        title="Kế hoạch huyện Kon Rẫy",
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2025, 12, 31),
    )
    plan_factory(unit=geo.other_province, title="Kế hoạch tỉnh khác")
    _login(client, scoped_user_factory(role=Role.LEADER, unit=geo.province))

    html = client.get(reverse("planning:plans")).content.decode()
    assert "Kế hoạch tỉnh 2026-2030" in html and "Kế hoạch huyện Kon Rẫy" in html
    assert "Kế hoạch tỉnh khác" not in html
    assert "Huyện Kon Rẫy, tỉnh Kon Tum (trước 01/07/2025)" in html
    assert 'id="plan-create"' not in html  # a leader reads
    assert f'<tr id="plan-{mine.pk}">' in html

    filtered = client.get(reverse("planning:plans"), {"nam": 2023}).content.decode()
    assert "Kế hoạch huyện Kon Rẫy" in filtered and "Kế hoạch tỉnh 2026-2030" not in filtered
    by_unit = client.get(reverse("planning:plans"), {"don_vi": "huyen-614"}).content.decode()
    assert f'id="plan-{old.pk}"' in by_unit and f'id="plan-{mine.pk}"' not in by_unit


def test_the_nav_links_to_the_plans(client: Client) -> None:
    demo_geo()
    _login(client, admin_factory())
    html = client.get(reverse("planning:plans")).content.decode()
    assert f'<a href="{reverse("planning:plans")}" aria-current="page">Kế hoạch</a>' in html


def test_an_officer_creates_a_commune_plan_under_the_province_plan(client: Client) -> None:
    geo = demo_geo()
    parent = plan_factory(unit=geo.province, title="Kế hoạch tỉnh")
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.province)
    _login(client, officer)
    form = client.get(reverse("planning:plan_create")).content.decode()
    assert 'value="xa-23485"' in form and 'value="tinh-98"' not in form
    response = client.post(
        reverse("planning:plan_create"),
        {
            "unit": "xa-23485",
            "title": "Kế hoạch giảm nghèo xã Đăk Kôi 2026",
            "period_start": "01/01/2026",
            "period_end": "31/12/2026",
            "parent": parent.pk,
            "status": "active",
            "funding_total": "1.250,5",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(unit=geo.commune)
    assert (plan.parent, str(plan.funding_total)) == (parent, "1250.500")
    assert AuditEvent.objects.filter(action="plan.created", actor=officer).count() == 1


def test_create_shows_the_services_messages_on_the_fields(client: Client) -> None:
    geo = demo_geo()
    other = plan_factory(unit=geo.other_province)
    _login(client, admin_factory())
    response = client.post(
        reverse("planning:plan_create"),
        {
            "unit": "xa-23485",
            "title": "Kế hoạch xã",
            "period_start": "01/01/2027",
            "period_end": "31/12/2026",
            "parent": other.pk,
            "status": "active",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ngày kết thúc (31/12/2026) trước ngày bắt đầu (01/01/2027)." in html
    assert "Kế hoạch cấp trên phải là kế hoạch của Xã Đăk Kôi hoặc của đơn vị chứa nó" in html
    assert not Plan.objects.filter(unit=geo.commune).exists()


def test_a_leader_cannot_create(client: Client) -> None:
    geo = demo_geo()
    _login(client, scoped_user_factory(role=Role.LEADER, unit=geo.province))
    response = client.get(reverse("planning:plan_create"))
    assert response.status_code == 403
    assert "Vai trò Lãnh đạo chỉ xem số liệu tổng hợp" in response.content.decode()
    assert client.post(reverse("planning:plan_create"), {"unit": "tinh-51"}).status_code == 403


def test_detail_shows_the_chain_the_parts_and_the_source_lines(client: Client) -> None:
    geo = demo_geo()
    top = plan_factory(
        unit=geo.province, title="Kế hoạch tỉnh", parent_reference="Chỉ thị số 05-CT/TW ngày 23/6/2021"
    )
    plan = plan_factory(
        unit=geo.commune,
        title="Kế hoạch xã",
        parent=top,
        source_text="KẾ HOẠCH\nDòng hai\nDòng ba",
        source_name="xa.md",
    )
    child_of_top = plan_factory(unit=geo.commune2, title="Kế hoạch phường", parent=top)
    target_factory(plan=plan)
    _login(client, scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.province))

    html = client.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    chain = html.split('id="chain"')[1].split("</section>")[0]
    assert (
        chain.index("Chỉ thị số 05-CT/TW ngày 23/6/2021")
        < chain.index("Kế hoạch tỉnh")
        < chain.index("Kế hoạch xã")
    )
    assert f'href="{reverse("planning:plan_detail", args=[top.pk])}"' in chain
    assert 'id="L3"' in html and "Dòng ba" in html
    assert f'href="{reverse("planning:targets", args=[plan.pk])}"' in html
    assert f'href="{reverse("planning:plan_edit", args=[plan.pk])}"' in html

    top_html = client.get(reverse("planning:plan_detail", args=[top.pk])).content.decode()
    assert f'href="{reverse("planning:plan_detail", args=[child_of_top.pk])}"' in top_html
    assert f'href="{reverse("planning:plan_detail", args=[plan.pk])}"' in top_html


def test_detail_is_404_outside_the_territory(client: Client) -> None:
    geo = demo_geo()
    other = plan_factory(unit=geo.other_province)
    _login(client, scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo.commune))
    assert client.get(reverse("planning:plan_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("planning:plan_edit", args=[other.pk])).status_code == 404


def test_edit_changes_the_header_and_refuses_a_leader(client: Client) -> None:
    geo = demo_geo()
    plan = plan_factory(unit=geo.province, title="Kế hoạch cũ")
    leader = Client()
    _login(leader, scoped_user_factory(role=Role.LEADER, unit=geo.province))
    assert leader.get(reverse("planning:plan_edit", args=[plan.pk])).status_code == 403
    _login(client, scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.province))
    form = client.get(reverse("planning:plan_edit", args=[plan.pk])).content.decode()
    assert 'value="Kế hoạch cũ"' in form and 'value="01/01/2026"' in form
    response = client.post(
        reverse("planning:plan_edit", args=[plan.pk]),
        {
            "title": "Kế hoạch mới",
            "period_start": "01/01/2026",
            "period_end": "31/12/2030",
            "status": "closed",
            "parent_reference": "Chỉ thị số 05-CT/TW",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.status, plan.parent_reference, plan.version) == (
        "Kế hoạch mới",
        "closed",
        "Chỉ thị số 05-CT/TW",
        2,
    )
