"""The registry pages: list, search, export, household page, history and forms, with who may see what."""

from __future__ import annotations

import datetime
import io
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.registry.models import (
    EventKind,
    Household,
    HouseholdEvent,
    HouseholdStatus,
    Member,
    MemberStatus,
    RegistryAuditAction,
)
from giamngheo.registry.permissions import MASK
from giamngheo.registry.services import household_create, household_update, member_add
from tests.accounts.factories import scoped_user_factory
from tests.registry.conftest import Map
from tests.registry.factories import household_factory, member_factory

pytestmark = pytest.mark.django_db

CITIZEN_ID = "079080001234"  # province 079, male 20th century, born 1980


@dataclass
class World:
    officer: User
    surveyor: User  # village v1
    other_surveyor: User  # village v1b
    agency: User
    leader: User
    outsider: User  # commune officer of d1 (province 96)
    h1: Household  # v1
    h2: Household  # v1b
    head: Member  # of h1


@pytest.fixture
def world(geo_map: Map) -> World:
    h1 = household_factory(commune=geo_map.c1, village=geo_map.v1, code="A1", address="Số 1 đường Lê Lợi")
    head = member_factory(
        household=h1,
        full_name="Nguyễn Văn A",
        date_of_birth=datetime.date(1980, 5, 17),
        citizen_id=CITIZEN_ID,
        ethnicity="01",
        relation_to_head="Chủ hộ",
    )
    Household.objects.filter(pk=h1.pk).update(head=head, ethnic_minority=True)
    member_factory(household=h1, full_name="Trần Thị Bích", sex="female", relation_to_head="Vợ")
    h2 = household_factory(commune=geo_map.c1, village=geo_map.v1b, code="A2")
    member_factory(household=h2, full_name="Lê Văn Cường")
    h1.refresh_from_db()
    return World(
        officer=scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1),
        surveyor=scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1),
        other_surveyor=scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1b),
        agency=scoped_user_factory(role=Role.AGENCY_VIEWER, unit=geo_map.p),
        leader=scoped_user_factory(role=Role.LEADER, unit=geo_map.p),
        outsider=scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1),
        h1=h1,
        h2=h2,
        head=head,
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response: Response) -> str:
    return response.content.decode()


def _url(name: str, *args: Any) -> str:
    return reverse(f"registry:{name}", args=args)


# --- list -------------------------------------------------------------------------------------------


def test_list_shows_the_households_of_the_territory(world: World) -> None:
    response = _client(world.officer).get(_url("list"))

    assert response.status_code == 200
    page = _text(response)
    assert "<html" in page
    assert ">A1</a>" in page and ">A2</a>" in page
    assert "Nguyễn Văn A" in page
    assert "2 hộ" in page
    assert 'aria-current="page">Sổ hộ</a>' in page


def test_list_of_a_surveyor_has_only_their_village(world: World) -> None:
    page = _text(_client(world.surveyor).get(_url("list")))
    assert ">A1</a>" in page
    assert ">A2</a>" not in page


def test_list_htmx_renders_the_table_only(world: World) -> None:
    response = _client(world.officer).get(
        _url("list"), {"village": str(world.h2.village_id)}, HTTP_HX_REQUEST="true"
    )

    page = _text(response)
    assert response.status_code == 200
    assert "<html" not in page and "household-filters" not in page
    assert ">A2</a>" in page and ">A1</a>" not in page
    assert "1 hộ" in page


def test_list_filters_on_status_and_flags(world: World, geo_map: Map) -> None:
    household_factory(commune=geo_map.c1, code="A9", status=HouseholdStatus.MERGED)
    client = _client(world.officer)

    merged = _text(client.get(_url("list"), {"status": "merged"}, HTTP_HX_REQUEST="true"))
    flagged = _text(client.get(_url("list"), {"flags": ["ethnic_minority"]}, HTTP_HX_REQUEST="true"))
    headless = _text(client.get(_url("list"), {"flags": ["no_head"]}, HTTP_HX_REQUEST="true"))

    assert ">A9</a>" in merged and ">A1</a>" not in merged
    assert ">A1</a>" in flagged and ">A2</a>" not in flagged and ">A9</a>" not in flagged
    assert ">A2</a>" in headless and ">A9</a>" in headless and ">A1</a>" not in headless


def test_list_ignores_a_commune_outside_the_territory(world: World, geo_map: Map) -> None:
    household_factory(commune=geo_map.d1, code="D1")
    page = _text(_client(world.officer).get(_url("list"), {"commune": geo_map.d1.pk}))
    assert ">D1</a>" not in page
    assert ">A1</a>" in page  # the filter is dropped, not the territory


def test_search_without_diacritics_finds_the_household(world: World) -> None:
    client = _client(world.officer)

    by_name = _text(client.get(_url("list"), {"q": "nguyen van a"}, HTTP_HX_REQUEST="true"))
    by_id = _text(client.get(_url("list"), {"q": CITIZEN_ID}, HTTP_HX_REQUEST="true"))
    by_code = _text(client.get(_url("list"), {"q": "a2"}, HTTP_HX_REQUEST="true"))
    nothing = _text(client.get(_url("list"), {"q": "khong co ai"}, HTTP_HX_REQUEST="true"))

    assert f'href="{_url("detail", world.h1.pk)}"' in by_name and ">A2</a>" not in by_name
    assert "Tìm thấy 1 hộ" in by_name
    assert ">A1</a>" in by_id and ">A2</a>" not in by_id
    assert ">A2</a>" in by_code and ">A1</a>" not in by_code
    assert "Không tìm thấy hộ nào" in nothing


