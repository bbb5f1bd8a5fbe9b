"""The coverage store (``support.services.coverage``): what it keeps of an approved round, when it is
written (approval, first read, rebuild, a round approved out of order), and that what may change after
the approval — members, the household's area — is still read live; the coverage page's one-query gaps
equal the gap list's."""

from __future__ import annotations

from typing import Any

import pytest

from giamngheo.registry.models import Household, MemberStatus
from giamngheo.reports.forms.data import scope_for
from giamngheo.review.models import ReviewRound
from giamngheo.support.coverage_selectors import (
    CoverageUnit,
    coverage_unit,
    unit_coverage,
    unit_gaps,
    unit_overview,
)
from giamngheo.support.models import CoverageBasis, CoverageHousehold, CoverageRound
from giamngheo.support.services.coverage import (
    coverage_rebuild,
    coverage_round_store,
    coverage_rounds_ensure,
)
from tests.accounts.factories import admin_factory
from tests.geo.factories import commune_factory
from tests.registry.factories import member_factory
from tests.review.factories import household_with_adult
from tests.support.factories import policy_factory
from tests.support.test_coverage_world import (
    EXPECTED,
    EXPECTED_GAPS,
    POOR,
    RICH,
    YEAR,
    CoverageWorld,
    _round,
    coverage_world,
)

pytestmark = pytest.mark.django_db
__all__ = ["coverage_world"]


def _unit(key: str, year: int = YEAR) -> CoverageUnit:
    viewer = admin_factory()
    scope = scope_for(viewer, key)
    assert scope is not None, key
    unit = coverage_unit(viewer=viewer, scope=scope, year=year)
    assert unit is not None
    return unit


def _stored(review_round: ReviewRound) -> dict[str, tuple[Any, ...]]:
    return {
        code: (klass, village, poor_before, needs)
        for code, klass, village, poor_before, needs in CoverageHousehold.objects.filter(
            review_round=review_round
        ).values_list("household__code", "klass", "village__name", "poor_before", "needs")
    }


def _totals(world: CoverageWorld, key: str = "tinh-98") -> dict[str, tuple[object, ...]]:
    names = {p.pk: name for name, p in world.policies.items()}
    return {
        names[p.pk]: (
            row["eligible"],
            row["covered"],
            row["share"],
            row["records"],
            row["ineligible_records"],
        )
        for p, row in unit_coverage(_unit(key)).total_rows()
    }


