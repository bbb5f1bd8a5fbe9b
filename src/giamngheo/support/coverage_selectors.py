"""Reads for the coverage of the support policies (:mod:`giamngheo.support.coverage`): the unit's approved
periodic rounds of the year, the policies that apply there, and the frames the computation takes —
counted in the database (``GROUP BY``), so that a province of 1.5 million households and 5 million
support records sends back a few thousand rows, not millions.

Territory: a unit is resolved for a viewer by :func:`giamngheo.reports.forms.data.scope_for` (the
forms' unit keys ``tinh-51``, ``xa-23485``, ``thon-12``; outside the territory: not found) and its rounds
by :func:`giamngheo.reports.selectors.approved_rounds` (scoped). Everything read afterwards is limited to
those rounds' communes (and the village, for a village), so it stays inside the viewer's territory.
:func:`form_unit` resolves a unit without a viewer, for Biểu 05, whose unit was already checked by the
form pages.

Two queries per unit (``benchmarks/support.py`` times them): :func:`profile_frames` — the round's
households that some policy may cover (a common table expression ``prof``: the named classes through the
results' ``(round, superseded, class)`` index, then the escaped households from the earlier rounds' poor
and near-poor; only the columns some policy looks at), counted by profile, and the year's records
grouped by policy and household then joined to ``prof`` — and :func:`records_frame`, the records by
policy and sub-unit. On PostgreSQL they run with a larger ``work_mem`` (:data:`ANALYTIC_WORK_MEM`,
``SET LOCAL`` in their own transaction) so that a province's sorts and hashes stay in memory.

The SQL runs on PostgreSQL and SQLite alike (``IN`` lists, ordinal ``GROUP BY``, ``CAST(... AS TEXT)``);
only the test "the entry states this need" differs (``jsonb ?`` against a match in the JSON text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl
from django.db import connection, transaction
from django.db.models import Q, QuerySet

from giamngheo.accounts.selectors import Viewer
from giamngheo.geo.models import AdminUnit, Generation, Level, Village
from giamngheo.registry.models import Household, Member, MemberStatus
from giamngheo.reports.forms.context import NO_VILLAGE_LABEL
from giamngheo.reports.forms.data import (
    COMMUNE_PREFIX,
    PROVINCE_PREFIX,
    VILLAGE_PREFIX,
    Scope,
)
from giamngheo.reports.selectors import approved_rounds
from giamngheo.review.models import APPROVED_STATUSES, Result, ReviewRound, RoundHousehold, RoundKind
from giamngheo.review.procedure import procedure
from giamngheo.support.coverage import (
    COVERED_SCHEMA,
    DIRECT_CLASSES,
    GROUP_SCHEMA,
    NEEDS_SCHEMA,
    POOR_CLASSES,
    PROFILE,
    RECORDS_SCHEMA,
    Coverage,
    coverage,
    empty_frame,
    gap_summary,
    policy_frame,
    unmet_needs,
)
from giamngheo.support.eligibility import ESCAPE_CLASSES, NEWLY_ESCAPED
from giamngheo.support.models import CoverageBasis, Policy, SupportRecord

CoverageLevel = Literal["province", "commune", "village"]
#: ``work_mem`` of the coverage queries on PostgreSQL (see :func:`_analytic`).
ANALYTIC_WORK_MEM = "128MB"
_LIST = pl.List(pl.String())


@dataclass(frozen=True)
class CoverageUnit:
    """A unit and year the coverage is read for: its approved periodic rounds of the year (one per
    commune) and, for a village, the village."""

    level: CoverageLevel
    key: str
    name: str
    province_code: str
    year: int
    rounds: tuple[ReviewRound, ...]
    village: Village | None = None
    unit: AdminUnit | None = None

    @property
    def commune_ids(self) -> list[int]:
        return sorted({r.commune_id for r in self.rounds})

    @property
    def round_communes(self) -> dict[int, int]:
        return {r.pk: r.commune_id for r in self.rounds}

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


def coverage_unit(*, viewer: Viewer, scope: Scope, year: int) -> CoverageUnit | None:
    """The coverage unit of a forms scope (province, commune or village) for ``viewer``; ``None`` for a
    pre-2025 district (no coverage form for districts)."""
    if scope.level == "district":
        return None
    unit = None if scope.village is not None else scope.unit
    rounds = approved_rounds(viewer=viewer, year=year, unit=unit, village=scope.village)
    return CoverageUnit(
        level=scope.level,
        key=scope.key,
        name=scope.name,
        province_code=scope.unit.province_code,
        year=year,
        rounds=tuple(sorted(rounds, key=lambda r: r.commune.code)),
        village=scope.village,
        unit=scope.unit,
    )


def form_unit(*, key: str, year: int) -> CoverageUnit | None:
    """The coverage unit of a forms key without a viewer (the form pages checked it already)."""
    rounds = ReviewRound.objects.filter(
        kind=RoundKind.PERIODIC, year=year, status__in=APPROVED_STATUSES
    ).select_related("commune")
    if key.startswith(VILLAGE_PREFIX):
        pk = key.removeprefix(VILLAGE_PREFIX)
        village = (
            Village.objects.select_related("commune").filter(pk=int(pk)).first() if pk.isdigit() else None
        )
        if village is None:
            return None
        found = list(rounds.filter(commune_id=village.commune_id))
        name = f"{village.name}, {village.commune.name}"
        return CoverageUnit(
            "village", key, name, village.province_code, year, tuple(found), village, village.commune
        )
    if key.startswith(COMMUNE_PREFIX):
        unit = AdminUnit.objects.filter(
            generation=Generation.Y2025, level=Level.COMMUNE, code=key.removeprefix(COMMUNE_PREFIX)
        ).first()
        if unit is None:
            return None
        return CoverageUnit(
            "commune", key, unit.name, unit.province_code, year, tuple(rounds.filter(commune=unit)), unit=unit
        )
    if key.startswith(PROVINCE_PREFIX):
        unit = AdminUnit.objects.filter(
            generation=Generation.Y2025, level=Level.PROVINCE, code=key.removeprefix(PROVINCE_PREFIX)
        ).first()
        if unit is None:
            return None
        found = sorted(rounds.filter(commune__province_code=unit.province_code), key=lambda r: r.commune.code)
        return CoverageUnit("province", key, unit.name, unit.province_code, year, tuple(found), unit=unit)
    return None


# --- policies ------------------------------------------------------------------------------------


def applicable_policies(unit: CoverageUnit) -> list[Policy]:
    """The policies that apply in ``unit`` during its year: national ones, the province's own and those of
    the unit's communes, valid on at least one day of the year, by name. Policies no longer applied
    (``active`` off) are kept only if they have records in the unit that year."""
    communes = unit.commune_ids
    policies = (
        Policy.objects.filter(valid_from__lte=unit.end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=unit.start))
        .filter(
            Q(unit__isnull=True)
            | Q(unit__level=Level.PROVINCE, unit__code=unit.province_code)
            | Q(unit_id__in=communes)
        )
        .select_related("unit")
        .order_by("name", "code")
    )
    listed = list(policies)
    inactive = [p.pk for p in listed if not p.active]
    if inactive:
        used = set(
            _records(unit).filter(policy_id__in=inactive).values_list("policy_id", flat=True).distinct()
        )
        listed = [p for p in listed if p.active or p.pk in used]
    return listed


def policies_frame(policies: Sequence[Policy]) -> pl.DataFrame:
    return policy_frame(
        {
            "policy_id": p.pk,
            "eligible": [str(c) for c in p.eligible],
            "escaped_within_years": p.escaped_within_years,
            "ethnic_minority_only": p.ethnic_minority_only,
            "area": p.area,
            "need": p.need,
            "coverage_basis": p.coverage_basis,
            "unit_commune_id": p.unit_id if p.unit is not None and p.unit.level == Level.COMMUNE else None,
        }
        for p in policies
    )


# --- SQL -----------------------------------------------------------------------------------------


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _in(values: Sequence[object]) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


@dataclass
class _Query:
    """The profile of the round's households that some policy may cover, as a SQL common table
    expression ``prof``: only the columns some policy looks at (area, ethnic minority, the escape year,
    the needs, the members living there), and only the households of a class a policy names or, when a
    policy names newly escaped households, poor or near-poor in an earlier round read."""

    unit: CoverageUnit
    policies: Sequence[Policy]
    previous: list[int] = field(default_factory=list)

    @property
    def by_village(self) -> bool:
        return self.unit.level != "province"

    @property
    def area(self) -> bool:
        return any(p.area for p in self.policies)

    @property
    def ethnic(self) -> bool:
        return any(p.ethnic_minority_only for p in self.policies)

    @property
    def members(self) -> bool:
        return any(p.coverage_basis == CoverageBasis.MEMBERS for p in self.policies)

    @property
    def needs(self) -> list[str]:
        """The needs of the policies that count the households that stated them."""
        return sorted(
            {
                p.need
                for p in self.policies
                if p.coverage_basis == CoverageBasis.HOUSEHOLDS_WITH_NEED and p.need
            }
        )

    @property
    def named(self) -> list[str]:
        return sorted({str(c) for p in self.policies for c in p.eligible if c in DIRECT_CLASSES})

    @property
    def escapes(self) -> list[str]:
        """The classes of escaped households not already read as a named class (none without an
        earlier round to escape from)."""
        return [c for c in sorted(ESCAPE_CLASSES) if c not in self.named] if self.previous else []

    @property
    def empty(self) -> bool:
        return not self.unit.rounds or not (self.named or self.escapes)

    def grouped(self) -> list[str]:
        """The profile columns of ``prof`` that vary (grouped by)."""
        names = ["round_id", "klass"]
        if self.by_village:
            names.insert(1, "village_id")
        names += ["area"] if self.area else []
        names += ["ethnic_minority"] if self.ethnic else []
        names += ["poor_before"] if self.previous else []
        return names

    def names(self) -> list[str]:
        """The profile's columns as selected: those grouped by, then constants for the others."""
        fixed = ["area", "ethnic_minority", "poor_before"]
        return self.grouped() + [n for n in fixed if n not in self.grouped()]

    def select(self, alias: str) -> str:
        constants = {"area": "''", "ethnic_minority": "0", "poor_before": "NULL"}
        grouped = self.grouped()
        return ", ".join(f"{alias}.{n}" if n in grouped else constants[n] for n in self.names())

    def cte(self) -> tuple[str, list[object]]:
        """``[esc AS (…),] prof AS (…)``: the results of the households of a named class, then (``esc``:
        poor or near-poor in an earlier round read) those of an escaped household's class — two index
        reads instead of one pass over every result of the round — and only then their list entries
        (village, needs), registry rows (area, ethnic minority) and members, each table read once."""
        rounds = list(self.unit.round_communes)
        where = f"r.round_id IN {_in(rounds)} AND r.superseded = %s"
        where_params: list[object] = [*rounds, False]
        picked = "r.household_id AS household_id, r.round_id AS round_id, r.round_household_id AS entry_id"
        picked += ", r.klass AS klass"
        ctes: list[str] = []
        escape_params: list[object] = []
        params: list[object] = []
        branches: list[str] = []
        if self.previous:
            ctes.append(
                "esc AS (SELECT e.household_id AS household_id, MAX(pr.year) AS poor_before"
                f" FROM {_table(Result)} e JOIN {_table(ReviewRound)} pr ON pr.id = e.round_id"
                f" WHERE e.round_id IN {_in(self.previous)} AND e.superseded = %s"
                f" AND e.klass IN {_in(POOR_CLASSES)} GROUP BY e.household_id)"
            )
            escape_params += [*self.previous, False, *POOR_CLASSES]
        if self.named:
            # only the classes of escaped households need their earlier class
            reads_before = self.previous and any(c in ESCAPE_CLASSES for c in self.named)
            before = "esc.poor_before" if reads_before else "NULL"
            escape_join = " LEFT JOIN esc ON esc.household_id = r.household_id" if reads_before else ""
            branches.append(
                f"SELECT {picked}, {before} AS poor_before FROM {_table(Result)} r{escape_join}"
                f" WHERE {where} AND r.klass IN {_in(self.named)}"
            )
            params += [*where_params, *self.named]
        if self.escapes:
            branches.append(
                f"SELECT {picked}, esc.poor_before AS poor_before FROM esc"
                f" JOIN {_table(Result)} r ON r.household_id = esc.household_id"
                f" WHERE {where} AND r.klass IN {_in(self.escapes)}"
            )
            params += [*where_params, *self.escapes]
        columns = ["b.household_id AS household_id", "b.round_id AS round_id", "b.klass AS klass"]
        columns.append("b.poor_before AS poor_before")
        joins = ""
        if self.by_village or self.needs:
            joins += f" JOIN {_table(RoundHousehold)} rh ON rh.id = b.entry_id"
            columns += ["rh.village_id AS village_id"] if self.by_village else []
            columns += ["rh.support_needs AS needs"] if self.needs else []
        if self.area or self.ethnic:
            joins += f" JOIN {_table(Household)} h ON h.id = b.household_id"
            columns += ["h.area AS area"] if self.area else []
            columns += (
                ["CASE WHEN h.ethnic_minority THEN 1 ELSE 0 END AS ethnic_minority"] if self.ethnic else []
            )
        outer_params: list[object] = []
        if self.members:
            columns.append(
                f"(SELECT COUNT(*) FROM {_table(Member)} m WHERE m.household_id = b.household_id"
                " AND m.status = %s) AS members"
            )
            outer_params.append(MemberStatus.PRESENT.value)
        village = ""
        village_params: list[object] = []
        if self.unit.village is not None:  # a village: ``by_village``, so ``rh`` is joined
            village = " WHERE rh.village_id = %s"
            village_params.append(self.unit.village.pk)
        ctes.append(
            f"prof AS (SELECT {', '.join(columns)} FROM ({' UNION ALL '.join(branches)}) b{joins}{village})"
        )
        return ", ".join(ctes), [*escape_params, *outer_params, *params, *village_params]