def test_list_of_thousands_is_paginated_counted_in_vietnamese_and_without_n_plus_1(
    world: World, geo_map: Map, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    Household.objects.bulk_create(
        Household(commune=geo_map.c1, village=geo_map.v1, province_code="97", code=f"B{i:05d}", area="rural")
        for i in range(1200)
    )
    client = _client(world.officer)
    client.get(_url("list"))  # warm the session and the user

    with django_assert_max_num_queries(12):
        response = client.get(_url("list"), {"trang": "2"}, HTTP_HX_REQUEST="true")

    page = _text(response)
    assert "1.202 hộ" in page
    assert "trang 2/25" in page
    assert page.count("<tr class") + page.count("<tr>") - 1 == 50  # 50 rows and the header row
    assert "trang=3" in page and "trang=1" in page


def test_leader_is_refused_with_a_reason(world: World) -> None:
    client = _client(world.leader)
    for url in (_url("list"), _url("detail", world.h1.pk), _url("history", world.h1.pk), _url("export")):
        response = client.get(url)
        assert response.status_code == 403
        assert "Lãnh đạo chỉ xem số liệu tổng hợp" in _text(response)


def test_anonymous_goes_to_the_login_page(world: World) -> None:
    response = Client().get(_url("list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- household page ---------------------------------------------------------------------------------


def test_household_page_shows_members_with_ids_for_an_officer(world: World) -> None:
    page = _text(_client(world.officer).get(_url("detail", world.h1.pk)))

    assert "Hộ A1" in page
    assert "Nguyễn Văn A" in page and "Trần Thị Bích" in page
    assert CITIZEN_ID in page
    assert "17/05/1980" in page
    assert "Kinh" in page
    assert "Hộ dân tộc thiểu số" in page
    assert _url("member_add", world.h1.pk) in page
    assert _url("split", world.h1.pk) in page


def test_agency_viewer_sees_the_household_without_ids_and_without_actions(world: World) -> None:
    page = _text(_client(world.agency).get(_url("detail", world.h1.pk)))

    assert "Nguyễn Văn A" in page
    assert CITIZEN_ID not in page
    assert MASK in page
    assert "17/05/1980" not in page
    assert _url("member_add", world.h1.pk) not in page
    assert _url("edit", world.h1.pk) not in page


def test_household_outside_the_territory_is_404(world: World) -> None:
    assert _client(world.outsider).get(_url("detail", world.h1.pk)).status_code == 404
    assert _client(world.outsider).get(_url("history", world.h1.pk)).status_code == 404
    assert _client(world.other_surveyor).get(_url("detail", world.h1.pk)).status_code == 404
    assert _client(world.other_surveyor).get(_url("edit", world.h1.pk)).status_code == 404
    assert _client(world.surveyor).get(_url("detail", world.h1.pk)).status_code == 200
    assert _client(world.officer).get(_url("detail", 999_999)).status_code == 404


def test_household_page_flags_a_citizen_id_recorded_elsewhere(world: World, geo_map: Map) -> None:
    twin = member_factory(household=world.h2, full_name="Nguyễn Văn A", citizen_id=CITIZEN_ID)
    far = household_factory(commune=geo_map.d1, code="D7")
    member_factory(household=far, full_name="Người ở xa", citizen_id="096090001111")
    member_factory(household=world.h2, full_name="Người trùng xa", citizen_id="096090001111")

    officer_page = _text(_client(world.officer).get(_url("detail", world.h1.pk)))
    surveyor_page = _text(_client(world.surveyor).get(_url("detail", world.h1.pk)))
    far_page = _text(_client(world.officer).get(_url("detail", world.h2.pk)))

    assert "Trùng số" in officer_page
    assert f'href="{_url("detail", twin.household_id)}"' in officer_page
    assert "Trùng số" in surveyor_page
    assert "ở ngoài địa bàn của bạn" in surveyor_page  # v1b is not the surveyor's: no link
    assert f'href="{_url("detail", twin.household_id)}"' not in surveyor_page
    assert "ở ngoài địa bàn của bạn" in far_page and "D7" not in far_page


def test_household_page_queries_do_not_grow_with_its_members(world: World) -> None:
    """No query per member (the citizen ID check reads every number at once)."""
    client = _client(world.officer)
    client.get(_url("detail", world.h1.pk))  # warm the session and the user

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url("detail", world.h1.pk)).status_code == 200
        return len(captured.captured_queries)

    alone = queries()  # no number recorded twice
    member_factory(household=world.h1, full_name="Con 0", citizen_id="079080000100")
    member_factory(household=world.h2, full_name="Người trùng 0", citizen_id="079080000100")
    one_twice = queries()
    for i in range(1, 7):
        member_factory(household=world.h1, full_name=f"Con {i}", citizen_id=f"07908000{i:04d}")
        member_factory(household=world.h2, full_name=f"Người trùng {i}", citizen_id=f"07908000{i:04d}")
    seven_twice = queries()

    assert one_twice == alone + 2  # the viewer's scope rows and the visible records of that number
    assert seven_twice == one_twice
    assert _text(client.get(_url("detail", world.h1.pk))).count("Trùng số") >= 7


# --- history ----------------------------------------------------------------------------------------


def test_history_lists_changes_newest_first_with_vietnamese_labels(world: World, geo_map: Map) -> None:
    household = household_create(
        commune=geo_map.c1, village=geo_map.v1, code="H9", address="Số 1", actor=world.officer
    )
    member_add(
        household=household, full_name="Đinh Thị Hoa", sex="female", citizen_id=None, actor=world.officer
    )
    household.refresh_from_db()
    household_update(
        household=household,
        expected_version=household.version,
        address="Số 2",
        meritorious_family=True,
        actor=world.officer,
    )

    page = _text(_client(world.officer).get(_url("history", household.pk)))

    positions = [page.index(label) for label in ("Sửa thông tin hộ", "Thêm nhân khẩu", "Tạo hộ")]
    assert positions == sorted(positions)  # newest first
    assert "<del>Số 1</del>" in page and "<ins>Số 2</ins>" in page
    assert "Hộ người có công:" in page and "<del>Không</del>" in page and "<ins>Có</ins>" in page
    assert "Nhân khẩu Đinh Thị Hoa" in page
    assert "Họ và tên:" in page and "Giới tính:" in page and "<ins>Nữ</ins>" in page
    assert world.officer.get_full_name() in page
    assert "Thôn V1" in page  # the village's name, not its id


def test_history_hides_ids_and_birth_dates_from_an_agency_viewer(world: World, geo_map: Map) -> None:
    household = household_create(commune=geo_map.c1, village=geo_map.v1, code="H8", actor=world.officer)
    member_add(
        household=household,
        full_name="Nguyễn Văn B",
        sex="male",
        date_of_birth=datetime.date(1980, 1, 2),
        citizen_id=CITIZEN_ID,
        actor=world.officer,
    )

    officer_page = _text(_client(world.officer).get(_url("history", household.pk)))
    agency_page = _text(_client(world.agency).get(_url("history", household.pk)))

    assert CITIZEN_ID in officer_page and "02/01/1980" in officer_page
    assert CITIZEN_ID not in agency_page and "02/01/1980" not in agency_page
    assert MASK in agency_page


# --- create and edit --------------------------------------------------------------------------------


def test_create_household_uses_the_commune_default_area(world: World, geo_map: Map) -> None:
    client = _client(world.officer)
    assert client.get(_url("create")).status_code == 200

    response = client.post(
        _url("create"),
        {"commune": geo_map.c1.pk, "village": geo_map.v1.pk, "code": "N1", "address": "Xóm Trại", "area": ""},
    )

    household = Household.objects.get(code="N1")
    assert response.status_code == 302
    assert response["Location"] == _url("detail", household.pk)
    assert (household.area, household.village, household.address) == ("rural", geo_map.v1, "Xóm Trại")
    assert (
        AuditEvent.objects.filter(action=RegistryAuditAction.HOUSEHOLD_CREATED, actor=world.officer).count()
        == 1
    )


def test_create_household_shows_errors_on_the_fields(world: World, geo_map: Map) -> None:
    client = _client(world.officer)

    taken = _text(client.post(_url("create"), {"commune": geo_map.c1.pk, "code": "a1"}))
    wrong_village = _text(
        client.post(_url("create"), {"commune": geo_map.c1.pk, "village": geo_map.v2.pk, "code": "N2"})
    )
    empty = _text(client.post(_url("create"), {"commune": geo_map.c1.pk, "code": ""}))

    assert 'id="id_code-error">Mã hộ a1 đã có ở' in taken
    assert 'id="id_village-error"' in wrong_village  # v2 is not in the officer's territory
    assert 'id="id_code-error"' in empty
    assert not Household.objects.filter(code__in=["N2", ""]).exists()


def test_surveyor_creates_only_in_their_village(world: World, geo_map: Map) -> None:
    client = _client(world.surveyor)
    refused = client.post(_url("create"), {"commune": geo_map.c1.pk, "code": "N3"})
    created = client.post(_url("create"), {"commune": geo_map.c1.pk, "village": geo_map.v1.pk, "code": "N4"})

    assert refused.status_code == 403
    assert "Rà soát viên thôn chỉ được sửa dữ liệu của thôn được giao" in _text(refused)
    assert created.status_code == 302
    assert not Household.objects.filter(code="N3").exists()


def test_agency_viewer_and_leader_may_not_post(world: World, geo_map: Map) -> None:
    for user in (world.agency, world.leader):
        client = _client(user)
        for url, data in (
            (_url("create"), {"commune": geo_map.c1.pk, "code": "X1"}),
            (_url("member_add", world.h1.pk), {"full_name": "Ai Đó", "sex": "male"}),
            (_url("edit", world.h1.pk), {"version": world.h1.version, "area": "rural"}),
            (_url("list"), {}),
        ):
            response = client.post(url, data)
            assert response.status_code == 403, (user.role, url)
            assert "không được sửa dữ liệu" in _text(response) or "Lãnh đạo" in _text(response)
    assert client.get(_url("create")).status_code == 403
    assert _client(world.agency).get(_url("member_add", world.h1.pk)).status_code == 403
    assert not Member.objects.filter(full_name="Ai Đó").exists()
    assert not Household.objects.filter(code="X1").exists()


def _edit_data(household: Household, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": household.version,
        "village": household.village_id or "",
        "address": household.address,
        "area": household.area,
        "phone": household.phone,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


def test_edit_saves_and_bumps_the_version(world: World) -> None:
    response = _client(world.officer).post(
        _url("edit", world.h1.pk), _edit_data(world.h1, address="Số 5", social_protection="on")
    )

    world.h1.refresh_from_db()
    assert response.status_code == 302
    assert (world.h1.address, world.h1.social_protection, world.h1.version) == ("Số 5", True, 2)
    assert world.h1.ethnic_minority is False  # an unticked box clears the flag


def test_edit_refuses_a_stale_form_and_keeps_the_first_save(world: World) -> None:
    first = _client(world.officer)
    second = _client(world.surveyor)
    form_one = first.get(_url("edit", world.h1.pk))
    form_two = second.get(_url("edit", world.h1.pk))
    assert 'name="version" value="1"' in _text(form_one) and 'name="version" value="1"' in _text(form_two)

    saved = first.post(_url("edit", world.h1.pk), _edit_data(world.h1, address="Nhà mới của A"))
    stale = second.post(_url("edit", world.h1.pk), _edit_data(world.h1, address="Ghi đè"))

    world.h1.refresh_from_db()
    assert saved.status_code == 302
    assert stale.status_code == 200
    assert "Hộ này vừa được người khác cập nhật; vui lòng tải lại trang." in _text(stale)
    assert world.h1.address == "Nhà mới của A"
    assert world.h1.version == 2
    assert AuditEvent.objects.filter(action=RegistryAuditAction.HOUSEHOLD_UPDATED).count() == 1


# --- members --------------------------------------------------------------------------------------


def _member_data(**changes: Any) -> dict[str, Any]:
    data = {
        "full_name": "  Phạm   Thị Dung ",
        "sex": "female",
        "date_of_birth": "03/04/2001",
        "ethnicity": "13",
        "citizen_id": "",
        "relation_to_head": "Con",
    }
    data.update(changes)
    return data


def test_add_member(world: World) -> None:
    response = _client(world.surveyor).post(
        _url("member_add", world.h1.pk), _member_data(citizen_id="001301012345")
    )

    member = Member.objects.get(full_name="Phạm Thị Dung")
    assert response.status_code == 302
    assert (member.household, member.date_of_birth, member.ethnicity, member.citizen_id, member.sex) == (
        world.h1,
        datetime.date(2001, 4, 3),
        "13",
        "001301012345",
        "female",
    )
    assert HouseholdEvent.objects.filter(
        household=world.h1, kind=EventKind.MEMBER_ADDED, member=member
    ).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date_of_birth": "01/01/2999"}, "date_of_birth", "Ngày sinh không thể ở tương lai."),
        ({"date_of_birth": "01/01/1850"}, "date_of_birth", "tuổi trên 130"),
        ({"date_of_birth": "31/02/2001"}, "date_of_birth", ""),
        ({"citizen_id": "12345"}, "citizen_id", "phải có đúng 12 chữ số (đang có 5)"),
        ({"citizen_id": "09708000123a"}, "citizen_id", "chỉ gồm chữ số"),
        ({"citizen_id": "099301012345"}, "citizen_id", "không phải mã tỉnh"),
        ({"citizen_id": "001201012345"}, "citizen_id", "không khớp với giới tính"),
        ({"citizen_id": "001399012345"}, "citizen_id", "không khớp với năm sinh 2001"),
        ({"full_name": "   "}, "full_name", ""),
        ({"sex": "other"}, "sex", ""),
        ({"ethnicity": "99"}, "ethnicity", ""),
    ],
)
def test_add_member_errors_are_shown_on_the_field(
    world: World, changes: dict[str, str], field: str, message: str
) -> None:
    response = _client(world.officer).post(_url("member_add", world.h1.pk), _member_data(**changes))

    page = _text(response)
    assert response.status_code == 200
    assert f'id="id_{field}-error">' in page
    assert message in page.split(f'id="id_{field}-error">', 1)[1].split("</p>", 1)[0]
    assert not Member.objects.filter(full_name="Phạm Thị Dung").exists()


def test_add_the_first_member_as_head(world: World, geo_map: Map) -> None:
    household = household_factory(commune=geo_map.c1, village=geo_map.v1, code="E1")
    client = _client(world.officer)
    form = _text(client.get(_url("member_add", household.pk)))
    assert 'name="is_head" id="id_is_head" checked' in form

    client.post(_url("member_add", household.pk), _member_data(is_head="on", relation_to_head="Chủ hộ"))

    household.refresh_from_db()
    assert household.head is not None and household.head.full_name == "Phạm Thị Dung"


def test_set_head_among_present_members(world: World) -> None:
    wife = Member.objects.get(full_name="Trần Thị Bích")
    client = _client(world.officer)
    other = Member.objects.get(full_name="Lê Văn Cường")

    bad = client.post(_url("set_head", world.h1.pk), {"member": other.pk})
    good = client.post(_url("set_head", world.h1.pk), {"member": wife.pk})

    world.h1.refresh_from_db()
    assert 'id="id_member-error"' in _text(bad)
    assert good.status_code == 302
    assert world.h1.head == wife


def test_move_a_member_by_household_code(world: World, geo_map: Map) -> None:
    wife = Member.objects.get(full_name="Trần Thị Bích")
    household_factory(commune=geo_map.d1, code="Z1")
    client = _client(world.officer)

    unknown = _text(client.post(_url("member_move", wife.pk), {"to_code": "Z1"}))
    itself = _text(client.post(_url("member_move", wife.pk), {"to_code": "A1"}))
    moved = client.post(_url("member_move", wife.pk), {"to_code": "a2", "relation_to_head": "Vợ"})

    wife.refresh_from_db()
    assert "Không tìm thấy hộ có mã Z1 trong" in unknown
    assert "Hãy nhập mã của một hộ khác." in itself
    assert moved.status_code == 302
    assert wife.household == world.h2


def test_a_surveyor_may_not_move_a_member_to_another_village(world: World) -> None:
    wife = Member.objects.get(full_name="Trần Thị Bích")
    response = _client(world.surveyor).post(_url("member_move", wife.pk), {"to_code": "A2"})
    wife.refresh_from_db()
    assert response.status_code == 200  # A2 (village v1b) is not visible to them: not found
    assert "Không tìm thấy hộ có mã A2" in _text(response)
    assert wife.household == world.h1


def test_record_death_and_migration(world: World) -> None:
    wife = Member.objects.get(full_name="Trần Thị Bích")
    client = _client(world.officer)

    future = _text(client.post(_url("member_death", wife.pk), {"date": "01/01/2999"}))
    died = client.post(_url("member_death", world.head.pk), {"date": "02/03/2024", "note": "Ốm"})
    migrated = client.post(
        _url("member_migration", wife.pk), {"date": "05/06/2024", "destination": "Bình Dương", "note": ""}
    )
    again = client.get(_url("member_migration", wife.pk))

    world.head.refresh_from_db()
    wife.refresh_from_db()
    world.h1.refresh_from_db()
    assert 'id="id_date-error">' in future
    assert died.status_code == 302 and world.head.status == MemberStatus.DECEASED
    assert migrated.status_code == 302 and wife.status == MemberStatus.MOVED_OUT
    assert world.h1.head is None
    assert again.status_code == 409
    page = _text(client.get(_url("detail", world.h1.pk)))
    assert "Nhân khẩu qua đời" in page and "Nhân khẩu di cư" in page and "Bình Dương" in page


def test_split_and_merge(world: World, geo_map: Map) -> None:
    son = member_factory(household=world.h1, full_name="Nguyễn Văn Con", relation_to_head="Con")
    client = _client(world.officer)

    everyone = Member.objects.filter(household=world.h1).values_list("pk", flat=True)
    all_away = _text(
        client.post(
            _url("split", world.h1.pk), {"members": list(everyone), "new_head": son.pk, "new_code": "S1"}
        )
    )
    split = client.post(
        _url("split", world.h1.pk),
        {"members": [son.pk], "new_head": son.pk, "new_code": "S1", "village": geo_map.v1.pk},
    )
    new = Household.objects.get(code="S1")
    itself = _text(client.post(_url("merge", new.pk), {"into_code": "S1"}))
    merged = client.post(_url("merge", new.pk), {"into_code": "A1"})

    son.refresh_from_db()
    new.refresh_from_db()
    assert "phải còn ít nhất một người ở lại" in all_away
    assert split.status_code == 302 and split["Location"] == _url("detail", new.pk)
    assert "Hãy nhập mã của một hộ khác." in itself
    assert merged.status_code == 302
    assert (new.status, son.household) == (HouseholdStatus.MERGED, world.h1)
    assert client.get(_url("split", new.pk)).status_code == 409  # a merged household cannot be changed


def test_record_the_household_moved_out(world: World) -> None:
    response = _client(world.officer).post(_url("moved_out", world.h1.pk), {"date": "01/02/2025"})
    world.h1.refresh_from_db()
    assert response.status_code == 302
    assert world.h1.status == HouseholdStatus.MOVED_OUT
    assert set(world.h1.members.values_list("status", flat=True)) == {MemberStatus.MOVED_OUT}


# --- export -----------------------------------------------------------------------------------------


def _workbook(response: Any) -> list[list[Any]]:
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_export_is_the_filtered_list_with_real_dates(world: World) -> None:
    response = _client(world.officer).get(_url("export"), {"village": str(world.h1.village_id)})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = _workbook(response)
    title, header, first = rows[0][0], rows[1], rows[2]
    assert len(rows) == 3
    assert title == f"Danh sách hộ — Thôn V1, Xã Thử 97001 — {timezone.localdate():%d/%m/%Y}"
    assert header[:5] == ["Mã hộ", "Chủ hộ", "Giới tính chủ hộ", "Ngày sinh chủ hộ", "Số định danh chủ hộ"]
    assert first[:5] == ["A1", "Nguyễn Văn A", "Nam", datetime.datetime(1980, 5, 17), CITIZEN_ID]
    assert first[header.index("Số nhân khẩu")] == 2
    assert first[header.index("Hộ dân tộc thiểu số")] == "Có"
    assert first[header.index("Hộ người có công")] == "Không"
    assert first[header.index("Ngày lập")] == datetime.datetime.combine(timezone.localdate(), datetime.time())


def test_export_date_cells_are_formatted_dd_mm_yyyy(world: World) -> None:
    response = _client(world.officer).get(_url("export"))
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert sheet.cell(row=2, column=4).value == "Ngày sinh chủ hộ"
    assert sheet.cell(row=3, column=4).number_format == "dd/mm/yyyy"
    assert sheet.freeze_panes == "A3"  # title and header stay in view


def test_export_for_an_agency_viewer_has_no_ids_or_birth_dates(world: World) -> None:
    rows = _workbook(_client(world.agency).get(_url("export")))
    assert "Số định danh chủ hộ" not in rows[1] and "Ngày sinh chủ hộ" not in rows[1]
    assert all(CITIZEN_ID not in [str(v) for v in row] for row in rows)
    assert all(not isinstance(v, datetime.datetime) or v.year != 1980 for row in rows for v in row)
    assert {row[0] for row in rows[2:]} == {"A1", "A2"}


def test_export_title_names_the_commune_or_leaves_the_place_out(world: World, geo_map: Map) -> None:
    today = f"{timezone.localdate():%d/%m/%Y}"
    province_officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p)

    officer = _workbook(_client(world.officer).get(_url("export")))[0][0]
    chosen = _workbook(_client(province_officer).get(_url("export"), {"commune": geo_map.c1.pk}))[0][0]
    several = _workbook(_client(province_officer).get(_url("export")))[0][0]

    assert officer == f"Danh sách hộ — Xã Thử 97001 — {today}"  # their only commune
    assert chosen == f"Danh sách hộ — Xã Thử 97001 — {today}"
    assert several == f"Danh sách hộ — {today}"


