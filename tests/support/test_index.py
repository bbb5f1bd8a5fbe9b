"""The support landing page (/ho-tro/): the pages each role may open, with the counts of its territory,
and the "Hỗ trợ" item of the main navigation."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.accounts.models import Role, User
from giamngheo.registry.models import Household
from giamngheo.support.models import OpeningStatus, Placement, SeekerStatus
from tests.accounts.conftest import Map, geo_map
from tests.accounts.factories import scoped_user_factory, user_factory
from tests.registry.factories import member_factory
from tests.support.factories import (
    helper_factory,
    opening_factory,
    policy_factory,
    record_factory,
    seeker_factory,
)
from tests.support.test_helpers_services import classify, household_with_head

__all__ = ["geo_map"]

pytestmark = pytest.mark.django_db


@dataclass
class World:
    geo: Map
    helped: Household  # c1, poor, with a helper
    unhelped: Household  # c1, poor
    near: Household  # c1, near-poor, supported outside the rules
    officer: User  # commune officer of c1
    outsider: User  # commune officer of d1 (province 96)
    leader: User  # province 97
    surveyor: User  # village v1 of c1
    helper_user: User  # no role, the helper of ``helped``


@pytest.fixture
def world(geo_map: Map) -> World:
    helped = household_with_head(geo_map.c1, geo_map.v1)
    unhelped = household_with_head(geo_map.c1, geo_map.v1b, name="Lò Thị Hoa")
    near = household_with_head(geo_map.c1, geo_map.v1, name="Vừ A Páo")
    in_c2 = household_with_head(geo_map.c2, geo_map.v2, name="Giàng Thị Mai")
    in_d1 = household_with_head(geo_map.d1, geo_map.w1, name="Hà Văn Đông")
    for household in (helped, unhelped, in_c2, in_d1):
        classify(household, "poor")
    classify(near, "near_poor")
    helper_user = user_factory(role="")

    in_force = policy_factory(name="Thẻ BHYT thử", valid_from=dt.date(2020, 1, 1))
    policy_factory(name="Đã hết hiệu lực", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2024, 12, 31))
    policy_factory(name="Không còn áp dụng", active=False)
    policy_factory(name="Chính sách của xã d1", unit=geo_map.d1, province_code="96")
    record_factory(policy=in_force, household=helped)
    record_factory(
        policy=in_force, household=near, eligible=False, override_reason="Hộ bị thiên tai, tỉnh cho phép."
    )
    record_factory(policy=in_force, household=unhelped, cancelled_at=timezone.now())
    record_factory(policy=in_force, household=in_c2)
    record_factory(policy=in_force, household=in_d1, eligible=False, override_reason="Lý do ở tỉnh 96.")

    helper_factory(household=helped, user=helper_user)
    helper_factory(household=in_d1)

    opening_factory(province_code="97")
    opening_factory(province_code="97", status=OpeningStatus.CLOSED)
    placed_in = opening_factory(province_code="97")
    opening_factory(province_code="96")
    opening_factory(province_code="96", abroad=True, country="Nhật Bản")
    seeker_factory(member=member_factory(household=helped, full_name="Hồ Văn Tìm"))
    placed = seeker_factory(
        member=member_factory(household=near, full_name="Vừ A Làm"), status=SeekerStatus.PLACED
    )
    seeker_factory(member=member_factory(household=in_c2, full_name="Giàng A Khác"))
    Placement.objects.create(
        seeker=placed,
        opening=placed_in,
        province_code="97",
        commune=geo_map.c1,
        placed_on=timezone.localdate(),
    )
    return World(
        geo=geo_map,
        helped=helped,
        unhelped=unhelped,
        near=near,
        officer=scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1),
        outsider=scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1),
        leader=scoped_user_factory(role=Role.LEADER, unit=geo_map.p),
        surveyor=scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1),
        helper_user=helper_user,
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _links(page: str) -> dict[str, str]:
    """The page's links by key: ``{key: "title (count)"}``, tags removed."""
    found = {}
    for key, body in re.findall(r'<li data-page="([a-z_]+)">(.*?)</li>', page, re.S):
        found[key] = " ".join(re.sub(r"<[^>]+>", "", body).split())
    return found


