"""Benchmark (đo hiệu năng) of the household registry on PostgreSQL, in one process.

Usage::

    .venv/bin/python benchmarks/registry.py [--households 1000000] [--requests 50]
        [--database-url postgres://postgres@127.0.0.1:5432/giamngheo_bench] [--reload]

Steps:

1. the database (``giamngheo_bench`` by default) is created if missing and migrated; the 2025 units
   are loaded if missing;
2. unless the registry already holds exactly ``--households`` households (or ``--reload``), the
   registry tables are emptied and loaded with ``COPY`` (``benchmarks/_registry_load.py``): the demo's
   generator (``registry.demo.demo_population``) over real communes of eight provinces, about 5,000
   households per commune; the load time is reported;
3. a commune officer of the first benchmark commune (5,000 households) is created if missing, then each
   request is run ``--requests`` times after 3 warm-up runs, and p50/p95 are reported:

   - ``list``: the household list, first page of 50 with the total count — the real page ``/ho/``
     through Django's test ``Client`` (logged in as the officer) when it answers 200, else the
     selector ``registry.selectors.household_list`` paginated the same way;
   - ``search``: ``registry.selectors.household_search`` with a member's full name without diacritics
     (a different member of the commune each time), first page of 50 and the count; the same search
     through ``/ho/?q=…`` is printed too when the page exists;
   - ``household``: the household page ``/ho/<pk>/`` (or the selector ``households_visible_to`` plus its
     members) for a different household each time;
4. ``round``: classification of the whole commune (5,000 households): ``review.services.round_classify``
   on a periodic round listing every household of the commune, with a Phiếu B per household made from
   the generator's synthetic facts (setup not timed) — or, when the review services are missing or fail,
   reading the commune from the registry, ``standards.validate_facts`` + ``evaluate`` and writing the
   results with ``COPY`` into a temporary table. The output says which.

Reference (the rule: ratios against a reference run in the same process): a ``SELECT 1`` round trip
through the same Django connection, timed the same way. It is the floor of any request (driver,
network, Django's cursor); ``ratio = p95 / p95(SELECT 1)`` says how many round trips a request costs,
which stays comparable between machines, where raw milliseconds do not. It does not judge the query
plans; the raw timings are printed next to it.

The last line is machine-readable::

    RESULT households=<n> list_p95_ms=<x> search_p95_ms=<y> household_p95_ms=<z> round_s=<t>
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/giamngheo_bench"
PAGE_SIZE = 50
WARMUP = 3


def ensure_database(url: str) -> bool:
    """Create the database of ``url`` if it does not exist (connecting to ``postgres``). True if created."""
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.site.settings")
    import django

    django.setup()


def percentile(samples: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of ``samples`` (seconds) in milliseconds."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1] * 1000


def timed_runs(run: Callable[[int], object], requests: int) -> list[float]:
    """Seconds of ``run(i)`` for i in 0..requests-1, after :data:`WARMUP` untimed runs."""
    for i in range(WARMUP):
        run(i)
    samples = []
    for i in range(requests):
        start = time.perf_counter()
        run(i)
        samples.append(time.perf_counter() - start)
    return samples


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--households", type=int, default=1_000_000, help="households to load (số hộ)")
    parser.add_argument("--requests", type=int, default=50, help="timed runs per request")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--reload", action="store_true", help="empty and load the registry even if loaded")
    args = parser.parse_args(argv)
    if args.households < 1 or args.requests < 1:
        parser.error("--households and --requests must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    created = ensure_database(args.database_url)
    setup_django(args.database_url)

    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.db import connection

    from benchmarks._registry_load import bench_plans, registry_load, registry_truncate
    from benchmarks._registry_round import round_benchmark
    from giamngheo.accounts.models import Role, User
    from giamngheo.accounts.services import user_create, user_scope_assign
    from giamngheo.geo.models import AdminUnit, Generation, Level
    from giamngheo.geo.services import units_load_2025
    from giamngheo.registry.demo import REFERENCE_DATE
    from giamngheo.registry.models import Household, Member
    from giamngheo.registry.selectors import household_list, household_search, households_visible_to

    print(f"Cơ sở dữ liệu / database: {args.database_url}{' (created)' if created else ''}")
    call_command("migrate", verbosity=0, skip_checks=True)
    if not AdminUnit.objects.filter(generation=Generation.Y2025).exists():
        units_load_2025(actor=None)

    n = args.households
    existing = Household.objects.count()
    load_seconds: float | None = None
    if args.reload or existing != n:
        print(f"Nạp sổ hộ / loading the registry: {n:,} households (was {existing:,})")
        registry_truncate()
        load_seconds, members = registry_load(n, log=print)
        print(f"  loaded in {load_seconds:.1f} s ({n / load_seconds:,.0f} households/s), {members:,} members")
    else:
        members = Member.objects.count()
        print(f"Sổ hộ đã có / registry already loaded: {n:,} households, {members:,} members (not reloaded)")

    first = bench_plans(n)[0]
    commune = AdminUnit.objects.get(
        generation=Generation.Y2025, level=Level.COMMUNE, code=first.communes[0].code
    )
    officer = User.objects.filter(username="bench_xa").first()
    if officer is None:
        officer = user_create(
            username="bench_xa",
            password="bench-officer-Quang-Ngai-2025",
            role=Role.COMMUNE_OFFICER,
            full_name="Cán bộ xã (benchmark)",
            actor=None,
        )
        user_scope_assign(user=officer, unit=commune, actor=None)
    in_commune = Household.objects.filter(commune=commune)
    commune_households = in_commune.count()
    rng = random.Random(2025)
    household_pks = rng.sample(list(in_commune.values_list("pk", flat=True)), WARMUP + args.requests)
    names = list(
        Member.objects.filter(household__commune=commune)
        .order_by("?")
        .values_list("full_name_search", flat=True)[: WARMUP + args.requests]
    )
    print(
        f"Xã / commune: {commune.name} ({commune.code}), {commune_households:,} households; "
        f"viewer: commune officer {officer.username}; {args.requests} timed runs after {WARMUP} warm-up runs"
    )

    def select_one(_: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def list_selector(_: int) -> None:
        paginator = Paginator(household_list(viewer=officer, commune=commune), PAGE_SIZE)
        page = paginator.page(1)
        list(page.object_list)
        assert paginator.count == commune_households

    def search_selector(i: int) -> None:
        paginator = Paginator(household_search(viewer=officer, query=names[i % len(names)]), PAGE_SIZE)
        page = paginator.page(1)
        assert len(list(page.object_list)) >= 1

    def household_selector(i: int) -> None:
        household = (
            households_visible_to(officer)
            .select_related("commune", "village", "head")
            .get(pk=household_pks[i])
        )
        assert list(Member.objects.filter(household=household).order_by("pk"))

    client, pages = _page_client(officer, household_pks[0])
    print(f"Trang / pages: {pages}")

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    from django.urls import reverse

    rows: list[tuple[str, list[float]]] = [("SELECT 1 (reference)", timed_runs(select_one, args.requests))]
    rows.append(("list: selector household_list, page 1 + count", timed_runs(list_selector, args.requests)))
    list_url = reverse("registry:list")
    rows.append((f"list: page {list_url}", timed_runs(lambda _: get(list_url), args.requests)))
    rows.append(
        ("search: selector household_search, page 1 + count", timed_runs(search_selector, args.requests))
    )
    rows.append(
        (
            "search: page /ho/?q=<name>",
            timed_runs(lambda i: get(f"{list_url}?q={names[i % len(names)]}"), args.requests),
        )
    )
    rows.append(("household: selector + members", timed_runs(household_selector, args.requests)))
    rows.append(
        (
            "household: page /ho/<pk>/",
            timed_runs(lambda i: get(reverse("registry:detail", args=[household_pks[i]])), args.requests),
        )
    )

    reference_p95 = percentile(rows[0][1], 95)
    print(f"{'request':<52} {'p50 ms':>9} {'p95 ms':>9} {'p95 / SELECT 1':>15}")
    results: dict[str, float] = {}
    for label, samples in rows:
        p50, p95 = percentile(samples, 50), percentile(samples, 95)
        results[label] = p95
        print(f"{label:<52} {p50:>9.2f} {p95:>9.2f} {p95 / reference_p95:>15.1f}")

    # The RESULT line reports the pages a person opens (the selectors are printed above for comparison).
    list_label, search_label = f"list: page {list_url}", "search: page /ho/?q=<name>"
    household_label = "household: page /ho/<pk>/"
    list_p95, search_p95, household_p95 = (
        results[label] for label in (list_label, search_label, household_label)
    )

    round_seconds, round_how = round_benchmark(commune=commune, plan=first, reference_date=REFERENCE_DATE)
    print(f"Phân loại cả xã / whole-commune round: {round_seconds:.2f} s via {round_how}")
    print(
        f"RESULT uses: list = {list_label}; search = {search_label}; household = {household_label}; "
        f"load_s = {'not reloaded' if load_seconds is None else f'{load_seconds:.1f}'}"
    )
    print(
        f"RESULT households={n} list_p95_ms={list_p95:.2f} search_p95_ms={search_p95:.2f} "
        f"household_p95_ms={household_p95:.2f} round_s={round_seconds:.2f}"
    )
    return 0


def _page_client(officer: Any, household_pk: int) -> tuple[Any, str]:
    """A test ``Client`` logged in as ``officer``, after checking that ``/ho/`` and ``/ho/<pk>/`` answer
    200 (the benchmark stops with an error otherwise, rather than measure something else)."""
    from django.test import Client
    from django.urls import reverse

    list_url = reverse("registry:list")
    detail_url = reverse("registry:detail", args=[household_pk])
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    answers = {url: client.get(url).status_code for url in (list_url, detail_url)}
    if any(code != 200 for code in answers.values()):
        raise SystemExit(f"the registry pages do not answer 200: {answers}")
    return client, f"measured through django.test.Client ({', '.join(answers)})"


if __name__ == "__main__":
    sys.exit(main())