# --- commune → village filter ---------------------------------------------------------------------


def _options(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', page)


def test_village_options_are_those_of_the_chosen_commune(world: World, geo_map: Map) -> None:
    client = _client(scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p))

    c1 = client.get(_url("villages"), {"commune": geo_map.c1.pk}, HTTP_HX_REQUEST="true")
    c2 = client.get(_url("villages"), {"commune": geo_map.c2.pk, "village": geo_map.v2.pk})
    every = client.get(_url("villages"), {"commune": ""})

    assert c1.status_code == 200
    assert _options(_text(c1)) == [
        ("", "Tất cả"),
        (str(geo_map.v1.pk), "Thôn V1"),
        (str(geo_map.v1b.pk), "Thôn V1B"),
    ]
    assert json.loads(c1["HX-Trigger-After-Settle"]) == {"villages-loaded": {}}
    assert _options(_text(c2)) == [("", "Tất cả"), (str(geo_map.v2.pk), "Thôn V2")]
    assert f'<option value="{geo_map.v2.pk}" selected>' in _text(c2)
    assert [value for value, _ in _options(_text(every))] == [
        "",
        str(geo_map.v1.pk),
        str(geo_map.v1b.pk),
        str(geo_map.v2.pk),
    ]
    assert "Thôn V1 — Xã Thử 97001" in _text(every)  # several communes: named with their commune


