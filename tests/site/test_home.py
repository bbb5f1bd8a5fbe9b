"""The home page: figures of the viewer's territory only, sections by role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import Role
from giamngheo.geo.models import AdminUnit
from tests.accounts.factories import PASSWORD, scoped_user_factory
from tests.geo.factories import commune_factory
from tests.review.factories import (
    POOR_INCOME,
    adult_facts,
    approve,
    household_facts,
    household_with_adult,
    open_round,
    survey,
)

pytestmark = pytest.mark.django_db


def _approved_commune(*, poor: int, rich: int) -> AdminUnit:
    commune = commune_factory()
    households = []
    for _ in range(poor + rich):
        households.append(household_with_adult(commune=commune))
    review_round = open_round(commune=commune, households=[h for h, _ in households], year=2025)
    for index, (household, member) in enumerate(households):
        facts = household_facts(income=POOR_INCOME, deprived=3) if index < poor else household_facts()
        survey(review_round, household, facts, [adult_facts(member)])
    approve(review_round, posting_day=dt.date(2025, 10, 25))
    return commune


def _client(role: Role, unit: AdminUnit | None) -> Client:
    client = Client()
    user = scoped_user_factory(role=role, unit=unit)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_home_counts_only_the_viewers_commune() -> None:
    mine = _approved_commune(poor=2, rich=2)
    _approved_commune(poor=3, rich=0)  # another commune: not counted

    html = _client(Role.COMMUNE_OFFICER, mine).get(reverse("home")).content.decode()

    assert "Kết quả rà soát năm 2025" in html  # the year is not formatted as 2.025
    assert '<strong>2</strong> <span class="muted">(50,0 %)</span>' in html  # 2 poor of 4 households
    assert "4 hộ đang sinh sống trong địa bàn của bạn." in html
    assert reverse("registry:list") in html


def test_leader_sees_aggregates_and_no_registry_link() -> None:
    commune = _approved_commune(poor=1, rich=3)

    html = _client(Role.LEADER, commune.parent).get(reverse("home")).content.decode()

    assert "Hộ nghèo" in html
    assert '<strong>1</strong> <span class="muted">(25,0 %)</span>' in html
    assert reverse("registry:list") not in html  # neither the card nor the navigation link


def test_home_without_rounds_says_so() -> None:
    commune = commune_factory()
    html = _client(Role.COMMUNE_OFFICER, commune).get(reverse("home")).content.decode()
    assert "Không có đợt rà soát nào đang thực hiện." in html
    assert "Kết quả rà soát năm" not in html