def _records(unit: CoverageUnit) -> QuerySet[SupportRecord]:
    """The unit's non-cancelled records of the year (by the commune and village on the record)."""
    records = SupportRecord.objects.filter(
        province_code=unit.province_code,
        commune_id__in=unit.commune_ids,
        given_on__gte=unit.start,
        given_on__lte=unit.end,
        cancelled_at__isnull=True,
    )
    if unit.village is not None:
        records = records.filter(village_id=unit.village.pk)
    return records


def _record_scope(unit: CoverageUnit, alias: str = "s") -> tuple[str, list[object]]:
    """:func:`_records` as SQL on the records table under ``alias``."""
    communes = unit.commune_ids
    sql = (
        f"{alias}.province_code = %s AND {alias}.commune_id IN {_in(communes)}"
        f" AND {alias}.given_on >= %s AND {alias}.given_on <= %s AND {alias}.cancelled_at IS NULL"
    )
    params: list[object] = [unit.province_code, *communes, unit.start, unit.end]
    if unit.village is not None:
        sql += f" AND {alias}.village_id = %s"
        params.append(unit.village.pk)
    return sql, params


def _states(needs_sql: str, need_sql: str) -> str:
    """SQL that is true when the JSON list ``needs_sql`` holds the need ``need_sql`` (a parameter or a
    column): the ``jsonb ?`` operator on PostgreSQL, a match of the quoted id in the list's text elsewhere
    (``_`` escaped)."""
    if connection.vendor == "postgresql":
        return f"{needs_sql} ? {need_sql}"
    return f"CAST({needs_sql} AS TEXT) LIKE '%%\"' || REPLACE({need_sql}, '_', '!_') || '\"%%' ESCAPE '!'"