def test_village_options_stay_inside_the_viewer_territory(world: World, geo_map: Map) -> None:
    surveyor = _text(_client(world.surveyor).get(_url("villages"), {"commune": geo_map.c1.pk}))
    outside = _text(_client(world.officer).get(_url("villages"), {"commune": geo_map.d1.pk}))

    assert _options(surveyor) == [("", "Tất cả"), (str(geo_map.v1.pk), "Thôn V1")]
    assert "W1" not in outside  # a commune outside the territory is ignored: the officer's own villages
    assert [value for value, _ in _options(outside)] == ["", str(geo_map.v1.pk), str(geo_map.v1b.pk)]
    assert _client(world.leader).get(_url("villages")).status_code == 403


def test_the_commune_dropdown_asks_for_its_villages(world: World) -> None:
    page = _text(_client(world.officer).get(_url("list")))
    commune_select = page.split('name="commune"', 1)[1].split(">", 1)[0]
    assert f'hx-get="{_url("villages")}"' in commune_select
    assert 'hx-target="#id_village"' in commune_select
    assert 'hx-trigger="change consume"' in commune_select
    assert "villages-loaded" in page.split('class="form card household-filters"', 1)[1].split(">", 1)[0]


def test_list_ignores_a_village_outside_the_chosen_commune_and_says_so(world: World, geo_map: Map) -> None:
    household_factory(commune=geo_map.c2, village=geo_map.v2, code="C2A")
    household_factory(commune=geo_map.c2, code="C2B")
    client = _client(scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p))

    page = _text(client.get(_url("list"), {"commune": geo_map.c2.pk, "village": geo_map.v1.pk}))
    table = _text(
        client.get(_url("list"), {"commune": geo_map.c2.pk, "village": geo_map.v1.pk}, HTTP_HX_REQUEST="true")
    )
    matching = _text(client.get(_url("list"), {"commune": geo_map.c1.pk, "village": geo_map.v1.pk}))

    notice = "Thôn V1 không thuộc Xã Thử 97002 nên danh sách không lọc theo thôn."
    assert notice in page and notice in table
    assert ">C2A</a>" in page and ">C2B</a>" in page and ">A1</a>" not in page
    village_select = page.split('name="village"', 1)[1].split("</select>", 1)[0]
    assert _options(village_select) == [("", "Tất cả"), (str(geo_map.v2.pk), "Thôn V2")]
    assert notice.split(" nên")[0] not in matching
    assert ">A1</a>" in matching and ">A2</a>" not in matching


