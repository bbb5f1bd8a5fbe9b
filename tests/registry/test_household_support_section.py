"""The household page's "Hỗ trợ đã nhận" section: loaded from the support app with htmx, with a link for
browsers without JavaScript; refused with the page to the roles the support pages refuse."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import Role, User
from giamngheo.registry.models import Household
from tests.accounts.factories import scoped_user_factory
from tests.registry.conftest import Map
from tests.registry.factories import household_factory, member_factory
from tests.support.factories import policy_factory, record_factory

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def household(geo_map: Map) -> Household:
    found = household_factory(commune=geo_map.c1, village=geo_map.v1, code="HT1")
    member_factory(household=found, full_name="Nguyễn Văn Hỗ")
    return found


def _section(page: str) -> str:
    match = re.search(r'<div id="household-support"[^>]*>.*?</div>', page, re.S)
    assert match is not None, "no support section on the household page"
    return match.group(0)


def test_household_page_loads_the_support_section_with_htmx(geo_map: Map, household: Household) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    fragment = reverse("support:household_support", args=[household.pk])

    response = _client(officer).get(reverse("registry:detail", args=[household.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "support.permissions" not in page  # the template's comment stays in the template
    section = _section(page)
    assert f'hx-get="{fragment}"' in section
    assert 'hx-trigger="load"' in section
    assert 'hx-swap="outerHTML"' in section
    # without JavaScript: a plain link to the same section
    assert f'<a href="{fragment}">Xem các lần hỗ trợ hộ đã nhận</a>' in section


def test_the_section_url_answers_with_the_households_support(geo_map: Map, household: Household) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    policy = policy_factory(name="Thẻ bảo hiểm y tế thử")
    other = household_factory(commune=geo_map.c1, village=geo_map.v1, code="HT2")
    other_policy = policy_factory(name="Chính sách của hộ khác")
    record_factory(policy=policy, household=household, given_on=datetime.date(2025, 11, 20))
    record_factory(policy=other_policy, household=other, given_on=datetime.date(2025, 11, 21))
    client = _client(officer)

    page = client.get(reverse("registry:detail", args=[household.pk])).content.decode()
    url = re.search(r'hx-get="([^"]+)"', _section(page))
    assert url is not None
    response = client.get(url.group(1), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    fragment = response.content.decode()
    assert 'id="household-support"' in fragment  # replaces the placeholder (outerHTML)
    assert "Thẻ bảo hiểm y tế thử" in fragment
    assert "20/11/2025" in fragment
    assert "Chính sách của hộ khác" not in fragment


def test_a_leader_gets_neither_the_page_nor_the_section(geo_map: Map, household: Household) -> None:
    leader = scoped_user_factory(role=Role.LEADER, unit=geo_map.p)
    client = _client(leader)

    page = client.get(reverse("registry:detail", args=[household.pk]))
    fragment = client.get(reverse("support:household_support", args=[household.pk]))

    assert page.status_code == 403
    assert "household-support" not in page.content.decode()
    assert fragment.status_code == 403
    assert "Lãnh đạo" in fragment.content.decode()


def test_a_household_outside_the_territory_is_not_found_either_way(
    geo_map: Map, household: Household
) -> None:
    outsider = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1)
    client = _client(outsider)

    assert client.get(reverse("registry:detail", args=[household.pk])).status_code == 404
    assert client.get(reverse("support:household_support", args=[household.pk])).status_code == 404


def test_a_village_surveyor_sees_the_section_of_a_household_of_their_village(
    geo_map: Map, household: Household
) -> None:
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1)
    policy = policy_factory(name="Miễn học phí thử")
    record_factory(policy=policy, household=household)
    client = _client(surveyor)

    page = client.get(reverse("registry:detail", args=[household.pk]))
    fragment = client.get(reverse("support:household_support", args=[household.pk]), HTTP_HX_REQUEST="true")

    assert page.status_code == 200
    assert "household-support" in page.content.decode()
    assert fragment.status_code == 200
    assert "Miễn học phí thử" in fragment.content.decode()
    assert "Ghi nhận hỗ trợ" not in fragment.content.decode()  # a surveyor does not record support
