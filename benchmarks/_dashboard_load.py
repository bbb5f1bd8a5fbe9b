"""Bulk load of one province with two years of approved periodic rounds, with ``COPY`` (for
``benchmarks/dashboard.py``).

Into the 2025 communes of one province (:data:`BENCH_PROVINCE` by default), households spread evenly,
:data:`VILLAGES_PER_COMMUNE` villages per commune (``geo.Village``), only the columns the reports read
(commune, village, area, the four subgroup flags, status active). Then, for each year of
:data:`ROUND_DATES`, one approved periodic round per commune (``review.ReviewRound``, standard
:data:`STANDARD_ID`) with one ``RoundHousehold`` (its causes of poverty) and one current ``Result`` (class
and deprived indicators) per household. Classes come from one latent score per household, so that the
two years are related and transitions exist: about 10 % poor, 8 % near-poor, 12 % middle-living in 2025
and a few points more poor and near-poor in 2024 (:data:`CLASS_SHARES`). Poor households are deprived in
at least the standard's cut-off (3 of 12 indicators), the others in fewer.

Everything is generated with numpy/Polars from :data:`BENCH_SEED` (deterministic for a given number of
households and unit data). Benchmark scaffolding only: it bypasses the services (no audit rows, no
stored figures — ``reports.services.figures_rebuild`` is what the benchmark times), but every row is
valid for the models (NOT NULL columns, unique constraints, foreign keys checked at commit).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from django.db import connection, models, transaction
from django.utils import timezone

from benchmarks._registry_load import copy_frame
from giamngheo.geo.models import AdminUnit, Area, Generation, Level, Village, VillageKind
from giamngheo.registry.models import Household, HouseholdArea, HouseholdStatus
from giamngheo.reports.models import RoundFigures
from giamngheo.review.models import (
    ListReason,
    Result,
    ReviewRound,
    RoundHousehold,
    RoundKind,
    RoundStatus,
)
from giamngheo.review.procedure import procedure
from giamngheo.standards import get_standard

BENCH_PROVINCE = "51"
VILLAGES_PER_COMMUNE = 15
BENCH_SEED = 2025
STANDARD_ID = "vn-2022-2025"
#: Reference date of each year's periodic round (the review season is 1 September – 14 December).
ROUND_DATES: dict[int, dt.date] = {2024: dt.date(2024, 11, 1), 2025: dt.date(2025, 11, 1)}
#: Shares of poor, near-poor and middle-living households per year (the rest: not poor).
CLASS_SHARES: dict[int, tuple[float, float, float]] = {
    2024: (0.13, 0.09, 0.12),
    2025: (0.10, 0.08, 0.12),
}
#: Monthly income per person of the poverty line of the 2022-2025 standard (rural, urban), VND.
LINES = {"rural": 1_500_000.0, "urban": 2_000_000.0}
#: Rows per ``COPY`` (bounds the CSV buffer of the large tables).
CHUNK = 250_000
_CLASSES = ("poor", "near_poor", "middle_living", "not_poor")
_VILLAGE_CODE = "DB{:02d}"  # the benchmark's villages: DB01 … DB15 of every commune


@dataclass(frozen=True, slots=True)
class LoadStats:
    """What :func:`dashboard_load` wrote and how long it took (seconds)."""

    households: int
    communes: int
    villages: int
    rounds: int
    results: int
    seconds: float


def bench_province(code: str) -> AdminUnit:
    """Migrate the benchmark database, load the 2025 units if they are missing, and return the 2025
    province ``code`` (exits with a message when there is none)."""
    from django.core.management import call_command

    from giamngheo.geo.services import units_load_2025

    call_command("migrate", verbosity=0, skip_checks=True)
    if not AdminUnit.objects.filter(generation=Generation.Y2025).exists():
        units_load_2025(actor=None)
    province = AdminUnit.objects.filter(generation=Generation.Y2025, level=Level.PROVINCE, code=code).first()
    if province is None:
        raise SystemExit(f"no 2025 province with code {code}")
    return province


def province_communes(province_code: str) -> list[AdminUnit]:
    """The 2025 communes of the province, in code order."""
    return list(
        AdminUnit.objects.filter(
            generation=Generation.Y2025, level=Level.COMMUNE, province_code=province_code
        ).order_by("code")
    )


def loaded_households(province_code: str) -> int | None:
    """The number of households of a complete load of the province (every household with a round entry
    and a current result in each year, one approved round per commune and year), else ``None``."""
    households = Household.objects.filter(province_code=province_code).count()
    communes = len(province_communes(province_code))
    rounds = ReviewRound.objects.filter(
        province_code=province_code,
        kind=RoundKind.PERIODIC,
        status=RoundStatus.APPROVED,
        year__in=list(ROUND_DATES),
    ).count()
    entries = RoundHousehold.objects.filter(province_code=province_code).count()
    results = Result.objects.filter(province_code=province_code, superseded=False).count()
    years = len(ROUND_DATES)
    if households == 0 or rounds != communes * years or entries != results or results != households * years:
        return None
    if Household.objects.exclude(province_code=province_code).exists():
        return None
    return households


def dashboard_truncate() -> None:
    """Empty the review, figures and registry tables (and what refers to them) and restart their ids."""
    tables = ", ".join(
        connection.ops.quote_name(m._meta.db_table)
        for m in (RoundFigures, Result, RoundHousehold, ReviewRound, Household)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def _villages(communes: Sequence[AdminUnit], valid_from: dt.date) -> np.ndarray:
    """Create the benchmark's villages (if missing); their pks as a (communes × villages) array."""
    wanted = [
        Village(
            commune=commune,
            province_code=commune.province_code,
            code=_VILLAGE_CODE.format(v + 1),
            name=(f"Tổ dân phố {v + 1}" if commune.default_area == Area.URBAN else f"Thôn {v + 1}"),
            kind=VillageKind.TO_DAN_PHO if commune.default_area == Area.URBAN else VillageKind.THON,
            valid_from=valid_from,
        )
        for commune in communes
        for v in range(VILLAGES_PER_COMMUNE)
    ]
    Village.objects.bulk_create(wanted, ignore_conflicts=True, batch_size=2000)
    pks = {
        (commune_id, code): pk
        for commune_id, code, pk in Village.objects.filter(
            commune__in=communes, code__startswith="DB"
        ).values_list("commune_id", "code", "pk")
    }
    return np.array(
        [[pks[(c.pk, _VILLAGE_CODE.format(v + 1))] for v in range(VILLAGES_PER_COMMUNE)] for c in communes],
        dtype=np.int64,
    )