def test_export_ignores_a_village_outside_the_chosen_commune(world: World, geo_map: Map) -> None:
    household_factory(commune=geo_map.c2, village=geo_map.v2, code="C2A")
    client = _client(scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p))
    rows = _workbook(client.get(_url("export"), {"commune": geo_map.c2.pk, "village": geo_map.v1.pk}))
    assert [row[0] for row in rows[2:]] == ["C2A"]


# --- member edit ----------------------------------------------------------------------------------


def _member_edit_data(member: Member, household: Household, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": household.version,
        "household": household.pk,
        "full_name": member.full_name,
        "sex": member.sex,
        "date_of_birth": member.date_of_birth.strftime("%d/%m/%Y") if member.date_of_birth else "",
        "ethnicity": member.ethnicity,
        "citizen_id": member.citizen_id or "",
        "relation_to_head": member.relation_to_head,
    }
    data.update(changes)
    return data


def test_household_page_links_to_member_edit_for_editors_only(world: World) -> None:
    link = f'href="{_url("member_edit", world.head.pk)}"'
    assert link in _text(_client(world.officer).get(_url("detail", world.h1.pk)))
    assert link in _text(_client(world.surveyor).get(_url("detail", world.h1.pk)))
    assert link not in _text(_client(world.agency).get(_url("detail", world.h1.pk)))


