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

What cannot change once a round is approved — each household's class in the round, its village as
listed, its stated needs, the last earlier year it was poor or near-poor — is read from the coverage store
(:class:`~giamngheo.support.models.CoverageHousehold`, written when the round is approved by
:mod:`giamngheo.support.services.coverage`; a round approved before the store existed is stored when
first read). What may change is read live: the members living in each household now, its area and
ethnic minority in the registry, the support records.

One query per unit (``benchmarks/support.py`` times it, :class:`_Plan`): the stored households that some
policy may cover (``prof``), counted by profile; the year's records grouped by policy and household
(``rec``) joined to them; the records by policy and sub-unit; and for the coverage page
(:func:`unit_overview`) the households with stated needs grouped by their needs and the needs a record
answered, from the same ``rec``. On PostgreSQL it runs with a larger ``work_mem``
(:data:`ANALYTIC_WORK_MEM`, ``SET LOCAL`` in its own transaction) so that a province's sorts and hashes
stay in memory. The gap list (:func:`unit_gaps`) reads the households with stated needs one by one.

The SQL runs on PostgreSQL and SQLite alike (``IN`` lists, ordinal ``GROUP BY``, ``CAST(... AS TEXT)``);
only the test "the entry states this need" differs (``jsonb ?`` against a match in the JSON text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final, Literal

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
from giamngheo.review.models import APPROVED_STATUSES, ReviewRound, RoundKind
from giamngheo.review.procedure import procedure
from giamngheo.support.coverage import (
    COVERED_SCHEMA,
    DIRECT_CLASSES,
    GROUP_SCHEMA,
    GROUPED_NEEDS_SCHEMA,
    NEEDS_SCHEMA,
    PROFILE,
    RECORDS_SCHEMA,
    Coverage,
    GapCounts,
    coverage,
    empty_frame,
    gap_counts,
    gap_summary,
    policy_frame,
    unmet_needs,
)
from giamngheo.support.eligibility import ESCAPE_CLASSES, NEWLY_ESCAPED
from giamngheo.support.models import CoverageBasis, CoverageHousehold, Policy, SupportRecord
from giamngheo.support.services.coverage import coverage_rounds_ensure

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
    """:func:`_records` as SQL on the records table under ``alias``. The province is not repeated: a
    record's commune and province are its household's when it was recorded, and the unit's communes are
    the province's — so the year's records of the communes are read from the index
    ``support_rec_commune_year`` alone, whatever the policies."""
    communes = unit.commune_ids
    sql = (
        f"{alias}.commune_id IN {_in(communes)}"
        f" AND {alias}.given_on >= %s AND {alias}.given_on <= %s AND {alias}.cancelled_at IS NULL"
    )
    params: list[object] = [*communes, unit.start, unit.end]
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


def _ensure_stored(unit: CoverageUnit) -> None:
    """The unit's rounds approved before the store existed (or loaded in bulk) are stored when first
    read (:func:`giamngheo.support.services.coverage.coverage_rounds_ensure`)."""
    coverage_rounds_ensure(unit.rounds)


#: The columns of the one query of a unit (:class:`_Plan`); each part fills those it has, ``kind`` says
#: which part a row comes from, and ``x0``, ``x1`` … follow: the households that stated each need of the
#: policies by need (:data:`POPULATION`), the bit masks of the needs answered (:data:`NEEDS`).
_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("kind", "BIGINT"),
    ("policy_id", "BIGINT"),
    ("sub_id", "BIGINT"),
    ("round_id", "BIGINT"),
    ("village_id", "BIGINT"),
    ("klass", "TEXT"),
    ("area", "TEXT"),
    ("ethnic_minority", "BIGINT"),
    ("poor_before", "BIGINT"),
    ("has_need", "BIGINT"),
    ("needs", "TEXT"),
    ("households", "BIGINT"),
    ("members", "BIGINT"),
    ("records", "BIGINT"),
    ("ineligible_records", "BIGINT"),
)
_POSITION: Final = {name: index + 1 for index, (name, _type) in enumerate(_COLUMNS)}
POPULATION, COVERED, RECORDS, NEEDS = 0, 1, 2, 3


