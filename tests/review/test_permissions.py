"""Who sees what on the review pages: one table of (role × page or action) → HTTP status.

The scenario: an approved periodic round of commune c1 listing H0001 (poor, village V1, head with a
citizen ID), H0002 (village V1B) and H0003 (V1, applied, no Phiếu A yet). Roles: system administrator,
province officer, commune officer of c1, village surveyor of V1 and of V1B, agency viewer and leader of
the province, and a commune officer of another province (outside the territory: 404).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import Role, User
from giamngheo.review.models import ReviewRound, RoundStatus
from giamngheo.review.services import (
    application_record,
    complaint_record,
    meeting_record,
    posting_start,
    round_classify,
)
from tests.accounts.factories import PASSWORD, admin_factory, scoped_user_factory
from tests.registry.conftest import Map
from tests.review.factories import (
    POOR_INCOME,
    adult_facts,
    approve,
    entry_of,
    household_facts,
    household_with_adult,
    open_round,
    survey,
)

pytestmark = pytest.mark.django_db

CITIZEN_ID = "097080000123"
BIRTH_DATE = "20/05/1980"
ROLES = ("admin", "province", "commune", "surveyor", "other_surveyor", "agency", "leader", "outsider")


@dataclass
class Scenario:
    round: ReviewRound
    poor: int  # the round household H0001 (V1)
    applied: int  # H0003 (V1), applied
    v1: int


def _scenario(geo_map: Map) -> Scenario:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    poor, head = household_with_adult(commune=geo_map.c1, village=geo_map.v1, code="H0001")
    head.citizen_id = CITIZEN_ID
    head.save(update_fields=["citizen_id"])
    other, other_head = household_with_adult(commune=geo_map.c1, village=geo_map.v1b, code="H0002")
    applicant, _ = household_with_adult(commune=geo_map.c1, village=geo_map.v1, code="H0003")
    rnd = open_round(commune=geo_map.c1, households=[poor, other], actor=officer)
    application_record(review_round=rnd, household=applicant, actor=officer)
    survey(rnd, poor, household_facts(income=POOR_INCOME, deprived=3), [adult_facts(head)], officer)
    survey(rnd, other, household_facts(), [adult_facts(other_head)], officer)
    rnd.refresh_from_db()
    approve(rnd, actor=officer, posting_day=datetime.date(2026, 11, 1))
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.APPROVED
    return Scenario(rnd, entry_of(rnd, poor).pk, entry_of(rnd, applicant).pk, geo_map.v1.pk)


def _user(geo_map: Map, role: str) -> User:
    makers: dict[str, Callable[[], User]] = {
        "admin": lambda: admin_factory(),
        "province": lambda: scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p),
        "commune": lambda: scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1),
        "surveyor": lambda: scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1),
        "other_surveyor": lambda: scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1b),
        "agency": lambda: scoped_user_factory(role=Role.AGENCY_VIEWER, unit=geo_map.p),
        "leader": lambda: scoped_user_factory(role=Role.LEADER, unit=geo_map.p),
        "outsider": lambda: scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1),
    }
    return makers[role]()


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


# (name, method, url builder, POST data) → expected status per role, in the order of ROLES.
Url = Callable[[Scenario], str]


def _r(name: str, *args: Callable[[Scenario], int]) -> Url:
    return lambda s: reverse(f"review:{name}", args=[s.round.pk, *(a(s) for a in args)])


def _poor(s: Scenario) -> int:
    return s.poor


def _applied(s: Scenario) -> int:
    return s.applied


def _v1(s: Scenario) -> int:
    return s.v1


OK, FORBIDDEN, MISSING, REDIRECT = 200, 403, 404, 302
# admin, province, commune, surveyor, other surveyor, agency, leader, outsider
TABLE: list[tuple[str, str, Url, dict[str, str], tuple[int, ...]]] = [
    ("round list", "get", lambda s: reverse("review:list"), {}, (OK,) * 8),
    ("create a round", "get", lambda s: reverse("review:create"), {}, (OK,) * 3 + (FORBIDDEN,) * 4 + (OK,)),
    ("round page", "get", _r("round"), {}, (OK,) * 7 + (MISSING,)),
    ("transitions", "get", _r("transitions"), {}, (OK,) * 7 + (MISSING,)),
    ("transitions xlsx", "get", _r("transitions_export"), {}, (REDIRECT,) * 7 + (MISSING,)),
    ("household list", "get", _r("households"), {}, (OK,) * 6 + (FORBIDDEN, MISSING)),
    ("round history", "get", _r("history"), {}, (OK,) * 6 + (FORBIDDEN, MISSING)),
    ("complaints", "get", _r("complaints"), {}, (OK,) * 6 + (FORBIDDEN, MISSING)),
    ("results xlsx", "get", _r("results_export"), {}, (OK,) * 6 + (FORBIDDEN, MISSING)),
    ("result", "get", _r("result", _poor), {}, (OK,) * 4 + (MISSING, OK, FORBIDDEN, MISSING)),
    (
        "household history",
        "get",
        _r("entry_history", _poor),
        {},
        (OK,) * 4 + (MISSING, OK, FORBIDDEN, MISSING),
    ),
    ("Phiếu B", "get", _r("survey", _poor), {}, (OK,) * 4 + (MISSING, FORBIDDEN, FORBIDDEN, MISSING)),
    ("Phiếu A", "get", _r("phieu_a", _applied), {}, (OK,) * 4 + (MISSING, FORBIDDEN, FORBIDDEN, MISSING)),
    ("application", "get", _r("application"), {}, (OK,) * 3 + (FORBIDDEN,) * 4 + (MISSING,)),
    (
        "certificate",
        "get",
        _r("certificate", _poor),
        {},
        (OK,) * 4 + (MISSING, FORBIDDEN, FORBIDDEN, MISSING),
    ),
    ("certificates", "get", _r("certificates"), {}, (OK,) * 5 + (FORBIDDEN, FORBIDDEN, MISSING)),
    (
        "Phiếu B xlsx",
        "get",
        _r("survey_template", _v1),
        {},
        (OK,) * 4 + (MISSING, FORBIDDEN, FORBIDDEN, MISSING),
    ),
    # POSTs: an allowed role reaches the service, which refuses the step of an approved round on the page
    # (200); a refused role gets 403 before anything is read.
    ("classify", "post", _r("round"), {"action": "classify"}, (OK,) * 3 + (FORBIDDEN,) * 4 + (MISSING,)),
    (
        "meeting",
        "post",
        _r("round"),
        {"action": "meeting", "village": "", "held_on": "2026-11-02", "chair": "A", "attendees": "3"},
        (OK,) * 3 + (FORBIDDEN,) * 4 + (MISSING,),
    ),
    (
        "record complaint",
        "post",
        _r("complaints"),
        {"action": "record"},
        (OK,) * 3 + (FORBIDDEN,) * 3 + (FORBIDDEN, MISSING),
    ),
    ("application", "post", _r("application"), {}, (OK,) * 3 + (FORBIDDEN,) * 4 + (MISSING,)),
    (
        "Phiếu B",
        "post",
        _r("survey", _poor),
        {"version": "1"},
        (OK,) * 4 + (MISSING, FORBIDDEN, FORBIDDEN, MISSING),
    ),
    ("causes", "post", _r("result", _poor), {}, (OK,) * 4 + (MISSING, FORBIDDEN, FORBIDDEN, MISSING)),
    ("upload", "post", _r("survey_upload", _v1), {}, (OK,) * 4 + (MISSING, FORBIDDEN, FORBIDDEN, MISSING)),
]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_action_by_role(geo_map: Map, role: str) -> None:
    scenario = _scenario(geo_map)
    client = _client(_user(geo_map, role))
    column = ROLES.index(role)
    got, expected = {}, {}
    for name, method, url, data, statuses in TABLE:
        address = url(scenario)
        response = client.post(address, data) if method == "post" else client.get(address)
        got[f"{method} {name}"] = response.status_code
        expected[f"{method} {name}"] = statuses[column]
    assert got == expected


def test_a_leader_is_refused_household_pages_with_the_reason(geo_map: Map) -> None:
    scenario = _scenario(geo_map)
    client = _client(_user(geo_map, "leader"))
    for url in (_r("households")(scenario), _r("result", _poor)(scenario), _r("results_export")(scenario)):
        response = client.get(url)
        assert response.status_code == 403
        assert "Vai trò lãnh đạo chỉ xem số liệu tổng hợp" in response.content.decode(), url


def test_the_leaders_round_page_shows_counts_and_no_household_link(geo_map: Map) -> None:
    scenario = _scenario(geo_map)
    page = _client(_user(geo_map, "leader")).get(_r("round")(scenario)).content.decode()
    assert reverse("review:households", args=[scenario.round.pk]) not in page
    assert reverse("review:history", args=[scenario.round.pk]) not in page
    assert reverse("review:results_export", args=[scenario.round.pk]) not in page
    assert reverse("review:certificates", args=[scenario.round.pk]) not in page
    assert reverse("review:transitions_export", args=[scenario.round.pk]) in page
    assert 'name="action"' not in page
    assert "H0001" not in page
    listing = _client(_user(geo_map, "leader")).get(reverse("review:list")).content.decode()
    assert reverse("review:round", args=[scenario.round.pk]) in listing
    assert reverse("review:create") not in listing


def test_an_agency_viewer_reads_lists_and_results_without_ids_or_forms(geo_map: Map) -> None:
    scenario = _scenario(geo_map)
    client = _client(_user(geo_map, "agency"))
    pages = [
        client.get(_r("round")(scenario)).content.decode(),
        client.get(_r("households")(scenario)).content.decode(),
        client.get(_r("result", _poor)(scenario)).content.decode(),
        client.get(_r("complaints")(scenario)).content.decode(),
        client.get(_r("history")(scenario)).content.decode(),
    ]
    assert "H0001" in pages[1] and "Hồ Văn Minh" in pages[1]
    assert "Hộ nghèo" in pages[2]
    for page in pages:
        assert CITIZEN_ID not in page and BIRTH_DATE not in page and "1980-05-20" not in page
        assert 'name="action"' not in page and 'name="causes"' not in page
        assert reverse("review:survey", args=[scenario.round.pk, scenario.poor]) not in page
    refused = client.post(_r("round")(scenario), {"action": "report"})
    assert refused.status_code == 403
    assert "chỉ được xem" in refused.content.decode()


def test_a_surveyor_is_refused_the_commune_steps_with_the_reason(geo_map: Map) -> None:
    scenario = _scenario(geo_map)
    client = _client(_user(geo_map, "surveyor"))
    response = client.post(_r("round")(scenario), {"action": "classify"})
    assert response.status_code == 403
    assert "Rà soát viên thôn chỉ nhập Phiếu A, Phiếu B" in response.content.decode()
    page = client.get(_r("round")(scenario)).content.decode()
    assert 'name="action"' not in page
    listing = client.get(_r("households")(scenario)).content.decode()
    assert "H0001" in listing and "H0002" not in listing  # H0002 is in V1B


def test_the_household_pages_of_the_commune_officer_link_the_forms(geo_map: Map) -> None:
    scenario = _scenario(geo_map)
    client = _client(_user(geo_map, "commune"))
    listing = client.get(_r("households")(scenario)).content.decode()
    assert reverse("review:survey", args=[scenario.round.pk, scenario.poor]) in listing
    result = client.get(_r("result", _poor)(scenario)).content.decode()
    assert 'name="causes"' in result
    assert reverse("review:entry_history", args=[scenario.round.pk, scenario.poor]) in result
    assert reverse("review:history", args=[scenario.round.pk]) in result  # the tab


def test_a_surveyor_may_not_record_a_village_meeting_through_the_service(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    household, member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = open_round(commune=geo_map.c1, households=[household], actor=officer)
    survey(rnd, household, household_facts(), [adult_facts(member)], officer)
    round_classify(review_round=rnd, actor=officer)
    rnd.refresh_from_db()
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1)
    with pytest.raises(PermissionDenied, match="Rà soát viên thôn"):
        meeting_record(
            review_round=rnd,
            village=geo_map.v1,
            held_on=datetime.date(2026, 11, 1),
            chair="Trưởng thôn",
            attendees=10,
            agreeing=9,
            actor=surveyor,
        )
    assert not rnd.meetings.exists()


def test_a_surveyor_sees_only_the_complaints_about_their_villages_households(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    mine, my_head = household_with_adult(commune=geo_map.c1, village=geo_map.v1, code="H0001")
    theirs, their_head = household_with_adult(commune=geo_map.c1, village=geo_map.v1b, code="H0002")
    rnd = open_round(commune=geo_map.c1, households=[mine, theirs], actor=officer)
    survey(rnd, mine, household_facts(), [adult_facts(my_head)], officer)
    survey(rnd, theirs, household_facts(), [adult_facts(their_head)], officer)
    round_classify(review_round=rnd, actor=officer)
    rnd.refresh_from_db()
    for village in (geo_map.v1, geo_map.v1b):
        meeting_record(
            review_round=rnd,
            village=village,
            held_on=datetime.date(2026, 11, 1),
            chair="Trưởng thôn",
            attendees=10,
            agreeing=9,
            actor=officer,
        )
    posting_start(review_round=rnd, start_date=datetime.date(2026, 11, 2), actor=officer)
    for entry, name in ((entry_of(rnd, mine), "Bà Ka Lan"), (entry_of(rnd, theirs), "Ông Y Bhin")):
        complaint_record(
            review_round=rnd,
            complainant=name,
            received_on=datetime.date(2026, 11, 3),
            content="Xin xem lại.",
            round_household=entry,
            actor=officer,
        )
    url = reverse("review:complaints", args=[rnd.pk])
    surveyor_page = _client(_user(geo_map, "surveyor")).get(url).content.decode()
    officer_page = _client(officer).get(url).content.decode()
    assert "Bà Ka Lan" in surveyor_page and "Ông Y Bhin" not in surveyor_page
    assert "Bà Ka Lan" in officer_page and "Ông Y Bhin" in officer_page
    assert 'value="resolve"' in officer_page and 'value="resolve"' not in surveyor_page