def test_member_edit_form_is_filled_in(world: World) -> None:
    page = _text(_client(world.officer).get(_url("member_edit", world.head.pk)))

    assert "Sửa thông tin nhân khẩu" in page
    assert 'name="version" value="1"' in page and f'name="household" value="{world.h1.pk}"' in page
    assert 'value="Nguyễn Văn A"' in page and 'value="17/05/1980"' in page and f'value="{CITIZEN_ID}"' in page
    assert 'value="male" id="id_sex_0" required checked' in page
    assert '<option value="01" selected>Kinh</option>' in page
    assert 'name="is_head"' not in page


def test_member_edit_saves_audits_and_goes_back_to_the_household(world: World) -> None:
    client = _client(world.officer)
    response = client.post(
        _url("member_edit", world.head.pk),
        _member_edit_data(world.head, world.h1, full_name=" Nguyễn  Văn Ánh ", date_of_birth="18/05/1980"),
    )

    member = Member.objects.get(pk=world.head.pk)
    world.h1.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == _url("detail", world.h1.pk)
    assert (member.full_name, member.full_name_search, member.date_of_birth) == (
        "Nguyễn Văn Ánh",
        "nguyen van anh",
        datetime.date(1980, 5, 18),
    )
    assert world.h1.version == 2
    audit = AuditEvent.objects.get(action=RegistryAuditAction.MEMBER_UPDATED)
    assert audit.before == {"full_name": "Nguyễn Văn A", "date_of_birth": "1980-05-17"}
    page = _text(client.get(_url("detail", world.h1.pk)))
    assert "Đã lưu thông tin của Nguyễn Văn Ánh." in page
    history = _text(client.get(_url("history", world.h1.pk)))
    assert "Sửa thông tin nhân khẩu" in history and "<del>17/05/1980</del>" in history


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date_of_birth": "01/01/2999"}, "date_of_birth", "Ngày sinh không thể ở tương lai."),
        ({"date_of_birth": "01/01/1850"}, "date_of_birth", "tuổi trên 130"),
        ({"date_of_birth": "31/02/1980"}, "date_of_birth", ""),
        ({"citizen_id": "12345"}, "citizen_id", "phải có đúng 12 chữ số (đang có 5)"),
        ({"citizen_id": "099080001234"}, "citizen_id", "không phải mã tỉnh"),
        ({"sex": "female"}, "citizen_id", "không khớp với giới tính"),
        ({"date_of_birth": "01/01/1990"}, "citizen_id", "không khớp với năm sinh 1990"),
        ({"full_name": "   "}, "full_name", ""),
        ({"ethnicity": "99"}, "ethnicity", ""),
    ],
)
def test_member_edit_errors_are_shown_on_the_field(
    world: World, changes: dict[str, str], field: str, message: str
) -> None:
    response = _client(world.officer).post(
        _url("member_edit", world.head.pk), _member_edit_data(world.head, world.h1, **changes)
    )

    page = _text(response)
    assert response.status_code == 200
    assert f'id="id_{field}-error">' in page
    assert message in page.split(f'id="id_{field}-error">', 1)[1].split("</p>", 1)[0]
    member = Member.objects.get(pk=world.head.pk)
    assert (member.sex, member.date_of_birth, member.citizen_id) == (
        "male",
        datetime.date(1980, 5, 17),
        CITIZEN_ID,
    )
    assert not AuditEvent.objects.exists()