def _part(values: dict[str, str], extras: Sequence[str], width: int) -> str:
    """The select list of one part: its values in :data:`_COLUMNS` order (typed nulls for the others),
    then ``width`` extra columns (zeros after its own)."""
    listed = [values.get(name, f"CAST(NULL AS {kind})") for name, kind in _COLUMNS]
    listed += [*extras, *["0"] * (width - len(extras))]
    return "SELECT " + ", ".join(listed)


def _group_by(names: Sequence[str]) -> str:
    return "GROUP BY " + ", ".join(str(_POSITION[n]) for n in names)


_BITS: Final = 30  # answered needs per bit mask column (well inside a BIGINT)


def _chunks(count: int) -> list[range]:
    """The needs ``0 … count - 1`` by bit mask column."""
    return [range(start, min(start + _BITS, count)) for start in range(0, count, _BITS)]


@dataclass(frozen=True)
class _Plan:
    """The coverage query of a unit for its policies, as SQL: one statement, in one transaction.

    ``prof``: the stored households of the unit's rounds
    (:class:`~giamngheo.support.models.CoverageHousehold`) that some policy may cover — of a class a
    policy names, or above the near-poor line with a ``poor_before`` when a policy names newly escaped
    households — with only the columns some policy looks at: the escape year, the needs, and read live,
    the area and ethnic minority in the registry and the members living in the household now (each only
    for the classes of the policies that look at it).
    ``rec``: the year's records grouped by policy and household, with the distinct members living in the
    household for member policies. Parts: the population by profile (:data:`POPULATION`), the covered by
    policy and profile (:data:`COVERED`: ``rec`` joined to ``prof``), the records by policy and sub-unit
    (:data:`RECORDS`) and, for the coverage page, the households with stated needs grouped by their needs
    and the needs answered by a record (:data:`NEEDS`, from the same ``rec``).
    """

    unit: CoverageUnit
    policies: Sequence[Policy]
    answers: Sequence[str] = ()  # the needs some policy answers (the gaps part; empty: no gaps part)
    gaps: bool = False

    @property
    def by_village(self) -> bool:
        return self.unit.level != "province"

    @property
    def member_policies(self) -> list[int]:
        return [p.pk for p in self.policies if p.coverage_basis == CoverageBasis.MEMBERS]

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
    def escaping(self) -> list[Policy]:
        """The policies that name newly escaped households."""
        return [p for p in self.policies if NEWLY_ESCAPED in p.eligible]

    @property
    def escapes(self) -> list[str]:
        """The classes of escaped households not already read as a named class."""
        return [c for c in sorted(ESCAPE_CLASSES) if c not in self.named] if self.escaping else []

    @property
    def floor(self) -> int | None:
        """The earliest last poor year a newly-escaped rule may keep (the widest window and one year
        back, see :func:`giamngheo.support.coverage.eligible_expr`); ``None``: a rule without window."""
        windows = [p.escaped_within_years for p in self.escaping]
        if not windows or None in windows:
            return None
        return self.unit.year - max(w for w in windows if w is not None) - 1

    @property
    def empty(self) -> bool:
        """No household to count: no round, or no class named."""
        return not self.unit.rounds or not (self.named or self.escapes)

    @staticmethod
    def classes(policies: Sequence[Policy]) -> list[str]:
        """The classes of the households ``policies`` may count."""
        named = {str(c) for p in policies for c in p.eligible if c in DIRECT_CLASSES}
        escaped = set(ESCAPE_CLASSES) if any(NEWLY_ESCAPED in p.eligible for p in policies) else set()
        return sorted(named | escaped)

    def grouped(self) -> list[str]:
        """The profile columns of ``prof`` that vary (grouped by)."""
        names = ["round_id", "klass"]
        names += ["village_id"] if self.by_village else []
        names += ["area"] if any(p.area for p in self.policies) else []
        names += ["ethnic_minority"] if any(p.ethnic_minority_only for p in self.policies) else []
        names += ["poor_before"] if self.escaping else []
        return names

    def _escaped(self, alias: str) -> tuple[str, list[object]]:
        """SQL: the row is above the near-poor line with a last poor year some window keeps."""
        sql = f"{alias}.klass IN {_in(sorted(ESCAPE_CLASSES))} AND {alias}.poor_before IS NOT NULL"
        params: list[object] = [*sorted(ESCAPE_CLASSES)]
        if self.floor is not None:
            sql += f" AND {alias}.poor_before >= %s"
            params.append(self.floor)
        return sql, params

    def profile(self) -> tuple[str, list[object]]:
        """``prof AS (…)`` (see the class docstring)."""
        household, member = _table(Household), _table(Member)
        columns = ["c.household_id AS household_id", "c.review_round_id AS round_id", "c.klass AS klass"]
        params: list[object] = []
        grouped = self.grouped()
        if self.by_village:
            columns.append("c.village_id AS village_id")
        if "poor_before" in grouped:
            escaped, escaped_params = self._escaped("c")
            columns.append(f"CASE WHEN {escaped} THEN c.poor_before END AS poor_before")
            params += escaped_params
        if self.needs:
            columns.append("c.needs AS needs")
        registry = [
            ("area", "h.area", "''", [p for p in self.policies if p.area]),
            (
                "ethnic_minority",
                "CASE WHEN h.ethnic_minority THEN 1 ELSE 0 END",
                "0",
                [p for p in self.policies if p.ethnic_minority_only],
            ),
        ]
        for name, value, default, asking in registry:
            classes = self.classes(asking)
            if name not in grouped:
                continue
            if not classes:  # the policies that ask name no class: nobody to look up
                columns.append(f"{default} AS {name}")
                continue
            columns.append(
                f"CASE WHEN c.klass IN {_in(classes)} THEN (SELECT {value} FROM {household} h"
                f" WHERE h.id = c.household_id) ELSE {default} END AS {name}"
            )
            params += classes
        counted = self.classes([p for p in self.policies if p.pk in self.member_policies])
        if counted:
            columns.append(
                f"CASE WHEN c.klass IN {_in(counted)} THEN (SELECT COUNT(*) FROM {member} m"
                " WHERE m.household_id = c.household_id AND m.status = %s) ELSE 0 END AS members"
            )
            params += [*counted, MemberStatus.PRESENT.value]
        else:
            columns.append("0 AS members")
        rounds = list(self.unit.round_communes)
        where = f"c.review_round_id IN {_in(rounds)}"
        params += rounds
        kept: list[str] = []
        if self.named:
            kept.append(f"c.klass IN {_in(self.named)}")
            params += self.named
        if self.escapes:
            escaped, escaped_params = self._escaped("c")
            kept.append(f"({escaped})")
            params += escaped_params
        where += f" AND ({' OR '.join(kept)})"
        if self.unit.village is not None:
            where += " AND c.village_id = %s"
            params.append(self.unit.village.pk)
        return (
            f"prof AS (SELECT {', '.join(columns)} FROM {_table(CoverageHousehold)} c WHERE {where})",
            params,
        )

    def records(self, *, applicable_only: bool) -> tuple[str, list[object]]:
        """``rec AS (…)``: the year's records by policy and household — household policies by a hash,
        member policies with their distinct members living in the household (a sort, on their records
        only). ``applicable_only``: the unit's policies alone, else every policy (the gaps read them
        all)."""
        scope, scope_params = _record_scope(self.unit)
        by_member = self.member_policies
        by_household = [p.pk for p in self.policies if p.pk not in by_member]
        parts: list[str] = []
        params: list[object] = []
        if by_household or not applicable_only:
            if applicable_only:
                only, only_params = f" AND s.policy_id IN {_in(by_household)}", list(by_household)
            elif by_member:
                only, only_params = f" AND s.policy_id NOT IN {_in(by_member)}", list(by_member)
            else:
                only, only_params = "", []
            parts.append(
                "SELECT s.policy_id AS policy_id, s.household_id AS household_id, 0 AS members"
                f" FROM {_table(SupportRecord)} s WHERE {scope}{only} GROUP BY s.policy_id, s.household_id"
            )
            params += [*scope_params, *only_params]
        if by_member:
            parts.append(
                "SELECT s.policy_id AS policy_id, s.household_id AS household_id,"
                " COUNT(DISTINCT CASE WHEN g.id IS NULL THEN s.member_id END) AS members"
                f" FROM {_table(SupportRecord)} s"
                f" LEFT JOIN {_table(Member)} g ON g.id = s.member_id AND g.status <> %s"
                f" WHERE {scope} AND s.policy_id IN {_in(by_member)} GROUP BY s.policy_id, s.household_id"
            )
            params += [MemberStatus.PRESENT.value, *scope_params, *by_member]
        return f"rec AS ({' UNION ALL '.join(parts)})", params

    def width(self) -> int:
        return max(len(self.needs), len(_chunks(len(self.answers))) if self.gaps else 0)

    def population_part(self) -> tuple[str, list[object]]:
        grouped = self.grouped()
        values = {
            "kind": str(POPULATION),
            **{n: f"prof.{n}" for n in grouped},
            "households": "COUNT(*)",
            "members": "CAST(SUM(prof.members) AS BIGINT)",
        }
        sums = [
            f"CAST(SUM(CASE WHEN {_states('prof.needs', '%s')} THEN 1 ELSE 0 END) AS BIGINT)"
            for _n in self.needs
        ]
        sql = f"{_part(values, sums, self.width())} FROM prof {_group_by(grouped)}"
        return sql, list(self.needs)

    def covered_part(self) -> tuple[str, list[object]]:
        grouped = self.grouped()
        values = {
            "kind": str(COVERED),
            "policy_id": "c.policy_id",
            **{n: f"prof.{n}" for n in grouped},
            "households": "COUNT(*)",
            "members": "CAST(SUM(c.members) AS BIGINT)",
        }
        params: list[object] = []
        joins = ""
        if self.needs:
            values["has_need"] = (
                f"CASE WHEN p.coverage_basis = %s AND p.need <> '' AND {_states('prof.needs', 'p.need')}"
                " THEN 1 ELSE 0 END"
            )
            params.append(CoverageBasis.HOUSEHOLDS_WITH_NEED.value)
            joins = f" JOIN {_table(Policy)} p ON p.id = c.policy_id"
        policies = [p.pk for p in self.policies]
        sql = (
            f"{_part(values, [], self.width())} FROM rec c JOIN prof ON prof.household_id = c.household_id"
            f"{joins} WHERE c.policy_id IN {_in(policies)}"
            f" {_group_by(['policy_id', *grouped, *(['has_need'] if self.needs else [])])}"
        )
        return sql, [*params, *policies]

    def records_part(self) -> tuple[str, list[object]]:
        scope, params = _record_scope(self.unit)
        sub = "s.commune_id" if self.unit.level == "province" else "s.village_id"
        values = {
            "kind": str(RECORDS),
            "policy_id": "s.policy_id",
            "sub_id": sub,
            "records": "COUNT(*)",
            "ineligible_records": "CAST(SUM(CASE WHEN s.eligible THEN 0 ELSE 1 END) AS BIGINT)",
        }
        group = _group_by(["policy_id", "sub_id"])
        return (
            f"{_part(values, [], self.width())} FROM {_table(SupportRecord)} s WHERE {scope} {group}",
            params,
        )

    def stated(self) -> tuple[str, list[object]]:
        """``stated AS (…)``: the stored households of the unit's rounds with stated needs, a household
        listed in two rounds once (the first round)."""
        rounds = list(self.unit.round_communes)
        first = (
            ", ROW_NUMBER() OVER (PARTITION BY c.household_id ORDER BY c.review_round_id) AS nth"
            if len(rounds) > 1
            else ", 1 AS nth"
        )
        sql = (
            f"stated AS (SELECT c.household_id AS household_id, CAST(c.needs AS TEXT) AS needs{first}"
            f" FROM {_table(CoverageHousehold)} c WHERE c.review_round_id IN {_in(rounds)}"
            " AND CAST(c.needs AS TEXT) <> %s"
        )
        params: list[object] = [*rounds, "[]"]
        if self.unit.village is not None:
            sql += " AND c.village_id = %s"
            params.append(self.unit.village.pk)
        return sql + ")", params

    def answered(self) -> tuple[str, list[object]]:
        """``ans AS (…)``: per household with a record of the year, one flag per need of :attr:`answers`
        (a record of a policy answering it)."""
        flags = ", ".join(
            f"MAX(CASE WHEN p.need = %s THEN 1 ELSE 0 END) AS a{i}" for i, _n in enumerate(self.answers)
        )
        sql = (
            f"ans AS (SELECT c.household_id AS household_id, {flags} FROM rec c"
            f" JOIN {_table(Policy)} p ON p.id = c.policy_id WHERE p.need IN {_in(self.answers)}"
            " GROUP BY c.household_id)"
        )
        return sql, [*self.answers, *self.answers]

    def needs_part(self) -> tuple[str, list[object]]:
        """The households with stated needs by their needs (text) and the needs answered, as bits:
        need ``i`` of :attr:`answers` is bit ``i % 30`` of the extra column ``i // 30``."""
        values = {"kind": str(NEEDS), "needs": "st.needs", "households": "COUNT(*)"}
        masks = [
            " + ".join(f"{1 << (i % _BITS)} * COALESCE(a.a{i}, 0)" for i in chunk)
            for chunk in _chunks(len(self.answers))
        ]
        join = " LEFT JOIN ans a ON a.household_id = st.household_id" if self.answers else ""
        positions = [str(_POSITION["needs"]), *(str(len(_COLUMNS) + 1 + i) for i, _m in enumerate(masks))]
        sql = f"{_part(values, masks, self.width())} FROM stated st{join} WHERE st.nth = 1"
        return f"{sql} GROUP BY {', '.join(positions)}", []

    def statement(self) -> tuple[str, list[object]]:
        """The whole query (none: the unit has no round)."""
        ctes: list[tuple[str, list[object]]] = []
        parts: list[tuple[str, list[object]]] = []
        if not self.empty:
            ctes.append(self.profile())
        if not self.empty or (self.gaps and self.answers):
            ctes.append(self.records(applicable_only=not self.gaps))
        if not self.empty:
            parts += [self.population_part(), self.covered_part()]
        parts.append(self.records_part())
        if self.gaps:
            ctes.append(self.stated())
            if self.answers:
                ctes.append(self.answered())
            parts.append(self.needs_part())
        sql = "WITH " + ", ".join(c for c, _p in ctes) + " " if ctes else ""
        sql += " UNION ALL ".join(p for p, _p in parts)
        params = [v for _c, ps in ctes for v in ps] + [v for _p, ps in parts for v in ps]
        return sql, params


