"""Benchmark (đo hiệu năng) of the coverage of the support policies (độ bao phủ chính sách hỗ trợ): 5 million
support records for a 1.5-million-household province on PostgreSQL, coverage of the province and of a
commune.

Usage::

    .venv/bin/python benchmarks/support.py [--households 1500000] [--records 5000000] [--province 51]
        [--requests 30] [--database-url postgres://postgres@127.0.0.1:5432/giamngheo_dashboard]
        [--reload] [--profile]

Steps:

1. the database (``giamngheo_dashboard`` by default, the one ``benchmarks/dashboard.py`` fills) is
   created if missing and migrated; the 2025 units are loaded if missing; unless the province already
   holds ``--households`` households with their approved 2024 and 2025 rounds, they are loaded by
   ``benchmarks/_dashboard_load.py`` (the dashboard benchmark's loader, imported);
2. unless the province already holds ``--records`` records of the benchmark's policies (or ``--reload``),
   ``benchmarks/_support_load.py`` adds the members (that loader makes none), the support needs of the
   poor and near-poor households, ten national policies and the records of 2024 and 2025 with ``COPY``;
   then the coverage store of the province's approved rounds
   (:mod:`giamngheo.support.services.coverage`, written when a round is approved; the loaders approve
   in bulk, without the signal): rebuilt after a load (the needs were written into approved rounds),
   else only the rounds not stored yet — its time is printed, not part of the goal;
3. ``province``: :func:`giamngheo.support.coverage_selectors.unit_coverage` of the province for 2025 (all
   policies, every commune's row: what the coverage page, its Excel, the API and Biểu 05 compute) —
   median of 3 runs after a warm-up run, in seconds; then, timed the same way but not part of the goal,
   the province's coverage page (:func:`~giamngheo.support.coverage_selectors.unit_overview`: the
   coverage and the gaps' numbers in one query) and the gap list
   (:func:`~giamngheo.support.coverage_selectors.unit_gaps`, every household with a need);
4. ``commune``: the same for the province's first commune, ``--requests`` runs after 3 warm-up runs,
   p50/p95 in ms; then the commune's coverage page (``/ho-tro/do-bao-phu/?don_vi=xa-…``) through
   Django's test ``Client`` as a province officer, for information.

Each result is checked: the province's eligible members of ``bench-bhyt-ngheo`` equal the members living
in its poor households, counted here with one plain SQL query, a commune's rows add up to the
province's, and the page's figures and gaps are those of ``unit_coverage`` and ``unit_gaps``.

Reference (as in the other benchmarks): a ``SELECT 1`` round trip through the same Django connection,
timed the same way; each timing is also printed as a ratio to it.

Goals: province under 5 s, commune p95 under 200 ms. The last line is machine-readable::

    RESULT records=<n> province_coverage_s=<x> commune_coverage_p95_ms=<y> province_page_s=<z>
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.dashboard import DEFAULT_DATABASE_URL, OFFICER, profile_top
from benchmarks.registry import WARMUP, ensure_database, percentile, setup_django, timed_runs

YEAR = 2025
PROVINCE_GOAL_S = 5.0
COMMUNE_GOAL_MS = 200.0
PROVINCE_RUNS = 3
HOUSEHOLDS = 1_500_000
RECORDS = 5_000_000


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--households", type=int, default=HOUSEHOLDS, help="households (số hộ)")
    parser.add_argument(
        "--records",
        type=int,
        default=None,
        help="support records (default: 5,000,000 for 1,500,000 households, in proportion otherwise)",
    )
    parser.add_argument("--province", default="51", help="2025 province code (mã tỉnh)")
    parser.add_argument("--requests", type=int, default=30, help="timed runs of the commune")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--reload", action="store_true", help="load the support records even if loaded")
    parser.add_argument("--profile", action="store_true", help="cProfile one run of a measure above its goal")
    args = parser.parse_args(argv)
    if args.records is None:
        args.records = round(RECORDS * args.households / HOUSEHOLDS)
    if args.households < 1 or args.requests < 1 or args.records < 1:
        parser.error("--households, --records and --requests must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    created = ensure_database(args.database_url)
    setup_django(args.database_url)
    for noisy in ("fontTools", "giamngheo.reports.services"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    from django.db import connection
    from django.test import Client

    from benchmarks._dashboard_load import (
        bench_province,
        dashboard_load,
        dashboard_truncate,
        loaded_households,
    )
    from benchmarks._support_load import (
        POLICY_PREFIX,
        loaded_members,
        loaded_records,
        policies_ensure,
        support_load,
    )
    from giamngheo.accounts.models import Role, User
    from giamngheo.accounts.services import user_create, user_scope_assign
    from giamngheo.geo.models import AdminUnit, Generation, Level
    from giamngheo.reports.forms.data import scope_for
    from giamngheo.review.models import APPROVED_STATUSES, ReviewRound, RoundKind
    from giamngheo.support.coverage_selectors import (
        CoverageUnit,
        coverage_unit,
        unit_coverage,
        unit_gaps,
        unit_overview,
    )
    from giamngheo.support.models import CoverageHousehold
    from giamngheo.support.services.coverage import coverage_rebuild, coverage_rounds_ensure

    print(f"Cơ sở dữ liệu / database: {args.database_url}{' (created)' if created else ''}")
    code = args.province
    province = bench_province(code)

    # 1. households and rounds (the dashboard benchmark's data)
    n = args.households
    existing = loaded_households(code)
    if existing != n:
        print(f"Nạp hộ / loading households: {n:,} of {province.name} ({code}), was {existing or 0:,}")
        dashboard_truncate()
        stats = dashboard_load(n, province_code=code, log=print)
        print(f"  loaded in {stats.seconds:.1f} s")
    else:
        print(
            f"Đã có / already loaded: {n:,} households of {province.name} ({code}) with rounds 2024 and 2025"
        )

    # 2. members, needs, policies, records
    records = loaded_records(code)
    loaded = args.reload or records != args.records or loaded_members(code) == 0
    if loaded:
        print(f"Nạp hỗ trợ / loading support: {args.records:,} records (was {records:,})")
        support = support_load(args.records, province_code=code, log=print)
        print(f"  loaded in {support.seconds:.1f} s")
    else:
        print(f"Đã có / already loaded: {records:,} support records, {loaded_members(code):,} members")
        policies_ensure()  # the catalogue as this file has it
    records = loaded_records(code)

    # 2b. the coverage store of the approved rounds (the loaders approve without the signal)
    start = time.perf_counter()
    if loaded:
        stored = coverage_rebuild(province_code=code)
    else:
        stored = coverage_rounds_ensure(
            ReviewRound.objects.filter(
                province_code=code, kind=RoundKind.PERIODIC, status__in=APPROVED_STATUSES
            )
        )
    if stored:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {CoverageHousehold._meta.db_table}")
    print(
        f"Số liệu lưu / coverage store: {stored} rounds stored in {time.perf_counter() - start:.1f} s, "
        f"{CoverageHousehold.objects.filter(province_code=code).count():,} households kept"
    )

    officer = User.objects.filter(username=f"{OFFICER}_{code}").first()
    if officer is None:
        officer = user_create(
            username=f"{OFFICER}_{code}",
            password="bench-officer-tinh-2025",
            role=Role.PROVINCE_OFFICER,
            full_name="Cán bộ tỉnh (benchmark)",
            actor=None,
        )
        user_scope_assign(user=officer, unit=province, actor=None)
    commune = (
        AdminUnit.objects.filter(generation=Generation.Y2025, level=Level.COMMUNE, province_code=code)
        .order_by("code")
        .first()
    )
    assert commune is not None

    def unit_of(key: str) -> CoverageUnit:
        scope = scope_for(officer, key)
        assert scope is not None, key
        unit = coverage_unit(viewer=officer, scope=scope, year=YEAR)
        assert unit is not None
        return unit

    province_key, commune_key = f"tinh-{code}", f"xa-{commune.code}"

    def province_once() -> Any:
        return unit_coverage(unit_of(province_key))

    def commune_once(_: int = 0) -> Any:
        return unit_coverage(unit_of(commune_key))

    # checks: the poor households' members living there (plain SQL) = eligible members of BHYT hộ nghèo
    result = province_once()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM registry_member m JOIN review_result r ON r.household_id = m.household_id "
            "JOIN review_reviewround rr ON rr.id = r.round_id WHERE rr.province_code = %s AND rr.year = %s "
            "AND rr.kind = 'periodic' AND NOT r.superseded AND r.klass = 'poor' AND m.status = 'present'",
            [code, YEAR],
        )
        (poor_members,) = cursor.fetchone()
    rows = {p.code: row for p, row in result.total_rows()}
    health = rows.get(f"{POLICY_PREFIX}bhyt-ngheo")
    if health is None or health["eligible"] != poor_members:
        raise SystemExit(f"check failed: eligible members {health and health['eligible']} != {poor_members}")
    first = commune_once()
    by_unit = result.figures.by_unit
    commune_rows = by_unit.filter(by_unit["sub_id"] == commune.pk)
    first_totals = {row["policy_id"]: row["eligible"] for row in first.figures.total.iter_rows(named=True)}
    for row in commune_rows.iter_rows(named=True):
        if first_totals.get(row["policy_id"], 0) != row["eligible"]:
            raise SystemExit(f"check failed: commune {commune.code} policy {row['policy_id']}")
    overview = unit_overview(unit_of(province_key))
    if not overview.coverage.figures.by_unit.equals(result.figures.by_unit):
        raise SystemExit("check failed: the page's coverage differs from unit_coverage")
    listed = unit_gaps(unit_of(province_key))
    if not overview.gaps.summary.equals(listed.summary) or (overview.gaps.stated, overview.gaps.unmet) != (
        listed.stated,
        listed.unmet,
    ):
        raise SystemExit("check failed: the page's gaps differ from unit_gaps")
    print(
        f"Kiểm tra / checks: {poor_members:,} members of poor households eligible for BHYT hộ nghèo; "
        f"the commune's rows equal its own coverage; the page's figures and gaps equal the lists'"
    )
    print(
        f"{'policy':<36} {'eligible':>10} {'covered':>10} {'share %':>8} {'records':>10} {'ineligible':>10}"
    )
    for policy, row in result.total_rows():
        share = "–" if row["share"] is None else f"{row['share']:.2f}"
        print(
            f"{policy.name[:36]:<36} {row['eligible']:>10,} {row['covered']:>10,} {share:>8} "
            f"{row['records']:>10,} {row['ineligible_records']:>10,}"
        )

    def select_one(_: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    reference = timed_runs(select_one, args.requests)
    reference_p95 = percentile(reference, 95)

    # 3. the province
    runs = []
    for _ in range(PROVINCE_RUNS):
        start = time.perf_counter()
        province_once()
        runs.append(time.perf_counter() - start)
    province_s = statistics.median(runs)
    page_runs = []
    for _ in range(PROVINCE_RUNS):
        start = time.perf_counter()
        unit_overview(unit_of(province_key))
        page_runs.append(time.perf_counter() - start)
    page_s = statistics.median(page_runs)
    gap_runs = []
    gaps = None
    for _ in range(PROVINCE_RUNS):
        start = time.perf_counter()
        gaps = unit_gaps(unit_of(province_key))
        gap_runs.append(time.perf_counter() - start)
    assert gaps is not None

    # 4. the commune
    samples = timed_runs(commune_once, args.requests)
    commune_p50, commune_p95 = percentile(samples, 50), percentile(samples, 95)
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    page_url = f"/ho-tro/do-bao-phu/?don_vi={commune_key}&nam={YEAR}"

    def page(_: int = 0) -> None:
        response = client.get(page_url)
        if response.status_code != 200:
            raise SystemExit(f"{page_url} answered {response.status_code}")

    page_samples = timed_runs(page, args.requests)

    print(f"{'measure':<34} {'p50 ms':>10} {'p95 ms':>10} {'/ SELECT 1':>12}")
    print(
        f"{'SELECT 1 (reference)':<34} {percentile(reference, 50):>10.2f} {reference_p95:>10.2f} {1.0:>12.1f}"
    )
    print(
        f"{'province coverage (median of 3)':<34} {province_s * 1000:>10.0f} {max(runs) * 1000:>10.0f} "
        f"{province_s * 1000 / reference_p95:>12.0f}"
    )
    print(
        f"{'province page: coverage + gaps':<34} {page_s * 1000:>10.0f} {max(page_runs) * 1000:>10.0f} "
        f"{page_s * 1000 / reference_p95:>12.0f}   (median of 3, one query)"
    )
    print(
        f"{'province gap list (median of 3)':<34} {statistics.median(gap_runs) * 1000:>10.0f} "
        f"{max(gap_runs) * 1000:>10.0f} {statistics.median(gap_runs) * 1000 / reference_p95:>12.0f}"
        f"   ({gaps.stated:,} households with needs, {gaps.unmet:,} with an unmet need)"
    )
    print(
        f"{'commune coverage':<34} {commune_p50:>10.2f} {commune_p95:>10.2f} "
        f"{commune_p95 / reference_p95:>12.1f}   ({commune.name}, {commune.code})"
    )
    print(
        f"{'commune coverage page':<34} {percentile(page_samples, 50):>10.2f} "
        f"{percentile(page_samples, 95):>10.2f} {percentile(page_samples, 95) / reference_p95:>12.1f}"
        f"   {page_url}"
    )
    print(
        f"Province runs: {', '.join(f'{s:.2f}' for s in runs)} s; {WARMUP} warm-up runs before the "
        f"{args.requests} commune runs"
    )
    over = []
    if province_s > PROVINCE_GOAL_S:
        over.append(f"province {province_s:.1f} s")
    if commune_p95 > COMMUNE_GOAL_MS:
        over.append(f"commune p95 {commune_p95:.0f} ms")
    print(
        f"Mục tiêu / goals (province < {PROVINCE_GOAL_S:.0f} s, commune p95 < {COMMUNE_GOAL_MS:.0f} ms): "
        + ("all met" if not over else "above goal: " + ", ".join(over))
    )
    if args.profile:
        measures: list[tuple[str, Callable[[], object]]] = []
        if province_s > PROVINCE_GOAL_S:
            measures.append(("province", province_once))
        if commune_p95 > COMMUNE_GOAL_MS:
            measures.append(("commune", commune_once))
        for label, run in measures:
            print(f"--- profile: {label}")
            print(profile_top(run))
    print(
        f"RESULT records={records} province_coverage_s={province_s:.2f} "
        f"commune_coverage_p95_ms={commune_p95:.2f} province_page_s={page_s:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