def test_member_edit_refuses_a_stale_form_keeps_both_and_lets_the_user_save_again(world: World) -> None:
    first, second = _client(world.officer), _client(world.surveyor)
    assert 'name="version" value="1"' in _text(second.get(_url("member_edit", world.head.pk)))
    typed = _member_edit_data(world.head, world.h1, full_name="Nguyễn Văn Ba", relation_to_head="Chủ nhà")

    saved = first.post(
        _url("member_edit", world.head.pk), _member_edit_data(world.head, world.h1, ethnicity="13")
    )
    stale = second.post(_url("member_edit", world.head.pk), typed)

    page = _text(stale)
    member = Member.objects.get(pk=world.head.pk)
    assert saved.status_code == 302 and stale.status_code == 200
    assert "Nhân khẩu này hoặc hộ của họ vừa được người khác cập nhật" in page
    assert (member.full_name, member.ethnicity) == ("Nguyễn Văn A", "13")  # the first save is kept
    assert 'value="Nguyễn Văn Ba"' in page and 'value="Chủ nhà"' in page  # so is what was typed
    assert "Thông tin đang được lưu" in page and "<dd>Ba-na</dd>" in page  # beside the saved values
    assert 'name="version" value="2"' in page

    again = second.post(_url("member_edit", world.head.pk), {**typed, "version": 2, "ethnicity": "13"})
    member.refresh_from_db()
    assert again.status_code == 302
    assert (member.full_name, member.relation_to_head, member.ethnicity) == ("Nguyễn Văn Ba", "Chủ nhà", "13")