@dataclass(frozen=True)
class _Frames:
    """What the coverage query of a unit sends back, as the frames of :mod:`giamngheo.support.coverage`."""

    population: pl.DataFrame
    covered: pl.DataFrame
    records: pl.DataFrame
    needs: pl.DataFrame | None  # GROUPED_NEEDS_SCHEMA (the coverage page only)


def _answers() -> list[str]:
    """The needs some policy of the catalogue answers (``Policy.need``)."""
    return sorted(set(Policy.objects.exclude(need="").values_list("need", flat=True)))


def _answered_list(answers: Sequence[str], *, masks: bool) -> pl.Expr:
    """The needs answered, as a list: need ``i`` of ``answers`` is set in column ``x{i}`` (a flag), or
    with ``masks`` in bit ``i % 30`` of column ``x{i // 30}`` (:meth:`_Plan.needs_part`)."""
    flags = [
        pl.when((pl.col(f"x{i // _BITS}") & (1 << (i % _BITS))) != 0 if masks else pl.col(f"x{i}") == 1)
        .then(pl.lit(need))
        .otherwise(pl.lit(None, pl.String))
        for i, need in enumerate(answers)
    ]
    if not flags:
        return pl.lit([], dtype=_LIST)
    return pl.concat_list(flags).list.drop_nulls()


