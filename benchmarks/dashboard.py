"""Benchmark (đo hiệu năng) of the dashboards, the map, the API and the report forms of one province of
1.5 million households on PostgreSQL, read from the stored figures of approved rounds.

Usage::

    .venv/bin/python benchmarks/dashboard.py [--households 1500000] [--province 51] [--requests 30]
        [--database-url postgres://postgres@127.0.0.1:5432/giamngheo_dashboard] [--reload] [--profile]

Steps:

1. the database (``giamngheo_dashboard`` by default) is created if missing and migrated; the 2025
   units are loaded if missing;
2. unless the province already holds exactly ``--households`` households with their rounds (or
   ``--reload``), the registry, review and figures tables are emptied and loaded with ``COPY``
   (``benchmarks/_dashboard_load.py``): every 2025 commune of the province, households spread evenly,
   15 villages per commune, and for 2024 and 2025 one approved periodic round per commune with a list
   entry and a current result per household (about 10 % poor, 8 % near-poor, 12 % middle-living in
   2025, more poor in 2024); the load time is printed;
3. ``figures``: ``reports.services.figures_rebuild(province_code=…, year=…)`` for 2024 then 2025 —
   what every approval pays for its commune (``round_figures_store``), so the seconds are also given
   per round and scaled to a commune of 15,000 households;
4. pages, through Django's test ``Client`` logged in as a province officer of the province (created
   with ``accounts.services.user_create`` / ``user_scope_assign`` if missing), each ``--requests``
   times after 3 warm-up runs, p50/p95 in ms: the province dashboard
   (``/bao-cao/bang-dieu-khien/tinh/<code>/``), the dashboard of the first commune and of its first
   village, the map of the province (``/bao-cao/ban-do/?tinh=<code>``) and the API summary of the
   province (``/api/v1/reports/summary?unit=tinh-<code>``). Every response must be 200 and show the
   poor-household rate of its unit, computed here from ``report_figures`` (sanity check); the number
   of SQL queries of one request is printed;
5. ``forms``: the four standard forms of the province from the database, as the form pages and the
   background job build them — ``reports.forms.data.form_context`` + ``registry.build_all`` + rendering
   each form as xlsx, pdf and csv (twelve files) — median of 3 runs after a warm-up run, checked
   against the province's totals.

Goals: every page p95 < 300 ms, forms ≤ 10 s. With ``--profile``, one run of every measure above its
goal is profiled (cProfile, top 15 by cumulative time).

Reference (the rule: ratios against a reference run in the same process): a ``SELECT 1`` round trip
through the same Django connection, timed the same way (``benchmarks/registry.py``). ``p95 / SELECT 1``
says how many round trips a page costs, which stays comparable between machines, where raw
milliseconds do not; the raw timings are printed next to it.

The last line is machine-readable::

    RESULT households=<n> figures_s=<x> province_dashboard_p95_ms=<p> commune_dashboard_p95_ms=<c>
        village_dashboard_p95_ms=<v> map_p95_ms=<m> api_summary_p95_ms=<a> forms_s=<f>

(on one line).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import io
import json
import logging
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.registry import WARMUP, ensure_database, percentile, setup_django, timed_runs

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/giamngheo_dashboard"
YEAR = 2025
PAGE_GOAL_MS = 300.0
FORMS_GOAL_S = 10.0
FORMS_RUNS = 3
#: The commune size the per-approval cost of the figures is scaled to.
COMMUNE_HOUSEHOLDS = 15_000
OFFICER = "bench_tinh"


@dataclass(frozen=True)
class Page:
    """A page of the benchmark: its label, the key of the RESULT line, its URL and a check of the body."""

    label: str
    key: str
    url: str
    check: Callable[[bytes], str | None]  # None when the body is right, else what is wrong


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--households", type=int, default=1_500_000, help="households to load (số hộ)")
    parser.add_argument("--province", default="51", help="2025 province code (mã tỉnh)")
    parser.add_argument("--requests", type=int, default=30, help="timed runs per page")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--reload", action="store_true", help="empty and load the tables even if loaded")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one run of every measure above its goal"
    )
    args = parser.parse_args(argv)
    if args.households < 1 or args.requests < 1:
        parser.error("--households and --requests must be at least 1")
    return args


def profile_top(run: Callable[[], object], lines: int = 15) -> str:
    """cProfile of one ``run()``: the ``lines`` functions with the largest cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(lines)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    created = ensure_database(args.database_url)
    setup_django(args.database_url)
    for noisy in ("fontTools", "giamngheo.reports.services"):  # a line per subset font, per round
        logging.getLogger(noisy).setLevel(logging.WARNING)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from benchmarks._dashboard_load import (
        ROUND_DATES,
        bench_province,
        dashboard_load,
        dashboard_truncate,
        loaded_households,
        province_communes,
    )
    from giamngheo.accounts.models import Role, User
    from giamngheo.accounts.services import user_create, user_scope_assign
    from giamngheo.geo.models import AdminUnit, Generation, Level, Village
    from giamngheo.reports.aggregation import summary
    from giamngheo.reports.forms.data import form_context, scope_for
    from giamngheo.reports.forms.registry import build_all
    from giamngheo.reports.forms.render import FORMATS, render
    from giamngheo.reports.models import RoundFigures
    from giamngheo.reports.selectors import report_figures
    from giamngheo.reports.services import figures_rebuild
    from giamngheo.site.standards.presentation import number

    print(f"Cơ sở dữ liệu / database: {args.database_url}{' (created)' if created else ''}")
    code = args.province
    province = bench_province(code)

    # 1. load
    n = args.households
    existing = loaded_households(code)
    load_seconds: float | None = None
    if args.reload or existing != n:
        print(f"Nạp dữ liệu / loading: {n:,} households of {province.name} ({code}), was {existing or 0:,}")
        dashboard_truncate()
        stats = dashboard_load(n, province_code=code, log=print)
        load_seconds = stats.seconds
        print(
            f"  loaded in {stats.seconds:.1f} s: {stats.households:,} households, {stats.communes} communes, "
            f"{stats.villages:,} villages, {stats.rounds} rounds, {stats.results:,} entries and results"
        )
    else:
        print(f"Đã nạp / already loaded: {n:,} households of {province.name} ({code}) (not reloaded)")

    # 2. figures
    figures_seconds = 0.0
    households_per_commune = n / len(province_communes(code))
    for year in sorted(ROUND_DATES):
        start = time.perf_counter()
        rounds = figures_rebuild(province_code=code, year=year)
        seconds = time.perf_counter() - start
        figures_seconds += seconds
        per_round = seconds / max(rounds, 1)
        print(
            f"Số liệu tổng hợp / figures_rebuild {year}: {seconds:.1f} s for {rounds} rounds, "
            f"{per_round:.2f} s per round of {households_per_commune:,.0f} households, "
            f"{per_round * COMMUNE_HOUSEHOLDS / households_per_commune:.2f} s per "
            f"{COMMUNE_HOUSEHOLDS:,}-household commune (scaled linearly)"
            + (" — with the transitions from the year before" if year > min(ROUND_DATES) else "")
        )
    print(
        f"  {figures_seconds:.1f} s in all, {RoundFigures.objects.filter(province_code=code).count():,} "
        "figures rows; the cost of one approval is the per-commune time of a round with a year before"
    )

    # 3. pages
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
    village = Village.objects.filter(commune=commune).order_by("code").first()
    assert village is not None

    def poor_rate(**where: Any) -> float:
        frame = report_figures(viewer=officer, year=YEAR, **where)
        rate = summary(frame).row(0, named=True)["poor_rate"]
        assert rate is not None, where
        return float(rate)

    rates = {
        "province": poor_rate(unit=province),
        "commune": poor_rate(unit=commune),
        "village": poor_rate(village=village),
    }
    with translation.override("vi"):
        texts = {level: number(rate, 2) for level, rate in rates.items()}

    def shows(level: str) -> Callable[[bytes], str | None]:
        def check(body: bytes) -> str | None:
            found = texts[level] in body.decode()
            return None if found else f"the {level}'s poor rate {texts[level]} is not on the page"

        return check

    def api_check(body: bytes) -> str | None:
        total = json.loads(body)["total"]
        if abs(total["poor_rate"] - rates["province"]) > 1e-9 or total["households"] != n:
            return f"API total {total['households']} households, {total['poor_rate']} % poor"
        return None

    pages = [
        Page(
            "province dashboard",
            "province_dashboard",
            reverse("reports:dashboard_province", args=[code]),
            shows("province"),
        ),
        Page(
            "commune dashboard",
            "commune_dashboard",
            reverse("reports:dashboard_commune", args=[commune.pk]),
            shows("commune"),
        ),
        Page(
            "village dashboard",
            "village_dashboard",
            reverse("reports:dashboard_village", args=[village.pk]),
            shows("village"),
        ),
        Page("map", "map", f"{reverse('reports:map')}?tinh={code}", shows("province")),
        Page(
            "API summary", "api_summary", f"/api/v1/reports/summary?unit=tinh-{code}&year={YEAR}", api_check
        ),
    ]
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)

    def get(page: Page, _: int = 0) -> None:
        response = client.get(page.url)
        if response.status_code != 200:
            raise SystemExit(f"{page.url} answered {response.status_code}")
        wrong = page.check(response.content)
        if wrong is not None:
            raise SystemExit(f"{page.url}: {wrong}")

    queries: dict[str, int] = {}
    for page in pages:
        get(page)  # fails before anything is timed
        with CaptureQueriesContext(connection) as captured:
            get(page)
        queries[page.key] = len(captured)
    print(
        f"Trang / pages as {officer.username} (province officer of {code}), {args.requests} timed runs after "
        f"{WARMUP} warm-up runs; commune {commune.name} ({commune.code}), village {village.name}; poor rates "
        + ", ".join(f"{level} {text} %" for level, text in texts.items())
    )

    def select_one(_: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    reference = timed_runs(select_one, args.requests)
    reference_p95 = percentile(reference, 95)
    print(f"{'request':<22} {'p50 ms':>9} {'p95 ms':>9} {'p95 / SELECT 1':>15} {'queries':>8}  url")
    reference_p50 = percentile(reference, 50)
    print(f"{'SELECT 1 (reference)':<22} {reference_p50:>9.2f} {reference_p95:>9.2f} {1.0:>15.1f}")
    p95s: dict[str, float] = {}
    for page in pages:
        samples = timed_runs(functools.partial(get, page), args.requests)
        p50, p95 = percentile(samples, 50), percentile(samples, 95)
        p95s[page.key] = p95
        print(
            f"{page.label:<22} {p50:>9.2f} {p95:>9.2f} {p95 / reference_p95:>15.1f} "
            f"{queries[page.key]:>8}  {page.url}"
        )

    # 4. forms
    scope = scope_for(officer, f"tinh-{code}")
    assert scope is not None

    def forms_once() -> dict[str, bytes]:
        context = form_context(
            viewer=officer, scope=scope, year=YEAR, day=dt.date(YEAR + 1, 1, 15), transitions=True
        )
        forms = build_all(context)
        total = forms["01"].total
        assert total is not None and total[2] == n, ("Biểu 01 total", total)
        return {f"{c}.{fmt}": render(form, fmt) for c, form in forms.items() for fmt in FORMATS}

    forms_once()
    runs = []
    files: dict[str, bytes] = {}
    for _ in range(FORMS_RUNS):
        start = time.perf_counter()
        files = forms_once()
        runs.append(time.perf_counter() - start)
    forms_seconds = statistics.median(runs)
    print(
        f"Biểu mẫu / forms of {scope.name}: {len(files)} files, "
        + ", ".join(f"{s:.2f}" for s in runs)
        + f" s (median {forms_seconds:.2f} s, goal ≤ {FORMS_GOAL_S:.0f} s); "
        + ", ".join(f"{name} {len(data) / 1024:.0f} KB" for name, data in files.items())
    )

    if args.profile:
        for page in pages:
            if p95s[page.key] > PAGE_GOAL_MS:
                print(f"--- profile: {page.label} {page.url} (p95 {p95s[page.key]:.0f} ms > goal)")
                print(profile_top(functools.partial(get, page, 0)))
        if forms_seconds > FORMS_GOAL_S:
            print(f"--- profile: forms ({forms_seconds:.1f} s > {FORMS_GOAL_S:.0f})")
            print(profile_top(forms_once))

    over = [f"{key} {p95:.0f} ms" for key, p95 in p95s.items() if p95 > PAGE_GOAL_MS]
    if forms_seconds > FORMS_GOAL_S:
        over.append(f"forms {forms_seconds:.1f} s")
    print(
        "Mục tiêu / goals (pages p95 < 300 ms, forms ≤ 10 s): "
        + ("all met" if not over else "above goal: " + ", ".join(over))
        + f"; load_s = {'not reloaded' if load_seconds is None else f'{load_seconds:.1f}'}"
    )
    print(
        f"RESULT households={n} figures_s={figures_seconds:.2f} "
        + " ".join(f"{page.key}_p95_ms={p95s[page.key]:.2f}" for page in pages)
        + f" forms_s={forms_seconds:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
