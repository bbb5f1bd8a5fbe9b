"""The dashboards' "Hỗ trợ" card: each dashboard (province, commune, village) carries a card that loads
its unit's coverage by htmx, and that fragment shows the numbers of the API; leaders see it too."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from giamngheo.accounts.models import Role, User
from giamngheo.review.models import ReviewRound, RoundStatus
from giamngheo.support.coverage_views import percent
from tests.accounts.factories import PASSWORD, scoped_user_factory
from tests.api.factories import client_of, get
from tests.support.test_coverage_world import YEAR, CoverageWorld, coverage_world

pytestmark = pytest.mark.django_db
__all__ = ["coverage_world"]


def _q(params: dict[str, str | int]) -> dict[str, str | int]:
    """Query parameters (typed for the test client)."""
    return params


DASHBOARD = "/bao-cao/bang-dieu-khien/"


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _card_url(html: str) -> str:
    found = re.search(r'id="coverage-card".*?hx-get="([^"]+)"', html, re.S)
    assert found is not None, "no coverage card"
    return found.group(1).replace("&amp;", "&")


@pytest.mark.parametrize("level", ["province", "commune", "village"])
def test_every_dashboard_loads_its_coverage_card(coverage_world: CoverageWorld, level: str) -> None:
    w = coverage_world
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=w.province)
    client = _client(officer)
    url, key = {
        "province": (f"{DASHBOARD}tinh/98/", "tinh-98"),
        "commune": (f"{DASHBOARD}xa/{w.c1.pk}/", "xa-98001"),
        "village": (f"{DASHBOARD}thon/{w.va.pk}/", f"thon-{w.va.pk}"),
    }[level]
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["dashboard"].coverage is not None
    html = page.content.decode()
    card = _card_url(html)
    assert card == f"/ho-tro/do-bao-phu/the/?don_vi={key}&nam={YEAR}"
    assert f'href="/ho-tro/do-bao-phu/?don_vi={key}&amp;nam={YEAR}"' in html  # works without javascript
    fragment = client.get(card)
    assert fragment.status_code == 200
    status, body = get(client_of(officer), "/reports/coverage", unit=key, year=YEAR)
    assert status == 200
    api = {p["name"]: (str(p["eligible"]), str(p["covered"]), percent(p["share"])) for p in body["policies"]}
    shown = [(row.policy.name, (row.eligible, row.covered, row.share)) for row in fragment.context["rows"]]
    assert shown, level
    assert len(shown) <= 5
    for name, figures in shown:
        assert api[name] == figures, (level, name)
    # the largest eligible populations first
    eligible = [int(figures[0]) for _name, figures in shown]
    assert eligible == sorted(eligible, reverse=True)


def test_the_year_of_the_dashboard_is_the_card_year(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=w.c1)
    page = _client(officer).get(f"{DASHBOARD}xa/{w.c1.pk}/", {"nam": 2024})
    assert _card_url(page.content.decode()) == "/ho-tro/do-bao-phu/the/?don_vi=xa-98001&nam=2024"
    fragment = _client(officer).get("/ho-tro/do-bao-phu/the/", _q({"don_vi": "xa-98001", "nam": 2024}))
    rows = {row.policy.name: row for row in fragment.context["rows"]}
    health = rows[w.policies["health"].name]
    assert (health.eligible, health.covered) == ("3", "0")


def test_a_leader_sees_the_card(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    leader = scoped_user_factory(role=Role.LEADER, unit=w.province)
    client = _client(leader)
    html = client.get(f"{DASHBOARD}tinh/98/").content.decode()
    fragment = client.get(_card_url(html))
    assert fragment.status_code == 200
    assert "/ho-tro/thieu-ho-tro/" not in fragment.content.decode()
    assert len(fragment.context["rows"]) == 5


def test_no_card_without_an_approved_year(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=w.c2)
    ReviewRound.objects.filter(commune=w.c2).update(status=RoundStatus.POSTING)
    page = _client(officer).get(f"{DASHBOARD}xa/{w.c2.pk}/")
    assert page.status_code == 200
    assert page.context["dashboard"].coverage is None
    assert 'id="coverage-card"' not in page.content.decode()
