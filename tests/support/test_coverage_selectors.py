"""The coverage read from the database for the hand-worked world (``test_coverage_world``): the province,
a commune, a village, the gaps, the ineligible records, the policies that apply, and the territory."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.accounts.models import Role
from giamngheo.reports.forms.data import scope_for
from giamngheo.support.coverage_selectors import (
    CoverageUnit,
    UnitCoverage,
    applicable_policies,
    coverage_unit,
    form_unit,
    gap_households,
    ineligible_records,
    unit_coverage,
    unit_gaps,
)
from giamngheo.support.models import CoverageBasis
from tests.accounts.factories import admin_factory, scoped_user_factory
from tests.support.factories import policy_factory, record_factory
from tests.support.test_coverage_world import (
    EXPECTED,
    EXPECTED_COMMUNES,
    EXPECTED_GAPS,
    YEAR,
    CoverageWorld,
    coverage_world,
)

pytestmark = pytest.mark.django_db
__all__ = ["coverage_world"]


def _unit(key: str, viewer: object = None, year: int = YEAR) -> CoverageUnit:
    viewer = viewer or admin_factory()
    scope = scope_for(viewer, key)  # type: ignore[arg-type]
    assert scope is not None, key
    unit = coverage_unit(viewer=viewer, scope=scope, year=year)  # type: ignore[arg-type]
    assert unit is not None
    return unit


def _by_code(result: UnitCoverage, world: CoverageWorld) -> dict[str, tuple[object, ...]]:
    names = {p.pk: name for name, p in world.policies.items()}
    return {
        names[p.pk]: (
            row["eligible"],
            row["covered"],
            row["share"],
            row["records"],
            row["ineligible_records"],
        )
        for p, row in result.total_rows()
    }


def test_province_coverage_is_the_hand_worked_one(coverage_world: CoverageWorld) -> None:
    result = unit_coverage(_unit("tinh-98"))
    assert _by_code(result, coverage_world) == EXPECTED
    assert [s.name for s in result.sub_units] == ["Xã Một", "Xã Hai"]
    assert [s.key for s in result.sub_units] == ["xa-98001", "xa-98002"]


def test_policies_in_name_order_without_the_expired_one(coverage_world: CoverageWorld) -> None:
    result = unit_coverage(_unit("tinh-98"))
    assert [p.name for p in result.policies] == sorted(p.name for p in result.policies)
    assert "het-han" not in {p.code for p in result.policies}
    assert len(result.policies) == 6


def test_province_rows_per_commune_add_up(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    result = unit_coverage(_unit("tinh-98"))
    rows = dict(result.sub_unit_rows()[0:2])
    first, second = result.sub_units
    for name, (c1, c2) in EXPECTED_COMMUNES.items():
        policy = w.policies[name]
        got = []
        for sub in (first, second):
            figures = dict(rows[sub])[policy]
            got.append((figures["eligible"], figures["covered"]) if figures else (0, 0))
        assert tuple(got) == (c1, c2), name
    # the ineligible record sits in Xã Hai (h6)
    power = dict(rows[second])[w.policies["power"]]
    assert power is not None and (power["records"], power["ineligible_records"]) == (1, 1)


def test_commune_rows_are_villages_with_the_household_without_village_last(
    coverage_world: CoverageWorld,
) -> None:
    w = coverage_world
    result = unit_coverage(_unit("xa-98001"))
    assert [s.name for s in result.sub_units] == ["Thôn A", "Thôn B", "Hộ chưa gắn thôn"]
    assert [s.key for s in result.sub_units] == [f"thon-{w.va.pk}", f"thon-{w.vb.pk}", ""]
    health = dict(result.total_rows())[w.policies["health"]]
    assert (health["eligible"], health["covered"], health["share"]) == (3, 2, 66.67)
    by_village = {sub.name: dict(cells)[w.policies["health"]] for sub, cells in result.sub_unit_rows()}
    assert by_village["Thôn A"] is not None and by_village["Thôn A"]["eligible"] == 2
    assert by_village["Hộ chưa gắn thôn"] is not None and by_village["Hộ chưa gắn thôn"]["eligible"] == 1
    assert by_village["Thôn B"] is None  # no poor household there
    assert w.policies["local"] not in result.policies  # Xã Hai's own policy does not apply here
    school = dict(result.total_rows())[w.policies["school"]]
    assert by_village["Thôn A"] is not None
    assert (school["eligible"], school["covered"], school["share"]) == (1, 1, 100.0)


def test_village_coverage(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    result = unit_coverage(_unit(f"thon-{w.va.pk}"))
    rows = dict(result.total_rows())
    totals = {name: rows[p] for name, p in w.policies.items() if p in rows}
    assert set(totals) == {"health", "credit", "power", "school", "housing"}
    assert (totals["health"]["eligible"], totals["health"]["covered"]) == (2, 2)
    assert (totals["credit"]["eligible"], totals["credit"]["covered"]) == (2, 1)
    assert (totals["school"]["eligible"], totals["power"]["records"]) == (0, 2)
    assert [s.name for s in result.sub_units] == ["Thôn A"]


def test_a_year_without_records_or_rounds(coverage_world: CoverageWorld) -> None:
    unit = _unit("tinh-98", year=2024)
    assert [r.commune.code for r in unit.rounds] == ["98001"]
    result = unit_coverage(unit)
    health = dict(result.total_rows())[coverage_world.policies["health"]]
    # 2024: h1 and h2 poor; their members living there now (h1: head and m2; h2: head); h4's 2024
    # record counts as a record of the commune that year, but h4 was not in the 2024 round
    assert (health["eligible"], health["covered"], health["records"]) == (3, 0, 1)
    empty = unit_coverage(_unit("tinh-98", year=2023))
    assert empty.unit.rounds == ()
    assert all(row["eligible"] == 0 and row["share"] is None for _p, row in empty.total_rows())


def test_newly_escaped_window(coverage_world: CoverageWorld) -> None:
    """h2 escaped at the 2025 round: within one year; a policy whose window is 1 year keeps it."""
    w = coverage_world
    short = policy_factory(
        code="mot-nam",
        name="Một năm",
        eligible=["newly_escaped"],
        escaped_within_years=1,
        coverage_basis=CoverageBasis.HOUSEHOLDS,
    )
    record_factory(policy=short, household=w.households["h2"], given_on=w.records["credit_h2"].given_on)
    result = unit_coverage(_unit("tinh-98"))
    row = dict(result.total_rows())[short]
    assert (row["eligible"], row["covered"], row["share"]) == (1, 1, 100.0)


def test_newly_escaped_without_a_limit_and_not_the_still_poor(coverage_world: CoverageWorld) -> None:
    """No window: any earlier poor or near-poor round counts; h1 (poor in both years) is no escapee."""
    w = coverage_world
    escaped = policy_factory(
        code="khong-han", name="Không hạn", eligible=["newly_escaped"], coverage_basis=CoverageBasis.MEMBERS
    )
    record_factory(
        policy=escaped, household=w.households["h1"], member=w.members["head1"], given_on=dt.date(YEAR, 6, 1)
    )
    result = unit_coverage(_unit("xa-98001"))
    row = dict(result.total_rows())[escaped]
    # h2 alone (its head), the record of h1 (still poor) covers nobody eligible
    assert (row["eligible"], row["covered"], row["records"]) == (1, 0, 1)


def test_gaps(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    gaps = unit_gaps(_unit("tinh-98"))
    codes = {h.pk: name for name, h in w.households.items()}
    assert {
        codes[r["household_id"]]: r["unmet"] for r in gaps.households.iter_rows(named=True)
    } == EXPECTED_GAPS
    assert (gaps.stated, gaps.unmet) == (4, 2)
    summary = {r["need"]: (r["households"], r["unmet"]) for r in gaps.summary.iter_rows(named=True)}
    assert summary["preferential_credit"] == (2, 1)
    assert summary["health_insurance"] == (1, 0)
    assert summary["housing"] == (1, 1)
    assert summary["employment"] == (0, 0)
    assert gaps.summary["need"].to_list()[:3] == ["preferential_credit", "health_insurance", "education"]
    rows = gap_households(gaps.households)
    assert [(r.code, r.head, r.village, r.klass) for r in rows] == [
        ("H1", "Hồ Văn Minh", "Thôn A", "poor"),
        ("H5", "Hồ Văn Minh", "Thôn C", "poor"),
    ]
    commune = unit_gaps(_unit("xa-98002"))
    assert commune.households["household_id"].to_list() == [w.households["h5"].pk]


def test_cancelling_the_answering_record_opens_the_gap(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    record = w.records["school_m4"]
    record.cancelled_at = record.recorded_at
    record.save(update_fields=["cancelled_at"])
    gaps = unit_gaps(_unit("xa-98001"))
    codes = {h.pk: name for name, h in w.households.items()}
    assert {codes[r["household_id"]]: r["unmet"] for r in gaps.households.iter_rows(named=True)} == {
        "h1": ["preferential_credit"],
        "h3": ["education"],
    }


def test_ineligible_records(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    records = list(ineligible_records(_unit("tinh-98")))
    assert [r.pk for r in records] == [w.records["power_h6"].pk]
    assert records[0].override_by == w.supervisor
    assert list(ineligible_records(_unit("xa-98001"))) == []


def test_a_commune_officer_reads_their_commune_only(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=w.c2)
    assert scope_for(officer, "tinh-98") is None
    assert scope_for(officer, "xa-98001") is None
    result = unit_coverage(_unit("xa-98002", officer))
    assert [r.commune_id for r in result.unit.rounds] == [w.c2.pk]
    health = dict(result.total_rows())[w.policies["health"]]
    assert (health["eligible"], health["covered"]) == (1, 0)


def test_a_village_surveyor_reads_their_village_only(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=w.vb)
    assert scope_for(surveyor, f"thon-{w.va.pk}") is None
    result = unit_coverage(_unit(f"thon-{w.vb.pk}", surveyor))
    school = dict(result.total_rows())[w.policies["school"]]
    assert (school["eligible"], school["covered"]) == (1, 1)
    assert all(dict(result.total_rows())[w.policies[n]]["eligible"] == 0 for n in ("health", "power"))


def test_form_unit_equals_the_viewer_unit(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    for key in ("tinh-98", "xa-98001", f"thon-{w.vc.pk}"):
        direct = form_unit(key=key, year=YEAR)
        assert direct is not None
        assert direct.rounds == _unit(key).rounds
        assert _by_code(unit_coverage(direct), w) == _by_code(unit_coverage(_unit(key)), w)
    assert form_unit(key="huyen-980", year=YEAR) is None
    assert form_unit(key="thon-x", year=YEAR) is None


def test_inactive_policies_only_with_records(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    unused = policy_factory(code="ngung", name="Ngừng", active=False)
    used = policy_factory(code="ngung-co-ho-tro", name="Ngừng, có hỗ trợ", active=False)
    record_factory(policy=used, household=w.households["h1"], given_on=w.records["power_h1_jan"].given_on)
    codes = {p.code for p in applicable_policies(_unit("tinh-98"))}
    assert "ngung-co-ho-tro" in codes and "ngung" not in codes
    assert unused.pk not in {p.pk for p in applicable_policies(_unit("xa-98002"))}