def _json_lists(flags: np.ndarray, ids: Sequence[str]) -> pl.Series:
    """One JSON list (text) per row of the boolean matrix ``flags`` (rows × ``ids``): the ids set."""
    frame = pl.DataFrame({f"f{i}": flags[:, i] for i in range(len(ids))})
    items = pl.concat_list(
        [pl.when(pl.col(f"f{i}")).then(pl.lit(item)) for i, item in enumerate(ids)]
    ).list.drop_nulls()
    return frame.select(
        pl.when(items.list.len() == 0)
        .then(pl.lit("[]"))
        .otherwise(pl.format('["{}"]', items.list.join('", "')))
        .alias("json")
    ).to_series()


def _pick(rng: np.random.Generator, rows: int, width: int, wanted: np.ndarray) -> np.ndarray:
    """A (rows × width) boolean matrix with ``wanted[r]`` distinct columns set in row ``r``, at random."""
    ranks = rng.random((rows, width)).argsort(axis=1).argsort(axis=1)
    return ranks < wanted[:, None]


def _classes(score: np.ndarray, shares: tuple[float, float, float]) -> np.ndarray:
    """Class index (0 poor, 1 near-poor, 2 middle-living, 3 not poor) from the latent score."""
    bounds = np.cumsum(shares)
    return np.searchsorted(bounds, score, side="right")


def _copy_chunks(model: type[models.Model], frame: pl.DataFrame, constants: dict[str, object]) -> None:
    for start in range(0, frame.height, CHUNK):
        copy_frame(model, frame.slice(start, CHUNK), **constants)


