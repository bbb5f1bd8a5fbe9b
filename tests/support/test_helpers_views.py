"""Pages of the helpers of poor households: lists, filters, export, assign, visit, end, scoping."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.support.models import HelperAssignment, HelperKind, HelperVisit
from tests.accounts.factories import PASSWORD
from tests.support.factories import helper_factory
from tests.support.test_helpers_services import World, geo_map, world

__all__ = ["geo_map", "world"]


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _today() -> dt.date:
    return timezone.localdate()


def test_the_list_shows_each_poor_household_with_its_helper_or_the_gap(world: World) -> None:
    helper_factory(household=world.poor, name="Đinh Công Bằng", started_on=dt.date(2026, 1, 10))
    response = _client(world.officer).get(reverse("support:helpers"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.poor.code in html
    assert "Đinh Công Bằng" in html
    assert world.poor_b.code in html
    assert html.count("Chưa có người giúp đỡ</span>") == 1
    assert world.near.code not in html  # near-poor: not on the list
    assert world.poor_c2.code not in html  # another commune
    assert "1/2 hộ nghèo đã có người giúp đỡ" in html


def test_the_list_filters_without_helper_and_by_village(world: World) -> None:
    helper_factory(household=world.poor)
    client = _client(world.officer)
    html = client.get(reverse("support:helpers"), {"helper": "chua"}).content.decode()
    assert world.poor_b.code in html
    assert world.poor.code not in html
    html = client.get(reverse("support:helpers"), {"village": world.geo.v1.pk}).content.decode()
    assert world.poor.code in html
    assert world.poor_b.code not in html


def test_the_list_flags_helpers_who_did_not_visit_in_90_days(world: World) -> None:
    old = helper_factory(household=world.poor, started_on=_today() - dt.timedelta(days=200))
    HelperVisit.objects.create(
        assignment=old, province_code="97", visited_on=_today() - dt.timedelta(days=100), note="Thăm"
    )
    recent = helper_factory(household=world.poor_b, started_on=_today() - dt.timedelta(days=200))
    HelperVisit.objects.create(
        assignment=recent, province_code="97", visited_on=_today() - dt.timedelta(days=10), note="Thăm"
    )
    client = _client(world.officer)
    html = client.get(reverse("support:helpers")).content.decode()
    assert html.count("Quá 90 ngày chưa thăm") == 1
    html = client.get(reverse("support:helpers"), {"not_visited": "on"}).content.decode()
    assert world.poor.code in html
    assert world.poor_b.code not in html


def test_htmx_requests_get_the_table_only(world: World) -> None:
    response = _client(world.officer).get(reverse("support:helpers"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert world.poor.code in html
    assert "<form" not in html


def test_export_lists_the_households_and_their_helpers(world: World) -> None:
    helper_factory(household=world.poor, name="Đinh Công Bằng", phone="0912345678")
    response = _client(world.officer).get(reverse("support:helpers_export"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0].startswith("Hộ nghèo và người giúp đỡ")
    assert rows[1][:5] == ["Xã, phường", "Thôn, tổ dân phố", "Mã hộ", "Chủ hộ", "Người, đơn vị giúp đỡ"]
    by_code = {row[2]: row for row in rows[2:]}
    assert set(by_code) == {world.poor.code, world.poor_b.code}
    assert by_code[world.poor.code][4] == "Đinh Công Bằng"
    assert by_code[world.poor.code][7] == "0912345678"
    assert by_code[world.poor_b.code][4] == "Chưa có người giúp đỡ"


def test_the_without_helper_page(world: World) -> None:
    helper_factory(household=world.poor)
    html = _client(world.province_officer).get(reverse("support:without_helper")).content.decode()
    assert world.poor_b.code in html
    assert world.poor_c2.code in html
    assert world.poor.code not in html
    assert reverse("support:helper_assign", args=[world.poor_b.pk]) in html


@pytest.mark.parametrize("name", ["support:helpers", "support:without_helper", "support:helpers_export"])
def test_leaders_are_refused_the_household_lists(world: World, name: str) -> None:
    response = _client(world.leader).get(reverse(name))
    assert response.status_code == 403
    assert "chỉ xem số liệu tổng hợp" in response.content.decode()


def test_assign_through_the_form(world: World) -> None:
    client = _client(world.officer)
    url = reverse("support:helper_assign", args=[world.poor.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": HelperKind.PERSON,
            "name": "Đinh Công Bằng",
            "position": "Hội Nông dân xã",
            "phone": "0912345678",
            "username": world.helper_user.username,
            "started_on": _today().strftime("%d/%m/%Y"),
        },
    )
    assignment = HelperAssignment.objects.get(household=world.poor)
    assert response.status_code == 302
    assert response["Location"] == reverse("support:helper_detail", args=[assignment.pk])
    assert assignment.user == world.helper_user
    # A second one is refused on the form, naming the current helper, until "replace" is ticked.
    response = client.post(
        url,
        {"kind": HelperKind.ORGANISATION, "name": "Hội Phụ nữ", "started_on": _today().strftime("%d/%m/%Y")},
    )
    assert response.status_code == 200
    assert "đang có người giúp đỡ: Đinh Công Bằng" in response.content.decode()
    assert HelperAssignment.objects.filter(household=world.poor).count() == 1


def test_assign_page_outside_the_territory_is_404(world: World) -> None:
    response = _client(world.officer_c2).get(reverse("support:helper_assign", args=[world.poor.pk]))
    assert response.status_code == 404


def test_assign_page_for_a_surveyor_says_why(world: World) -> None:
    response = _client(world.surveyor).get(reverse("support:helper_assign", args=[world.poor.pk]))
    assert response.status_code == 403
    assert "Rà soát viên thôn" in response.content.decode()


def test_helper_page_and_scoping(world: World) -> None:
    assignment = helper_factory(household=world.poor, name="Đinh Công Bằng", user=world.helper_user)
    HelperVisit.objects.create(
        assignment=assignment, province_code="97", visited_on=dt.date(2026, 2, 3), note="Hướng dẫn vay vốn"
    )
    url = reverse("support:helper_detail", args=[assignment.pk])
    html = _client(world.officer).get(url).content.decode()
    assert "Đinh Công Bằng" in html
    assert "Hướng dẫn vay vốn" in html
    assert "03/02/2026" in html
    assert reverse("support:helper_end", args=[assignment.pk]) in html
    assert _client(world.officer_c2).get(url).status_code == 404
    assert _client(world.leader).get(url).status_code == 403


def test_a_helper_without_a_role_sees_their_households_and_records_visits(world: World) -> None:
    assignment = helper_factory(household=world.poor, name="Đinh Công Bằng", user=world.helper_user)
    client = _client(world.helper_user)
    html = client.get(reverse("support:my_households")).content.decode()
    assert world.poor.code in html
    assert world.poor_b.code not in html
    assert client.get(reverse("support:helpers")).status_code == 403  # no household lists
    detail = client.get(reverse("support:helper_detail", args=[assignment.pk]))
    assert detail.status_code == 200
    assert reverse("support:helper_end", args=[assignment.pk]) not in detail.content.decode()
    response = client.post(
        reverse("support:helper_visit", args=[assignment.pk]),
        {"visited_on": _today().strftime("%d/%m/%Y"), "note": "Hướng dẫn làm chuồng trại"},
    )
    assert response.status_code == 302
    visit = HelperVisit.objects.get(assignment=assignment)
    assert (visit.note, visit.recorded_by) == ("Hướng dẫn làm chuồng trại", world.helper_user)
    other = helper_factory(household=world.poor_b)
    assert client.get(reverse("support:helper_detail", args=[other.pk])).status_code == 403


def test_a_visit_in_the_future_is_refused_on_the_form(world: World) -> None:
    assignment = helper_factory(household=world.poor, started_on=dt.date(2026, 1, 1))
    response = _client(world.officer).post(
        reverse("support:helper_visit", args=[assignment.pk]),
        {"visited_on": (_today() + dt.timedelta(days=1)).strftime("%d/%m/%Y"), "note": "Thăm"},
    )
    assert response.status_code == 200
    assert "Ngày thăm không được sau hôm nay" in response.content.decode()
    assert not HelperVisit.objects.exists()


def test_end_through_the_form(world: World) -> None:
    assignment = helper_factory(household=world.poor, started_on=dt.date(2026, 1, 1))
    response = _client(world.officer).post(
        reverse("support:helper_end", args=[assignment.pk]),
        {"ended_on": _today().strftime("%d/%m/%Y"), "reason": "Hộ đã thoát nghèo"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.ended_on, assignment.end_reason) == (_today(), "Hộ đã thoát nghèo")


def test_the_visit_and_end_forms_open(world: World) -> None:
    assignment = helper_factory(household=world.poor, name="Đinh Công Bằng")
    client = _client(world.officer)
    for name, fragment in (("support:helper_visit", "Ngày thăm"), ("support:helper_end", "Lý do kết thúc")):
        response = client.get(reverse(name, args=[assignment.pk]))
        assert response.status_code == 200
        assert fragment in response.content.decode()