def _commune_of(unit: CoverageUnit) -> pl.Expr:
    communes = unit.round_communes
    return pl.col("round_id").replace_strict(
        list(communes), list(communes.values()), return_dtype=pl.Int64, default=None
    )


def _read(plan: _Plan) -> _Frames:
    """Run the coverage query of ``plan`` (one statement) and split its rows into the frames."""
    unit = plan.unit
    if not unit.rounds:
        return _Frames(
            empty_frame(GROUP_SCHEMA),
            empty_frame(COVERED_SCHEMA),
            empty_frame(RECORDS_SCHEMA),
            empty_frame(GROUPED_NEEDS_SCHEMA) if plan.gaps else None,
        )
    sql, params = plan.statement()
    with _analytic():
        rows = _fetch(sql, params)
    types = {"BIGINT": pl.Int64(), "TEXT": pl.String()}
    schema: list[tuple[str, pl.DataType]] = [(name, types[kind]) for name, kind in _COLUMNS]
    schema += [(f"x{i}", pl.Int64()) for i in range(plan.width())]
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    commune = _commune_of(unit)
    profiled = frame.filter(pl.col("kind").is_in([POPULATION, COVERED])).with_columns(
        commune.alias("commune_id"),
        (pl.col("village_id") if plan.by_village else commune).alias("sub_id"),
        (pl.col("ethnic_minority") == 1).fill_null(False).alias("ethnic_minority"),
        (pl.col("has_need") == 1).fill_null(False).alias("has_need"),
        pl.col("area").fill_null(""),
        pl.col("members").fill_null(0),
    )
    keys = list(PROFILE)
    counted = profiled.filter(pl.col("kind") == POPULATION)
    stated = [
        counted.filter(pl.col(f"x{i}") > 0).select(
            *keys,
            pl.lit(need).alias("need"),
            pl.col(f"x{i}").alias("households"),
            pl.lit(0, pl.Int64).alias("members"),
        )
        for i, need in enumerate(plan.needs)
    ]
    base = counted.select(*keys, pl.lit(None, pl.String).alias("need"), "households", "members")
    population = pl.concat([base, *stated]).select(list(GROUP_SCHEMA)).cast(GROUP_SCHEMA)  # type: ignore[arg-type]
    by_member = plan.member_policies
    covered = (
        profiled.filter(pl.col("kind") == COVERED)
        .with_columns(
            pl.when(pl.col("policy_id").is_in(by_member))
            .then(pl.col("members"))
            .otherwise(pl.col("households"))
            .alias("covered")
        )
        .select(list(COVERED_SCHEMA))
        .cast(COVERED_SCHEMA)  # type: ignore[arg-type]
    )
    records = (
        frame.filter(pl.col("kind") == RECORDS)
        .select("policy_id", "sub_id", "records", "ineligible_records")
        .cast(RECORDS_SCHEMA)  # type: ignore[arg-type]
    )
    needs = None
    if plan.gaps:
        needs = (
            frame.filter(pl.col("kind") == NEEDS)
            .select(
                pl.col("needs").str.json_decode(_LIST).fill_null(pl.lit([], dtype=_LIST)),
                _answered_list(plan.answers, masks=True).alias("answered"),
                "households",
            )
            .filter(pl.col("needs").list.len() > 0)
            .cast(GROUPED_NEEDS_SCHEMA)  # type: ignore[arg-type]
        )
    return _Frames(population, covered, records, needs)


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