def dashboard_load(
    households: int, *, province_code: str = BENCH_PROVINCE, log: Callable[[str], None]
) -> LoadStats:
    """Load ``households`` households of ``province_code`` and their approved rounds of every year of
    :data:`ROUND_DATES` into empty tables (see the module docstring)."""
    start = time.perf_counter()
    communes = province_communes(province_code)
    if not communes:
        raise RuntimeError(f"province {province_code} has no 2025 communes: load the 2025 units first")
    if households < len(communes):
        raise RuntimeError(f"at least one household per commune: {len(communes)} communes")
    rng = np.random.default_rng(BENCH_SEED)
    n, c = households, len(communes)
    village_pk = _villages(communes, min(ROUND_DATES.values()))
    # Households: commune i gets n // c (+1 for the first n % c), in commune order.
    per_commune = np.full(c, n // c) + (np.arange(c) < n % c)
    commune_index = np.repeat(np.arange(c), per_commune)
    position = np.arange(n) - np.repeat(np.cumsum(per_commune) - per_commune, per_commune)
    commune_pk = np.array([u.pk for u in communes], dtype=np.int64)
    urban_commune = np.array([u.default_area == Area.URBAN for u in communes])
    village = village_pk[commune_index, position % VILLAGES_PER_COMMUNE]
    urban = rng.random(n) < np.where(urban_commune[commune_index], 0.85, 0.08)
    household_ids = np.arange(1, n + 1, dtype=np.int64)
    area = np.where(urban, HouseholdArea.URBAN.value, HouseholdArea.RURAL.value)
    household_rows = pl.DataFrame(
        {
            "id": household_ids,
            "code": pl.Series(position + 1).cast(pl.String).str.zfill(6),
            "commune": commune_pk[commune_index],
            "village": village,
            "province_code": np.full(n, province_code),
            "area": area,
            "ethnic_minority": rng.random(n) < 0.25,
            "meritorious_family": rng.random(n) < 0.03,
            "social_protection": rng.random(n) < 0.05,
            "no_labour_capacity": rng.random(n) < 0.04,
        }
    ).with_columns(pl.format("DB-{}", "code").alias("code"))
    now = timezone.now()
    t0 = time.perf_counter()
    with transaction.atomic():
        _copy_chunks(
            Household,
            household_rows,
            {"status": HouseholdStatus.ACTIVE.value, "created_at": now, "updated_at": now},
        )
    log(
        f"  households: {n:,} in {c} communes, {c * VILLAGES_PER_COMMUNE:,} villages "
        f"({time.perf_counter() - t0:.1f} s)"
    )

    standard = get_standard(STANDARD_ID)
    indicators = standard.indicator_ids
    k = standard.poor_min_deprivations
    cause_ids = procedure().causes.ids
    score = rng.random(n)
    next_entry = 1
    rounds_total = 0
    for year, reference in sorted(ROUND_DATES.items()):
        t1 = time.perf_counter()
        rounds = ReviewRound.objects.bulk_create(
            [
                ReviewRound(
                    commune=commune,
                    province_code=commune.province_code,
                    kind=RoundKind.PERIODIC,
                    year=year,
                    reference_date=reference,
                    status=RoundStatus.APPROVED,
                    standard_id=standard.id,
                    standard_version=standard.version,
                    created_at=now,
                    classified_at=now,
                    meetings_done_at=now,
                    posting_started_at=now,
                    approved_on=reference + dt.timedelta(days=40),
                )
                for commune in communes
            ]
        )
        rounds_total += len(rounds)
        round_pk = np.array([r.pk for r in rounds], dtype=np.int64)
        # The latent score moves a little between the years, so households escape and fall back.
        year_score = np.clip(score + rng.normal(0.0, 0.04, n), 0.0, 1.0 - 1e-9)
        klass = _classes(year_score, CLASS_SHARES[year])
        poor, near = klass == 0, klass == 1
        deprivations = np.where(
            poor,
            rng.integers(k, 7, n),
            np.where(near, rng.integers(0, k, n), np.minimum(rng.choice(3, n, p=[0.7, 0.2, 0.1]), k - 1)),
        )
        deprived = _pick(rng, n, len(indicators), deprivations)
        cause_count = np.where(poor | near, rng.integers(1, 4, n), 0)
        caused = _pick(rng, n, len(cause_ids), cause_count)
        entry_ids = np.arange(next_entry, next_entry + n, dtype=np.int64)
        next_entry += n
        entries = pl.DataFrame(
            {
                "id": entry_ids,
                "round": round_pk[commune_index],
                "household": household_ids,
                "village": village,
                "province_code": np.full(n, province_code),
                "causes": _json_lists(caused, cause_ids),
                "support_needs": np.full(n, "[]"),
            }
        )
        line = np.where(urban, LINES["urban"], LINES["rural"])
        low = np.array([0.4, 0.4, 1.0, 1.5])[klass]  # poor and near-poor under the line, middle-living
        high = np.array([1.0, 1.0, 1.5, 4.0])[klass]  # under 1.5 times it, the others above
        income = np.round(line * rng.uniform(low, high), -3)
        results = pl.DataFrame(
            {
                "id": entry_ids,
                "round": round_pk[commune_index],
                "round_household": entry_ids,
                "household": household_ids,
                "province_code": np.full(n, province_code),
                "klass": np.array(_CLASSES)[klass],
                "area": area,
                "members": rng.integers(1, 8, n),
                "income_per_person": income,
                "line": line,
                "deprived": _json_lists(deprived, indicators),
                "unknown": np.full(n, "[]"),
                "deprivation_count": deprived.sum(axis=1),
                "missing": np.full(n, "[]"),
            }
        )
        generated = time.perf_counter() - t1
        t2 = time.perf_counter()
        with transaction.atomic():
            _copy_chunks(
                RoundHousehold,
                entries,
                {"reason": ListReason.CURRENT_LIST.value, "reopened": False, "created_at": now},
            )
            _copy_chunks(
                Result,
                results,
                {
                    "basis": "income",
                    "standard_id": standard.id,
                    "standard_version": standard.version,
                    "computed_at": now,
                    "superseded": False,
                },
            )
        counts = np.bincount(klass, minlength=4)
        log(
            f"  {year}: {len(rounds)} approved rounds, {n:,} entries and results — "
            + ", ".join(f"{name} {count / n:.1%}" for name, count in zip(_CLASSES, counts, strict=True))
            + f" (generate {generated:.1f} s, COPY {time.perf_counter() - t2:.1f} s)"
        )
    with connection.cursor() as cursor:
        for model in (Household, RoundHousehold, Result):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))", [table]
            )
        tables = (Household, RoundHousehold, Result, ReviewRound, Village)
        cursor.execute("ANALYZE " + ", ".join(m._meta.db_table for m in tables))
    return LoadStats(
        households=n,
        communes=c,
        villages=c * VILLAGES_PER_COMMUNE,
        rounds=rounds_total,
        results=n * len(ROUND_DATES),
        seconds=time.perf_counter() - start,
    )
