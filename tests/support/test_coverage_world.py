"""A small province with approved rounds, support needs, members, policies and support records, whose
coverage is worked out by hand below (:data:`EXPECTED`); shared by the coverage tests of the support
pages, the API, Biểu 05 and the dashboards. Its own test checks the world is what the numbers assume.

Province 98 "Tỉnh Thử": commune c1 "Xã Một" (villages "Thôn A", "Thôn B", a household without a
village) with approved periodic rounds 2024 and 2025; commune c2 "Xã Hai" (village "Thôn C") with a
2025 round. Support records of 2025 (and a few of 2024, cancelled or out of the unit, that must not
count).

======  ======  =========  ===============  ===============================  =========================
house   where   2024       2025             needs (2025)                     members living there
======  ======  =========  ===============  ===============================  =========================
h1      c1 / A  poor       poor             health_insurance, credit         head, m2 (m3 moved out)
h2      c1 / A  poor       not poor         credit                           head
h3      c1 / B  —          near-poor        education                        head, m4
h4      c1 / —  —          poor (urban)     —                                head
h5      c2 / C  —          poor             housing, other                   head
h6      c2 / C  —          not poor         —                                head
======  ======  =========  ===============  ===============================  =========================

h1 is an ethnic-minority household.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from giamngheo.accounts.models import Role, User
from giamngheo.geo.models import AdminUnit, Village
from giamngheo.registry.models import Household, Member, MemberStatus
from giamngheo.review.models import Result, ReviewRound
from giamngheo.review.services import causes_record
from giamngheo.support.models import Beneficiary, CoverageBasis, Policy, SupportPeriod, SupportRecord
from tests.accounts.factories import scoped_user_factory, village_factory
from tests.geo.factories import commune_factory, province_factory
from tests.registry.factories import member_factory
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
from tests.support.factories import policy_factory, record_factory

POOR = household_facts(income=POOR_INCOME, deprived=3)
NEAR = household_facts(income=POOR_INCOME, deprived=1)
RICH = household_facts()
YEAR = 2025


@dataclass
class CoverageWorld:
    province: AdminUnit
    c1: AdminUnit
    c2: AdminUnit
    va: Village
    vb: Village
    vc: Village
    households: dict[str, Household]
    members: dict[str, Member]
    policies: dict[str, Policy]
    rounds: dict[tuple[str, int], ReviewRound]
    supervisor: User
    records: dict[str, SupportRecord] = field(default_factory=dict)


def _round(
    commune: AdminUnit, year: int, plan: list[tuple[Household, Member, dict[str, Any], list[str]]]
) -> ReviewRound:
    rnd = open_round(commune=commune, households=[h for h, _m, _f, _n in plan], year=year)
    for household, member, facts, needs in plan:
        survey(rnd, household, facts, [adult_facts(member)])
        if needs:
            causes_record(
                round_household=entry_of(rnd, household), causes=[], support_needs=needs, actor=None
            )
    return approve(rnd, posting_day=dt.date(year, 11, 1))


def make_coverage_world() -> CoverageWorld:
    province = province_factory(code="98", name="Tỉnh Thử")
    c1 = commune_factory(province=province, code="98001", name="Xã Một")
    c2 = commune_factory(province=province, code="98002", name="Xã Hai")
    va = village_factory(commune=c1, name="Thôn A")
    vb = village_factory(commune=c1, name="Thôn B")
    vc = village_factory(commune=c2, name="Thôn C")
    h1, head1 = household_with_adult(commune=c1, village=va, ethnic_minority=True, code="H1")
    h2, head2 = household_with_adult(commune=c1, village=va, code="H2")
    h3, head3 = household_with_adult(commune=c1, village=vb, code="H3")
    h4, head4 = household_with_adult(commune=c1, village=None, area="urban", code="H4")
    h5, head5 = household_with_adult(commune=c2, village=vc, code="H5")
    h6, head6 = household_with_adult(commune=c2, village=vc, code="H6")
    rounds = {
        ("c1", 2024): _round(c1, 2024, [(h1, head1, POOR, []), (h2, head2, POOR, [])]),
    }
    rounds[("c1", 2025)] = _round(
        c1,
        2025,
        [
            (h1, head1, POOR, ["health_insurance", "preferential_credit"]),
            (h2, head2, RICH, ["preferential_credit"]),
            (h3, head3, NEAR, ["education"]),
            (h4, head4, POOR, []),
        ],
    )
    rounds[("c2", 2025)] = _round(c2, 2025, [(h5, head5, POOR, ["housing", "other"]), (h6, head6, RICH, [])])
    # members added after the approval still live in the household: they count
    m2 = member_factory(household=h1, full_name="Hồ Thị Hoa")
    m3 = member_factory(household=h1, full_name="Hồ Văn Đi", status=MemberStatus.MOVED_OUT)
    m4 = member_factory(household=h3, full_name="Lê Văn Học")
    policies = {
        "health": policy_factory(
            code="bhyt-ngheo",
            name="Thẻ bảo hiểm y tế cho người thuộc hộ nghèo",
            beneficiary=Beneficiary.MEMBER,
            eligible=["poor"],
            coverage_basis=CoverageBasis.MEMBERS,
            need="health_insurance",
        ),
        "credit": policy_factory(
            code="tin-dung",
            name="Vay vốn ưu đãi",
            eligible=["poor", "near_poor", "newly_escaped"],
            escaped_within_years=3,
            coverage_basis=CoverageBasis.HOUSEHOLDS_WITH_NEED,
            need="preferential_credit",
            period=SupportPeriod.ANY,
        ),
        "power": policy_factory(
            code="tien-dien",
            name="Hỗ trợ tiền điện",
            eligible=["poor"],
            area="rural",
            coverage_basis=CoverageBasis.HOUSEHOLDS,
            period=SupportPeriod.MONTHLY,
        ),
        "school": policy_factory(
            code="hoc-phi",
            name="Miễn, giảm học phí",
            beneficiary=Beneficiary.MEMBER,
            eligible=["poor", "near_poor"],
            coverage_basis=CoverageBasis.HOUSEHOLDS_WITH_NEED,
            need="education",
        ),
        "housing": policy_factory(
            code="nha-o-dtts",
            name="Hỗ trợ nhà ở hộ dân tộc thiểu số",
            eligible=["poor"],
            ethnic_minority_only=True,
            coverage_basis=CoverageBasis.HOUSEHOLDS,
            need="housing",
            period=SupportPeriod.ONCE,
        ),
        "local": policy_factory(
            code="qua-tet-xa-hai",
            name="Quà Tết của Xã Hai",
            eligible=["poor"],
            unit=c2,
            province_code="98",
            coverage_basis=CoverageBasis.HOUSEHOLDS,
        ),
        "old": policy_factory(
            code="het-han",
            name="Chính sách đã hết hiệu lực",
            valid_to=dt.date(2023, 12, 31),
        ),
    }
    supervisor = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=province, full_name="Trần Giám Sát")
    world = CoverageWorld(
        province=province,
        c1=c1,
        c2=c2,
        va=va,
        vb=vb,
        vc=vc,
        households={"h1": h1, "h2": h2, "h3": h3, "h4": h4, "h5": h5, "h6": h6},
        members={"head1": head1, "m2": m2, "m3": m3, "m4": m4, "head3": head3},
        policies=policies,
        rounds=rounds,
        supervisor=supervisor,
    )
    p = policies
    day = dt.date(YEAR, 3, 1)
    world.records = {
        "health_head1": record_factory(policy=p["health"], household=h1, member=head1, given_on=day),
        "health_m2": record_factory(policy=p["health"], household=h1, member=m2, given_on=day),
        "health_m3": record_factory(policy=p["health"], household=h1, member=m3, given_on=day),
        "health_cancelled": record_factory(
            policy=p["health"],
            household=h4,
            member=head4,
            given_on=day,
            cancelled_at=dt.datetime(YEAR, 3, 2, tzinfo=dt.UTC),
        ),
        "health_2024": record_factory(
            policy=p["health"], household=h4, member=head4, given_on=dt.date(2024, 3, 1)
        ),
        "credit_h2": record_factory(policy=p["credit"], household=h2, given_on=dt.date(YEAR, 12, 31)),
        "power_h1_jan": record_factory(policy=p["power"], household=h1, given_on=dt.date(YEAR, 1, 1)),
        "power_h1_feb": record_factory(
            policy=p["power"], household=h1, given_on=dt.date(YEAR, 2, 1), period_key=f"{YEAR}-02"
        ),
        "power_h6": record_factory(
            policy=p["power"],
            household=h6,
            given_on=dt.date(YEAR, 5, 1),
            eligible=False,
            klass="not_poor",
            override_reason="Hộ bị thiệt hại nặng do bão số 3",
            override_by=supervisor,
        ),
        "school_m4": record_factory(policy=p["school"], household=h3, member=m4, given_on=day),
        "local_h5": record_factory(policy=p["local"], household=h5, given_on=day),
    }
    return world


#: The coverage of the whole province in 2025, worked out by hand from the table above, per policy:
#: (eligible, covered, share, records, ineligible records).
EXPECTED: dict[str, tuple[int, int, float | None, int, int]] = {
    # members of poor households living there now: h1 head + m2, h4 head, h5 head (m3 moved out)
    "health": (4, 2, 50.0, 3, 0),
    # poor/near-poor/newly escaped with the need: h1 (poor), h2 (poor in 2024, escaped in 2025)
    "credit": (2, 1, 50.0, 1, 0),
    # rural poor households: h1, h5 (h4 is urban); h6 got it outside the rule (overridden)
    "power": (2, 1, 50.0, 3, 1),
    # poor/near-poor households needing education: h3
    "school": (1, 1, 100.0, 1, 0),
    # ethnic-minority poor households: h1
    "housing": (1, 0, 0.0, 0, 0),
    # Xã Hai's own policy: its poor households, h5
    "local": (1, 1, 100.0, 1, 0),
}
#: Per commune (Xã Một, Xã Hai): (eligible, covered) of each policy.
EXPECTED_COMMUNES: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "health": ((3, 2), (1, 0)),
    "credit": ((2, 1), (0, 0)),
    "power": ((1, 1), (1, 0)),
    "school": ((1, 1), (0, 0)),
    "housing": ((1, 0), (0, 0)),
    "local": ((0, 0), (1, 1)),
}
#: The gaps of the province: households with an unmet need and which.
EXPECTED_GAPS: dict[str, list[str]] = {"h1": ["preferential_credit"], "h5": ["housing", "other"]}


@pytest.fixture
def coverage_world() -> CoverageWorld:
    return make_coverage_world()


@pytest.mark.django_db
def test_the_world_has_the_classes_the_numbers_assume(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    current = dict(
        Result.objects.filter(round__year=YEAR, superseded=False).values_list("household__code", "klass")
    )
    assert current == {
        "H1": "poor",
        "H2": "not_poor",
        "H3": "near_poor",
        "H4": "poor",
        "H5": "poor",
        "H6": "not_poor",
    }
    before = dict(
        Result.objects.filter(round__year=2024, superseded=False).values_list("household__code", "klass")
    )
    assert before == {"H1": "poor", "H2": "poor"}
    assert w.households["h4"].area == "urban"
    assert SupportRecord.objects.count() == 11