def _unit_coverage(plan: _Plan, frames: _Frames) -> UnitCoverage:
    policies = list(plan.policies)
    figures = coverage(
        policies_frame(policies), frames.population, frames.covered, frames.records, year=plan.unit.year
    )
    ids: set[int | None] = set(figures.by_unit["sub_id"].to_list())
    return UnitCoverage(
        unit=plan.unit, policies=policies, figures=figures, sub_units=_sub_units(plan.unit, ids)
    )


def unit_coverage(unit: CoverageUnit) -> UnitCoverage:
    """The coverage of every policy that applies in ``unit`` (see :mod:`giamngheo.support.coverage`)."""
    _ensure_stored(unit)
    plan = _Plan(unit, applicable_policies(unit))
    return _unit_coverage(plan, _read(plan))


@dataclass(frozen=True)
class UnitOverview:
    """The coverage page: the coverage of the unit and its gaps in numbers, from one read of the records."""

    coverage: UnitCoverage
    gaps: GapCounts


def unit_overview(unit: CoverageUnit) -> UnitOverview:
    """:func:`unit_coverage` and the numbers of :func:`unit_gaps` (``summary``, ``stated``, ``unmet``) in
    one query: the year's records are grouped once for both."""
    _ensure_stored(unit)
    plan = _Plan(unit, applicable_policies(unit), answers=_answers(), gaps=True)
    frames = _read(plan)
    assert frames.needs is not None  # gaps=True
    return UnitOverview(
        coverage=_unit_coverage(plan, frames),
        gaps=gap_counts(frames.needs, procedure().support_needs.ids),
    )