def test_member_edit_of_a_member_moved_since_the_form_was_opened_is_stale(world: World) -> None:
    client = _client(world.officer)
    wife = Member.objects.get(full_name="Trần Thị Bích")
    typed = _member_edit_data(wife, world.h1, full_name="Trần Thị Bích Ngọc")
    client.post(_url("member_move", wife.pk), {"to_code": "A2", "relation_to_head": "Vợ"})
    Household.objects.filter(pk=world.h2.pk).update(version=world.h1.version)  # same number, other household

    page = _text(client.post(_url("member_edit", wife.pk), typed))

    assert "vừa được người khác cập nhật" in page
    assert Member.objects.get(pk=wife.pk).full_name == "Trần Thị Bích"
    assert f'name="household" value="{world.h2.pk}"' in page


def test_member_edit_without_changes_saves_nothing(world: World) -> None:
    client = _client(world.officer)
    response = client.post(_url("member_edit", world.head.pk), _member_edit_data(world.head, world.h1))
    assert response.status_code == 302
    assert "Không có thay đổi nào để lưu." in _text(client.get(response["Location"]))
    assert not AuditEvent.objects.exists()


def test_member_edit_warns_about_a_citizen_id_recorded_elsewhere(world: World) -> None:
    other = Member.objects.get(full_name="Lê Văn Cường")
    client = _client(world.officer)
    response = client.post(
        _url("member_edit", other.pk),
        _member_edit_data(other, world.h2, citizen_id=CITIZEN_ID, date_of_birth="01/01/1980"),
    )
    assert response.status_code == 302
    assert Member.objects.get(pk=other.pk).citizen_id == CITIZEN_ID
    page = _text(client.get(response["Location"]))
    assert "Số định danh của Lê Văn Cường đã có ở một nhân khẩu khác" in page
    assert "Trùng số" in page


def test_member_edit_outside_the_territory_is_404(world: World) -> None:
    for user in (world.outsider, world.other_surveyor):
        client = _client(user)
        assert client.get(_url("member_edit", world.head.pk)).status_code == 404
        assert client.post(
            _url("member_edit", world.head.pk), _member_edit_data(world.head, world.h1, full_name="X")
        ).status_code in (403, 404)
    assert _client(world.officer).get(_url("member_edit", 999_999)).status_code == 404
    assert Member.objects.get(pk=world.head.pk).full_name == "Nguyễn Văn A"


def test_member_edit_by_a_role_that_cannot_edit_is_403(world: World) -> None:
    for user in (world.agency, world.leader):
        client = _client(user)
        shown = client.get(_url("member_edit", world.head.pk))
        posted = client.post(
            _url("member_edit", world.head.pk), _member_edit_data(world.head, world.h1, full_name="X")
        )
        assert shown.status_code == 403 and posted.status_code == 403, user.role
        assert "không được sửa dữ liệu" in _text(shown) or "Lãnh đạo" in _text(shown)
    assert Member.objects.get(pk=world.head.pk).full_name == "Nguyễn Văn A"


def test_member_edit_of_an_inactive_household_is_refused(world: World) -> None:
    Household.objects.filter(pk=world.h1.pk).update(status=HouseholdStatus.MOVED_OUT)
    response = _client(world.officer).get(_url("member_edit", world.head.pk))
    assert response.status_code == 409
    assert "không còn sinh sống" in _text(response)