def _index(user: User) -> str:
    response = _client(user).get(reverse("support:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_commune_officer_gets_every_page_with_the_counts_of_the_commune(world: World) -> None:
    links = _links(_index(world.officer))
    year = timezone.localdate().year

    assert links == {
        "policies": "Danh mục chính sách (1 chính sách đang áp dụng)",
        "records": "Hỗ trợ đã thực hiện (2 lần hỗ trợ)",
        "record_add": "Ghi nhận hỗ trợ cho một hộ",
        "upload": "Nhập danh sách hỗ trợ từ Excel",
        "coverage": "Độ bao phủ chính sách",
        "gaps": "Hộ có nhu cầu chưa được hỗ trợ",
        "ineligible": "Hỗ trợ ngoài diện (có lý do cho phép) (1 lần hỗ trợ)",
        "helpers": "Hộ nghèo và người giúp đỡ (1/2 hộ nghèo có người giúp đỡ)",
        "without_helper": "Hộ nghèo chưa có người giúp đỡ (1 hộ)",
        "openings": "Việc làm cần tuyển (3 việc làm đang tuyển)",
        "seekers": "Người tìm việc (1 người đang tìm việc)",
        "placement_rate": f"Tỷ lệ có việc làm (1 người nhận việc trong năm {year})",
    }


def test_the_links_point_at_the_pages(world: World) -> None:
    page = _index(world.officer)
    for name in ("policies", "records", "record_add", "upload", "coverage", "coverage_gaps"):
        assert f'href="{reverse(f"support:{name}")}"' in page
    for name in ("coverage_ineligible", "helpers", "without_helper", "openings", "seekers", "placement_rate"):
        assert f'href="{reverse(f"support:{name}")}"' in page


def test_an_officer_of_another_province_counts_their_own_territory(world: World) -> None:
    links = _links(_index(world.outsider))

    assert links["policies"] == "Danh mục chính sách (2 chính sách đang áp dụng)"  # with the own policy of d1
    assert links["records"] == "Hỗ trợ đã thực hiện (1 lần hỗ trợ)"
    assert links["ineligible"] == "Hỗ trợ ngoài diện (có lý do cho phép) (1 lần hỗ trợ)"
    assert links["helpers"] == "Hộ nghèo và người giúp đỡ (1/1 hộ nghèo có người giúp đỡ)"
    assert links["without_helper"] == "Hộ nghèo chưa có người giúp đỡ (0 hộ)"
    assert links["openings"] == "Việc làm cần tuyển (2 việc làm đang tuyển)"
    assert links["seekers"] == "Người tìm việc (0 người đang tìm việc)"


def test_a_leader_gets_the_aggregates_and_no_household_list(world: World) -> None:
    page = _index(world.leader)
    links = _links(page)

    assert set(links) == {"policies", "coverage", "openings", "placement_rate"}
    assert "Vai trò Lãnh đạo chỉ xem số liệu tổng hợp" in page
    client = _client(world.leader)
    for name in ("records", "coverage_gaps", "coverage_ineligible", "helpers", "seekers"):
        assert client.get(reverse(f"support:{name}")).status_code == 403  # not offered, and refused


def test_every_link_offered_opens(world: World) -> None:
    for user in (world.officer, world.leader):
        client = _client(user)
        page = client.get(reverse("support:index")).content.decode()
        urls = re.findall(r'<li data-page="[a-z_]+"><a href="([^"]+)"', page)
        assert urls
        for url in urls:
            assert client.get(url).status_code == 200, (user.role, url)


def test_a_village_surveyor_sees_their_village_and_may_not_record(world: World) -> None:
    links = _links(_index(world.surveyor))

    assert links["records"] == "Hỗ trợ đã thực hiện (2 lần hỗ trợ)"  # both in village v1
    assert "record_add" not in links and "upload" not in links
    assert links["helpers"] == "Hộ nghèo và người giúp đỡ (1/1 hộ nghèo có người giúp đỡ)"


def test_a_helper_without_a_role_sees_only_their_households(world: World) -> None:
    links = _links(_index(world.helper_user))

    assert links == {"my_households": "Hộ tôi giúp đỡ (1 hộ)"}


def test_an_account_without_a_role_or_households_is_refused_with_the_reason(world: World) -> None:
    response = _client(user_factory(role="")).get(reverse("support:index"))

    assert response.status_code == 403
    assert "Tài khoản của bạn chưa được gán vai trò." in response.content.decode()


def test_a_locked_account_is_refused(world: World) -> None:
    world.officer.is_active = False
    world.officer.save(update_fields=["is_active"])
    client = Client()
    client.force_login(world.officer)

    response = client.get(reverse("support:index"))

    assert response.status_code in (302, 403)  # signed out by the authentication backend, or refused
    assert "data-page" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    response = Client().get(reverse("support:index"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_main_navigation_has_the_support_item(world: World) -> None:
    client = _client(world.officer)
    index = client.get(reverse("support:index")).content.decode()
    records = client.get(reverse("support:records")).content.decode()
    home = client.get(reverse("home")).content.decode()
    item = f'<a href="{reverse("support:index")}"'

    assert f'{item} aria-current="page">Hỗ trợ</a>' in index
    assert f'{item} aria-current="true">Hỗ trợ</a>' in records
    assert f"{item}>Hỗ trợ</a>" in home
    # after "Kế hoạch", before "Công việc"
    assert home.index(">Kế hoạch</a>") < home.index(f"{item}>Hỗ trợ</a>") < home.index(">Công việc</a>")