# --- gaps ----------------------------------------------------------------------------------------


def needs_frame(unit: CoverageUnit) -> pl.DataFrame:
    """The round's households with stated support needs, with their class and the needs some record of
    the year answered (:data:`~giamngheo.support.coverage.NEEDS_SCHEMA` and ``answered``), by household
    id; a household listed in two rounds of the unit once (the first round)."""
    schema = {**NEEDS_SCHEMA, "answered": _LIST}
    if not unit.rounds:
        return pl.DataFrame(schema=schema)
    answers = _answers()
    rounds = list(unit.round_communes)
    stated = (
        "SELECT c.household_id AS household_id, c.review_round_id AS round_id, c.village_id AS village_id,"
        f" c.klass AS klass, CAST(c.needs AS TEXT) AS needs FROM {_table(CoverageHousehold)} c"
        f" WHERE c.review_round_id IN {_in(rounds)} AND CAST(c.needs AS TEXT) <> %s"
    )
    params: list[object] = [*rounds, "[]"]
    if unit.village is not None:
        stated += " AND c.village_id = %s"
        params.append(unit.village.pk)
    flags = "".join(f", COALESCE(a.a{i}, 0)" for i, _n in enumerate(answers))
    sql = f"SELECT st.household_id, st.round_id, st.village_id, st.klass, st.needs{flags}"
    if answers:
        scope, scope_params = _record_scope(unit)
        ans = ", ".join(
            f"MAX(CASE WHEN p.need = %s THEN 1 ELSE 0 END) AS a{i}" for i, _n in enumerate(answers)
        )
        sql = (
            f"WITH ans AS (SELECT s.household_id AS household_id, {ans} FROM {_table(SupportRecord)} s"
            f" JOIN {_table(Policy)} p ON p.id = s.policy_id WHERE {scope} AND p.need IN {_in(answers)}"
            f" GROUP BY s.household_id) {sql} FROM ({stated}) st"
            " LEFT JOIN ans a ON a.household_id = st.household_id"
        )
        params = [*answers, *scope_params, *answers, *params]
    else:
        sql += f" FROM ({stated}) st"
    with _analytic():
        rows = _fetch(sql, params)
    columns: list[tuple[str, pl.DataType]] = [
        ("household_id", pl.Int64()),
        ("round_id", pl.Int64()),
        ("village_id", pl.Int64()),
        ("klass", pl.String()),
        ("needs_text", pl.String()),
        *[(f"x{i}", pl.Int64()) for i in range(len(answers))],
    ]
    frame = pl.DataFrame(rows, schema=columns, orient="row")
    return (
        frame.sort("household_id", "round_id")
        .unique("household_id", keep="first", maintain_order=True)
        .with_columns(
            (_commune_of(unit) if unit.level == "province" else pl.col("village_id")).alias("sub_id"),
            pl.col("needs_text").str.json_decode(_LIST).fill_null(pl.lit([], dtype=_LIST)).alias("needs"),
            pl.col("klass").fill_null(""),
            _answered_list(answers, masks=False).alias("answered"),
        )
        .filter(pl.col("needs").list.len() > 0)
        .select(*NEEDS_SCHEMA, "answered")
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
    _ensure_stored(unit)
    frame = needs_frame(unit)
    answered = frame.select("household_id", pl.col("answered").alias("need")).explode("need").drop_nulls()
    unmet = unmet_needs(frame.select(list(NEEDS_SCHEMA)), answered)
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