def _previous_rounds(unit: CoverageUnit, policies: Sequence[Policy]) -> list[int]:
    """The approved periodic rounds of the unit's communes in the years a newly-escaped rule looks back
    on (none when no policy names newly-escaped households)."""
    windows = [p.escaped_within_years for p in policies if NEWLY_ESCAPED in p.eligible]
    if not windows or not unit.rounds:
        return []
    rounds = ReviewRound.objects.filter(
        kind=RoundKind.PERIODIC,
        status__in=APPROVED_STATUSES,
        commune_id__in=unit.commune_ids,
        year__lt=unit.year,
    )
    if None not in windows:  # the last poor year is at most the window and one year back
        rounds = rounds.filter(year__gte=unit.year - max(w for w in windows if w is not None) - 1)
    return list(rounds.order_by("pk").values_list("pk", flat=True))


@contextmanager
def _analytic() -> Iterator[None]:
    """A transaction with room to sort and hash in memory (``work_mem``, PostgreSQL only): a province's
    records are aggregated in one query, which the default 4 MB would spill to disk."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{ANALYTIC_WORK_MEM}'")
        yield


def profile_frames(
    unit: CoverageUnit, policies: Sequence[Policy], *, previous: list[int]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """In one query: the population of the round by profile
    (:data:`~giamngheo.support.coverage.GROUP_SCHEMA`: only the households some policy may cover, their
    members living there when a policy counts members, and per need of a policy the households that
    stated it), and the covered households (household policies) or members living there (member
    policies) by policy and profile (:data:`~giamngheo.support.coverage.COVERED_SCHEMA`) — the records
    of the year grouped by policy and household, joined to the profile."""
    query = _Query(unit, policies, previous)
    if query.empty:
        return empty_frame(GROUP_SCHEMA), empty_frame(COVERED_SCHEMA)
    cte, cte_params = query.cte()
    grouped = len(query.grouped())
    profile = query.select("prof")
    width = len(query.names())
    need_sums = [f"SUM(CASE WHEN {_states('prof.needs', '%s')} THEN 1 ELSE 0 END)" for _n in query.needs]
    members = "CAST(SUM(prof.members) AS BIGINT)" if query.members else "0"
    population = (
        f"SELECT 0, NULL, {profile}, 0, COUNT(*), {members}"
        + "".join(f", CAST({n} AS BIGINT)" for n in need_sums)
        + f" FROM prof GROUP BY {', '.join(str(i) for i in range(3, grouped + 3))}"
    )
    scope, scope_params = _record_scope(unit)
    if query.needs:
        has_need = f"CASE WHEN p.need <> '' AND {_states('prof.needs', 'p.need')} THEN 1 ELSE 0 END"
        policy_join = f" JOIN {_table(Policy)} p ON p.id = c.policy_id"
    else:
        has_need, policy_join = "0", ""
    # records grouped by policy and household: household policies by a hash (no member counted), member
    # policies with their distinct members living in the household (a sort, on their records only)
    by_household = [p.pk for p in policies if p.coverage_basis != CoverageBasis.MEMBERS]
    by_member = [p.pk for p in policies if p.coverage_basis == CoverageBasis.MEMBERS]
    parts = []
    record_params: list[object] = []
    if by_household:
        parts.append(
            "SELECT s.policy_id AS policy_id, s.household_id AS household_id, 0 AS members"
            f" FROM {_table(SupportRecord)} s WHERE {scope} AND s.policy_id IN {_in(by_household)}"
            " GROUP BY s.policy_id, s.household_id"
        )
        record_params += [*scope_params, *by_household]
    if by_member:
        parts.append(
            "SELECT s.policy_id AS policy_id, s.household_id AS household_id,"
            " COUNT(DISTINCT CASE WHEN g.id IS NULL THEN s.member_id END) AS members"
            f" FROM {_table(SupportRecord)} s"
            f" LEFT JOIN {_table(Member)} g ON g.id = s.member_id AND g.status <> %s"
            f" WHERE {scope} AND s.policy_id IN {_in(by_member)} GROUP BY s.policy_id, s.household_id"
        )
        record_params += [MemberStatus.PRESENT.value, *scope_params, *by_member]
    covered = (
        f"SELECT 1, c.policy_id, {profile}, {has_need}, COUNT(*), CAST(SUM(c.members) AS BIGINT)"
        + "".join(", 0" for _n in query.needs)
        + f" FROM ({' UNION ALL '.join(parts)}) c"
        f" JOIN prof ON prof.household_id = c.household_id{policy_join}"
        f" GROUP BY 2, {', '.join(str(i) for i in range(3, grouped + 3))}"
        + (f", {width + 3}" if query.needs else "")
    )
    sql = f"WITH {cte} {population} UNION ALL {covered}"
    params = [*cte_params, *query.needs, *record_params]
    with _analytic():
        rows = _fetch(sql, params)
    types: dict[str, pl.DataType] = {"klass": pl.String(), "area": pl.String()}
    need_names = [f"need:{n}" for n in query.needs]
    names = ["kind", "policy_id", *query.names(), "has_need", "households", "members", *need_names]
    frame = pl.DataFrame(rows, schema=[(n, types.get(n, pl.Int64())) for n in names], orient="row")
    communes = unit.round_communes
    commune = pl.col("round_id").replace_strict(
        list(communes), list(communes.values()), return_dtype=pl.Int64, default=None
    )
    frame = frame.with_columns(
        commune.alias("commune_id"),
        (pl.col("village_id") if query.by_village else commune).alias("sub_id"),
        (pl.col("ethnic_minority") == 1).alias("ethnic_minority"),
        (pl.col("has_need") == 1).alias("has_need"),
    )
    keys = list(PROFILE)
    counted = frame.filter(pl.col("kind") == 0)
    stated = [
        counted.filter(pl.col(name) > 0).select(
            *keys,
            pl.lit(need).alias("need"),
            pl.col(name).alias("households"),
            pl.lit(0, pl.Int64).alias("members"),
        )
        for need, name in zip(query.needs, need_names, strict=True)
    ]
    base = counted.select(*keys, pl.lit(None, pl.String).alias("need"), "households", "members")
    population_frame = pl.concat([base, *stated]).select(list(GROUP_SCHEMA)).cast(GROUP_SCHEMA)  # type: ignore[arg-type]
    by_member = [p.pk for p in policies if p.coverage_basis == CoverageBasis.MEMBERS]
    covered_frame = (
        frame.filter(pl.col("kind") == 1)
        .with_columns(
            pl.when(pl.col("policy_id").is_in(by_member))
            .then(pl.col("members"))
            .otherwise(pl.col("households"))
            .alias("covered")
        )
        .select(list(COVERED_SCHEMA))
        .cast(COVERED_SCHEMA)  # type: ignore[arg-type]
    )
    return population_frame, covered_frame


def records_frame(unit: CoverageUnit) -> pl.DataFrame:
    """The year's records by policy and sub-unit, with the ineligible ones
    (:data:`~giamngheo.support.coverage.RECORDS_SCHEMA`)."""
    if not unit.rounds:
        return empty_frame(RECORDS_SCHEMA)
    scope, params = _record_scope(unit)
    sub = "s.commune_id" if unit.level == "province" else "s.village_id"
    sql = (
        f"SELECT s.policy_id, {sub}, COUNT(*), CAST(SUM(CASE WHEN s.eligible THEN 0 ELSE 1 END) AS BIGINT)"
        f" FROM {_table(SupportRecord)} s WHERE {scope} GROUP BY 1, 2"
    )
    return pl.DataFrame(_fetch(sql, params), schema=RECORDS_SCHEMA, orient="row")


# --- the coverage of a unit ----------------------------------------------------------------------


@dataclass(frozen=True)
class SubUnitName:
    id: int | None
    name: str
    key: str = ""


@dataclass(frozen=True)
class UnitCoverage:
    """What the pages, the API, Biểu 05 and the dashboard card show: the unit, its policies (in the
    order of ``figures``), the figures and the sub-units that have any."""

    unit: CoverageUnit
    policies: list[Policy]
    figures: Coverage
    sub_units: list[SubUnitName]

    def total_rows(self) -> list[tuple[Policy, dict[str, Any]]]:
        rows = self.figures.total.iter_rows(named=True)
        return list(zip(self.policies, rows, strict=True))

    def sub_unit_rows(self) -> list[tuple[SubUnitName, list[tuple[Policy, dict[str, Any] | None]]]]:
        """Per sub-unit, per policy: its figures (``None`` when it has none)."""
        found: dict[tuple[int, int | None], dict[str, Any]] = {
            (row["policy_id"], row["sub_id"]): row for row in self.figures.by_unit.iter_rows(named=True)
        }
        return [(sub, [(p, found.get((p.pk, sub.id))) for p in self.policies]) for sub in self.sub_units]


def _sub_units(unit: CoverageUnit, ids: set[int | None]) -> list[SubUnitName]:
    if unit.level == "province":
        return [
            SubUnitName(r.commune_id, r.commune.name, f"{COMMUNE_PREFIX}{r.commune.code}")
            for r in unit.rounds
        ]
    if unit.village is not None:
        return [SubUnitName(unit.village.pk, unit.village.name, unit.key)]
    names = dict(Village.objects.filter(pk__in=[i for i in ids if i is not None]).values_list("pk", "name"))
    named = sorted((names.get(i, str(i)), i) for i in ids if i is not None)
    units = [SubUnitName(i, name, f"{VILLAGE_PREFIX}{i}") for name, i in named]
    if None in ids:
        units.append(SubUnitName(None, NO_VILLAGE_LABEL))
    return units


def unit_coverage(unit: CoverageUnit) -> UnitCoverage:
    """The coverage of every policy that applies in ``unit`` (see :mod:`giamngheo.support.coverage`)."""
    policies = applicable_policies(unit)
    previous = _previous_rounds(unit, policies)
    frame = policies_frame(policies)
    population, covered = profile_frames(unit, policies, previous=previous)
    figures = coverage(frame, population, covered, records_frame(unit), year=unit.year)
    ids: set[int | None] = set(figures.by_unit["sub_id"].to_list())
    return UnitCoverage(unit=unit, policies=policies, figures=figures, sub_units=_sub_units(unit, ids))


# --- gaps ----------------------------------------------------------------------------------------


def needs_frame(unit: CoverageUnit) -> pl.DataFrame:
    """The round's households with stated support needs, with their class
    (:data:`~giamngheo.support.coverage.NEEDS_SCHEMA`), by household id."""
    if not unit.rounds:
        return empty_frame(NEEDS_SCHEMA)
    rounds = list(unit.round_communes)
    village = "rh.village_id" if unit.level != "province" else "NULL"
    sql = (
        f"SELECT rh.household_id, rh.round_id, {village}, r.klass, CAST(rh.support_needs AS TEXT)"
        f" FROM {_table(RoundHousehold)} rh LEFT JOIN {_table(Result)} r"
        " ON r.round_household_id = rh.id AND r.superseded = %s"
        f" WHERE rh.round_id IN {_in(rounds)} AND CAST(rh.support_needs AS TEXT) <> %s"
    )
    params: list[object] = [False, *rounds, "[]"]
    if unit.village is not None:
        sql += " AND rh.village_id = %s"
        params.append(unit.village.pk)
    schema = {
        "household_id": pl.Int64(),
        "round_id": pl.Int64(),
        "village_id": pl.Int64(),
        "klass": pl.String(),
        "needs_text": pl.String(),
    }
    frame = pl.DataFrame(_fetch(sql, params), schema=schema, orient="row")
    communes = unit.round_communes
    commune = pl.col("round_id").replace_strict(
        list(communes), list(communes.values()), return_dtype=pl.Int64, default=None
    )
    return (
        frame.with_columns(
            (commune if unit.level == "province" else pl.col("village_id")).alias("sub_id"),
            pl.col("needs_text").str.json_decode(_LIST).fill_null(pl.lit([], dtype=_LIST)).alias("needs"),
            pl.col("klass").fill_null(""),
        )
        .filter(pl.col("needs").list.len() > 0)
        .unique("household_id", keep="first", maintain_order=True)
        .sort("household_id")
        .select(list(NEEDS_SCHEMA))
    )


def answered_frame(unit: CoverageUnit) -> pl.DataFrame:
    """``household_id``, ``need``: the needs answered by the policies each household of the unit got a
    non-cancelled record of in the year."""
    if not unit.rounds:
        return pl.DataFrame(schema={"household_id": pl.Int64(), "need": pl.String()})
    scope, params = _record_scope(unit)
    sql = (
        f"SELECT DISTINCT s.household_id, p.need FROM {_table(SupportRecord)} s"
        f" JOIN {_table(Policy)} p ON p.id = s.policy_id WHERE {scope} AND p.need <> %s"
    )
    return pl.DataFrame(
        _fetch(sql, [*params, ""]), schema={"household_id": pl.Int64(), "need": pl.String()}, orient="row"
    )


@dataclass(frozen=True)
class UnitGaps:
    """The households of the unit's round with stated needs and their unmet needs (``households``:
    :func:`giamngheo.support.coverage.unmet_needs`, only those with at least one), and per need the
    households that stated it and those left without support (``summary``)."""

    households: pl.DataFrame
    summary: pl.DataFrame
    stated: int

    @property
    def unmet(self) -> int:
        return self.households.height


def unit_gaps(unit: CoverageUnit) -> UnitGaps:
    with _analytic():
        needs, answered = needs_frame(unit), answered_frame(unit)
    unmet = unmet_needs(needs, answered)
    summary = gap_summary(unmet, procedure().support_needs.ids)
    return UnitGaps(
        households=unmet.filter(pl.col("unmet").list.len() > 0), summary=summary, stated=unmet.height
    )


@dataclass(frozen=True)
class GapHousehold:
    """One row of the gap list."""

    household_id: int
    code: str
    head: str
    village: str
    commune: str
    klass: str
    needs: list[str]
    unmet: list[str]


def gap_households(rows: pl.DataFrame) -> list[GapHousehold]:
    """The gap list's rows (a slice of :attr:`UnitGaps.households`) with each household's code, head and
    village (one query)."""
    ids = rows["household_id"].to_list()
    found = {
        pk: (code, head or "", village or "", commune)
        for pk, code, head, village, commune in Household.objects.filter(pk__in=ids).values_list(
            "pk", "code", "head__full_name", "village__name", "commune__name"
        )
    }
    listed = []
    for row in rows.iter_rows(named=True):
        code, head, village, commune = found.get(row["household_id"], ("", "", "", ""))
        listed.append(
            GapHousehold(
                household_id=row["household_id"],
                code=code,
                head=head,
                village=village,
                commune=commune,
                klass=row["klass"],
                needs=list(row["needs"]),
                unmet=list(row["unmet"]),
            )
        )
    return listed


def ineligible_records(unit: CoverageUnit) -> QuerySet[SupportRecord]:
    """Support given in the year to households that were not eligible (recorded with a supervisor's
    override), newest first."""
    return (
        _records(unit)
        .filter(eligible=False)
        .select_related(
            "policy", "household", "household__head", "member", "village", "commune", "override_by"
        )
        .order_by("-given_on", "-pk")
    )