def test_the_approval_stores_what_cannot_change(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    assert _stored(w.rounds[("c1", 2025)]) == {
        "H1": ("poor", "Thôn A", 2024, ["preferential_credit", "health_insurance"]),
        "H2": ("not_poor", "Thôn A", 2024, ["preferential_credit"]),  # escaped: poor in 2024
        "H3": ("near_poor", "Thôn B", None, ["education"]),
        "H4": ("poor", None, None, []),
    }
    # H6: above the near-poor line, never poor, no need: no figure counts it
    assert _stored(w.rounds[("c2", 2025)]) == {"H5": ("poor", "Thôn C", None, ["housing", "other"])}
    assert _stored(w.rounds[("c1", 2024)]) == {
        "H1": ("poor", "Thôn A", None, []),
        "H2": ("poor", "Thôn A", None, []),
    }
    marks = dict(CoverageRound.objects.values_list("review_round_id", "households"))
    assert marks == {
        w.rounds[("c1", 2024)].pk: 2,
        w.rounds[("c1", 2025)].pk: 4,
        w.rounds[("c2", 2025)].pk: 1,
    }


def test_rounds_approved_before_the_store_are_stored_when_first_read(coverage_world: CoverageWorld) -> None:
    CoverageHousehold.objects.all().delete()
    CoverageRound.objects.all().delete()
    assert _totals(coverage_world) == EXPECTED
    # the province's 2025 rounds were stored on the way, not the 2024 one (not read)
    assert CoverageRound.objects.count() == 2
    assert coverage_rounds_ensure(ReviewRound.objects.all()) == 1
    assert coverage_rounds_ensure(ReviewRound.objects.all()) == 0


def test_rebuild(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    CoverageHousehold.objects.filter(review_round=w.rounds[("c1", 2025)]).update(klass="near_poor")
    assert coverage_rebuild(province_code="98", year=YEAR) == 2
    assert _stored(w.rounds[("c1", 2025)])["H1"][0] == "poor"
    assert _totals(w) == EXPECTED
    assert coverage_rebuild(province_code="99") == 0
    assert coverage_rebuild() == 3


def test_a_round_not_approved_gets_nothing(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    review_round = w.rounds[("c2", 2025)]
    ReviewRound.objects.filter(pk=review_round.pk).update(status="posting")
    assert coverage_round_store(review_round) == 0
    assert not CoverageRound.objects.filter(review_round=review_round).exists()
    assert not CoverageHousehold.objects.filter(review_round=review_round).exists()


def test_an_earlier_round_approved_later_updates_the_escape(coverage_world: CoverageWorld) -> None:
    """Xã Ba approves 2025 (H7 not poor) before 2024 (H7 poor): on the 2024 approval, H7's 2025 row gets
    its escape year, and the newly-escaped credit counts it."""
    w = coverage_world
    c3 = commune_factory(province=w.province, code="98003", name="Xã Ba")
    h7, head7 = household_with_adult(commune=c3, village=None, code="H7")
    later = _round(c3, YEAR, [(h7, head7, RICH, ["preferential_credit"])])
    assert _stored(later)["H7"] == ("not_poor", None, None, ["preferential_credit"])
    assert _totals(w)["credit"][:2] == (2, 1)  # h1 and h2, as in the world
    _round(c3, 2024, [(h7, head7, POOR, [])])
    assert _stored(later)["H7"] == ("not_poor", None, 2024, ["preferential_credit"])
    assert _totals(w)["credit"][:2] == (3, 1)


def test_members_and_the_area_are_read_live(coverage_world: CoverageWorld) -> None:
    """After the approval: H4's new member counts, H1's member who died does not, and H1 moving into
    town leaves the rural electricity policy's population."""
    w = coverage_world
    member_factory(household=w.households["h4"], full_name="Hồ Thị Mới")
    w.members["m2"].status = MemberStatus.DECEASED
    w.members["m2"].save(update_fields=["status"])
    Household.objects.filter(pk=w.households["h1"].pk).update(area="urban")
    totals = _totals(w)
    # health: h1 head (m2 died, its card no longer counts), h4 head + new member, h5 head
    assert totals["health"][:3] == (4, 1, 25.0)
    # power: rural poor households: h5 only now
    assert totals["power"][:3] == (1, 0, 0.0)


@pytest.mark.parametrize("key", ["tinh-98", "xa-98001", "xa-98002", "village"])
def test_the_page_gaps_equal_the_gap_list(coverage_world: CoverageWorld, key: str) -> None:
    w = coverage_world
    key = f"thon-{w.va.pk}" if key == "village" else key
    unit = _unit(key)
    overview = unit_overview(unit)
    gaps = unit_gaps(unit)
    assert overview.gaps.summary.equals(gaps.summary)
    assert (overview.gaps.stated, overview.gaps.unmet) == (gaps.stated, gaps.unmet)
    assert overview.coverage.figures.total.equals(unit_coverage(unit).figures.total)
    if key == "tinh-98":
        assert (gaps.stated, gaps.unmet) == (4, len(EXPECTED_GAPS))


def test_a_household_in_two_rounds_counts_once_with_its_first_round(coverage_world: CoverageWorld) -> None:
    """H5 listed (by a data error) in Xã Một's round too, with another need: the gaps count it once, with
    the needs of the first round (the lower id), on the page and in the list alike."""
    w = coverage_world
    first = w.rounds[("c1", YEAR)]
    assert first.pk < w.rounds[("c2", YEAR)].pk
    CoverageHousehold.objects.create(
        review_round=first,
        household=w.households["h5"],
        province_code="98",
        village=None,
        klass="poor",
        needs=["clean_water"],
    )
    unit = _unit("tinh-98")
    gaps = unit_gaps(unit)
    unmet = {r["household_id"]: r["unmet"] for r in gaps.households.iter_rows(named=True)}
    assert unmet[w.households["h5"].pk] == ["clean_water"]
    assert gaps.stated == 4
    overview = unit_overview(unit)
    assert overview.gaps.summary.equals(gaps.summary)
    assert (overview.gaps.stated, overview.gaps.unmet) == (gaps.stated, gaps.unmet)


def test_policies_that_name_no_class_count_nobody(coverage_world: CoverageWorld) -> None:
    """A rural member policy and an ethnic-minority policy that name no class (a catalogue being
    written): nobody eligible, and the other policies' figures do not move."""
    w = coverage_world
    empty_rural = policy_factory(
        code="chua-co-dien",
        name="Chưa có diện",
        eligible=[],
        area="rural",
        coverage_basis=CoverageBasis.MEMBERS,
    )
    empty_ethnic = policy_factory(
        code="chua-co-dien-dtts", name="Chưa có diện DTTS", eligible=[], ethnic_minority_only=True
    )
    result = unit_coverage(_unit("tinh-98"))
    rows = dict(result.total_rows())
    assert (rows[empty_rural]["eligible"], rows[empty_ethnic]["eligible"]) == (0, 0)
    names = {p.pk: name for name, p in w.policies.items()}
    assert {names[p.pk]: (r["eligible"], r["covered"]) for p, r in rows.items() if p.pk in names} == {
        name: figures[:2] for name, figures in EXPECTED.items()
    }


def test_the_command_stores_every_approved_round_again(
    coverage_world: CoverageWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import call_command

    from giamngheo.review.models import APPROVED_STATUSES, RoundKind

    approved = ReviewRound.objects.filter(kind=RoundKind.PERIODIC, status__in=APPROVED_STATUSES).count()
    assert approved > 0
    call_command("coverage_store")
    assert f"Đã lưu lại {approved} đợt rà soát" in capsys.readouterr().out
