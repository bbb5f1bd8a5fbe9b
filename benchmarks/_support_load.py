"""Bulk load of support records for ``benchmarks/support.py``, on top of the province that
``benchmarks/_dashboard_load.py`` loads (households, villages, approved periodic rounds 2024 and 2025),
with ``COPY``.

What it adds (deterministic from :data:`SUPPORT_SEED`):

1. **members** (that loader makes none): 1-7 per household (mean about 3.6), 97 % living there, 3 % moved
   out or deceased, with generated names; the first member is the head (``Household.head``);
2. **support needs** in each year's round entries of the poor and near-poor households (1-3 needs of the
   review procedure's list, credit and health insurance the most common);
3. **the benchmark's policies** (codes ``bench-…``, national, see :data:`POLICIES`);
4. **support records** for 2024 and 2025, from each year's classes: health-insurance cards for the
   members of poor (95 %) and near-poor (80 %) households, electricity support every month for 90 % of
   the poor households, and for households with the need: preferential credit (poor, near-poor and
   newly escaped), tuition, housing, clean water, vocational training, jobs, legal aid; 0.4 % of the
   middle-living households get electricity support outside the rule (``eligible = False`` with an
   override reason); 0.3 % of the records are cancelled. The natural total (about 5.9 million for 1.5
   million households) is cut down at random to the number asked for.

Benchmark scaffolding only: no audit rows, no services; every row is valid for the models. A record's
``klass`` and ``review_round`` are the class and round of its year (the services would take the round in
force on the day).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from benchmarks._registry_load import copy_frame
from giamngheo.registry.models import Household, Member, MemberStatus
from giamngheo.registry.text import fold
from giamngheo.review.models import Result, ReviewRound, RoundHousehold, RoundKind
from giamngheo.support.models import (
    Beneficiary,
    CoverageBasis,
    Policy,
    SupportPeriod,
    SupportRecord,
)

SUPPORT_SEED = 2026
YEARS = (2024, 2025)
CHUNK = 250_000
POLICY_PREFIX = "bench-"
OVERRIDE_REASON = "Hộ gặp khó khăn đột xuất (benchmark)"
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hồ", "Võ", "Đinh", "Y", "Hoàng", "Bùi")
_MIDDLE = ("Văn", "Thị", "Đức", "Ngọc", "Minh", "Thanh")
_GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hoa", "Lan", "Minh", "Nam", "Phúc", "Sơn", "Tú", "Vy", "Xuân")
_SIZES = (np.arange(1, 8), np.array([0.08, 0.17, 0.25, 0.25, 0.13, 0.07, 0.05]))
#: Support needs of poor and near-poor households: (need id, share of them stating it).
NEED_SHARES: tuple[tuple[str, float], ...] = (
    ("preferential_credit", 0.45),
    ("health_insurance", 0.30),
    ("education", 0.25),
    ("housing", 0.15),
    ("clean_water", 0.15),
    ("employment", 0.20),
    ("vocational_training", 0.20),
    ("legal_aid", 0.05),
    ("information", 0.05),
    ("other", 0.05),
)


@dataclass(frozen=True)
class BenchPolicy:
    code: str
    name: str
    beneficiary: str
    eligible: tuple[str, ...]
    basis: str
    period: str
    need: str = ""
    escaped_within_years: int | None = None
    ethnic_minority_only: bool = False


POLICIES: tuple[BenchPolicy, ...] = (
    BenchPolicy(
        "bhyt-ngheo",
        "BHYT người thuộc hộ nghèo",
        Beneficiary.MEMBER,
        ("poor",),
        CoverageBasis.MEMBERS,
        SupportPeriod.YEARLY,
        "health_insurance",
    ),
    BenchPolicy(
        "bhyt-can-ngheo",
        "BHYT người thuộc hộ cận nghèo",
        Beneficiary.MEMBER,
        ("near_poor",),
        CoverageBasis.MEMBERS,
        SupportPeriod.YEARLY,
        "health_insurance",
    ),
    BenchPolicy(
        "tien-dien",
        "Hỗ trợ tiền điện hộ nghèo",
        Beneficiary.HOUSEHOLD,
        ("poor",),
        CoverageBasis.HOUSEHOLDS,
        SupportPeriod.MONTHLY,
    ),
    BenchPolicy(
        "tin-dung",
        "Vay vốn ưu đãi",
        Beneficiary.HOUSEHOLD,
        ("poor", "near_poor", "newly_escaped"),
        CoverageBasis.HOUSEHOLDS_WITH_NEED,
        SupportPeriod.ANY,
        "preferential_credit",
        3,
    ),
    BenchPolicy(
        "hoc-phi",
        "Miễn, giảm học phí",
        Beneficiary.MEMBER,
        ("poor", "near_poor"),
        CoverageBasis.HOUSEHOLDS_WITH_NEED,
        SupportPeriod.YEARLY,
        "education",
    ),
    BenchPolicy(
        "nha-o",
        "Hỗ trợ nhà ở",
        Beneficiary.HOUSEHOLD,
        ("poor",),
        CoverageBasis.HOUSEHOLDS_WITH_NEED,
        SupportPeriod.ONCE,
        "housing",
    ),
    BenchPolicy(
        "nuoc-sach",
        "Hỗ trợ nước sạch",
        Beneficiary.HOUSEHOLD,
        ("poor", "near_poor"),
        CoverageBasis.HOUSEHOLDS_WITH_NEED,
        SupportPeriod.ONCE,
        "clean_water",
    ),
    BenchPolicy(
        "dao-tao-nghe",
        "Đào tạo nghề",
        Beneficiary.MEMBER,
        ("poor", "near_poor", "newly_escaped"),
        CoverageBasis.HOUSEHOLDS_WITH_NEED,
        SupportPeriod.ONCE,
        "vocational_training",
        3,
    ),
    BenchPolicy(
        "viec-lam",
        "Giới thiệu việc làm",
        Beneficiary.MEMBER,
        ("poor", "near_poor", "newly_escaped"),
        CoverageBasis.HOUSEHOLDS_WITH_NEED,
        SupportPeriod.ANY,
        "employment",
        3,
    ),
    BenchPolicy(
        "tro-giup-phap-ly",
        "Trợ giúp pháp lý",
        Beneficiary.HOUSEHOLD,
        ("poor", "near_poor"),
        CoverageBasis.HOUSEHOLDS_WITH_NEED,
        SupportPeriod.ANY,
        "legal_aid",
    ),
    BenchPolicy(
        "nha-o-dtts",
        "Hỗ trợ nhà ở hộ nghèo dân tộc thiểu số",
        Beneficiary.HOUSEHOLD,
        ("poor",),
        CoverageBasis.HOUSEHOLDS_WITH_NEED,
        SupportPeriod.ONCE,
        "housing",
        ethnic_minority_only=True,
    ),
)


@dataclass(frozen=True, slots=True)
class SupportStats:
    members: int
    records: int
    ineligible: int
    cancelled: int
    seconds: float


def _fetch(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return list(cursor.fetchall())


def loaded_records(province_code: str) -> int:
    """Support records of the benchmark's policies in the province."""
    return SupportRecord.objects.filter(
        province_code=province_code, policy__code__startswith=POLICY_PREFIX
    ).count()


def loaded_members(province_code: str) -> int:
    return Member.objects.filter(province_code=province_code).count()


def _households(province_code: str) -> pl.DataFrame:
    table = Household._meta.db_table
    rows = _fetch(
        f"SELECT id, commune_id, village_id, area, ethnic_minority FROM {table} WHERE province_code = %s"
        " ORDER BY id",
        [province_code],
    )
    schema = {
        "household_id": pl.Int64,
        "commune_id": pl.Int64,
        "village_id": pl.Int64,
        "area": pl.String,
        "ethnic_minority": pl.Boolean,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _results(province_code: str, year: int) -> pl.DataFrame:
    """Current results of the year's approved periodic rounds: household, class, round, entry."""
    rows = _fetch(
        f"SELECT r.household_id, r.klass, r.round_id, r.round_household_id FROM {Result._meta.db_table} r "
        f"JOIN {ReviewRound._meta.db_table} rr ON rr.id = r.round_id "
        "WHERE rr.province_code = %s AND rr.year = %s AND rr.kind = %s AND r.superseded = false",
        [province_code, year, RoundKind.PERIODIC.value],
    )
    return pl.DataFrame(
        rows,
        schema={"household_id": pl.Int64, "klass": pl.String, "round_id": pl.Int64, "entry_id": pl.Int64},
        orient="row",
    ).unique("household_id", keep="last")


def _members_load(households: pl.DataFrame, rng: np.random.Generator, now: dt.datetime) -> pl.DataFrame:
    """COPY the members (ids from 1), set each household's head; the members' (id, household, status)."""
    n = households.height
    sizes = rng.choice(_SIZES[0], size=n, p=_SIZES[1])
    total = int(sizes.sum())
    household = np.repeat(households["household_id"].to_numpy(), sizes)
    first = np.repeat(np.cumsum(sizes) - sizes, sizes)
    position = np.arange(total) - first
    status = np.where(
        position == 0,
        MemberStatus.PRESENT.value,
        np.asarray([MemberStatus.PRESENT.value, MemberStatus.MOVED_OUT.value, MemberStatus.DECEASED.value])[
            rng.choice(3, size=total, p=[0.97, 0.02, 0.01])
        ],
    )
    family = rng.integers(0, len(_FAMILY), total)
    middle = rng.integers(0, len(_MIDDLE), total)
    given = rng.integers(0, len(_GIVEN), total)
    names = pl.DataFrame({"f": family, "m": middle, "g": given}).select(
        full_name=pl.concat_str(
            pl.col("f").replace_strict(list(range(len(_FAMILY))), list(_FAMILY), return_dtype=pl.String),
            pl.col("m").replace_strict(list(range(len(_MIDDLE))), list(_MIDDLE), return_dtype=pl.String),
            pl.col("g").replace_strict(list(range(len(_GIVEN))), list(_GIVEN), return_dtype=pl.String),
            separator=" ",
        ),
        full_name_search=pl.concat_str(
            pl.col("f").replace_strict(
                list(range(len(_FAMILY))), [fold(x) for x in _FAMILY], return_dtype=pl.String
            ),
            pl.col("m").replace_strict(
                list(range(len(_MIDDLE))), [fold(x) for x in _MIDDLE], return_dtype=pl.String
            ),
            pl.col("g").replace_strict(
                list(range(len(_GIVEN))), [fold(x) for x in _GIVEN], return_dtype=pl.String
            ),
            separator=" ",
        ),
    )
    members = pl.DataFrame(
        {
            "id": np.arange(1, total + 1, dtype=np.int64),
            "household": household,
            "sex": np.where(rng.random(total) < 0.5, "male", "female"),
            "status": status,
            "relation_to_head": np.where(position == 0, "Chủ hộ", "Thành viên"),
        }
    ).with_columns(names)
    province = households["province_code"][0] if "province_code" in households.columns else None
    for start in range(0, members.height, CHUNK):
        with transaction.atomic():
            copy_frame(
                Member,
                members.slice(start, CHUNK),
                province_code=province,
                ethnicity="",
                created_at=now,
                updated_at=now,
            )
    with connection.cursor() as cursor:
        table = Member._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))", [table]
        )
        cursor.execute(
            f"UPDATE {Household._meta.db_table} h SET head_id = m.first_id FROM "
            f"(SELECT household_id, MIN(id) AS first_id FROM {table} GROUP BY household_id) m "
            "WHERE m.household_id = h.id"
        )
        cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum would have, in a running database
    return members.select(
        member_id=pl.col("id"),
        household_id=pl.col("household"),
        present=pl.col("status") == MemberStatus.PRESENT,
    )


def _needs_load(results: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Write the support needs of the poor and near-poor entries of one year; the needs per household."""
    chosen = results.filter(pl.col("klass").is_in(["poor", "near_poor"]))
    n = chosen.height
    columns = {need: rng.random(n) < share for need, share in NEED_SHARES}
    flags = pl.DataFrame(columns)
    needs = flags.select(
        pl.concat_list([pl.when(pl.col(need)).then(pl.lit(need)) for need, _s in NEED_SHARES])
        .list.drop_nulls()
        .alias("needs")
    )["needs"]
    frame = chosen.with_columns(needs).filter(pl.col("needs").list.len() > 0)
    payload = frame.select(
        "entry_id",
        pl.when(pl.col("needs").list.len() == 0)
        .then(pl.lit("[]"))
        .otherwise(pl.format('["{}"]', pl.col("needs").list.join('", "')))
        .alias("json"),
    )
    table = RoundHousehold._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_needs (id bigint, needs jsonb) ON COMMIT DROP")
        buffer = payload.write_csv(include_header=False, quote_style="non_numeric")
        with cursor.cursor.copy("COPY bench_needs (id, needs) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buffer)
        cursor.execute(f"UPDATE {table} e SET support_needs = b.needs FROM bench_needs b WHERE b.id = e.id")
    return frame.select("household_id", "needs")


def policies_ensure() -> dict[str, int]:
    """Create or update the benchmark's policies (by code); their ids by short code."""
    ids = {}
    for spec in POLICIES:
        policy, _created = Policy.objects.update_or_create(
            code=f"{POLICY_PREFIX}{spec.code}",
            defaults={
                "name": spec.name,
                "legal_basis": "Chính sách dùng cho đo hiệu năng (benchmark)",
                "citation_status": "unconfirmed",
                "beneficiary": spec.beneficiary,
                "eligible": list(spec.eligible),
                "escaped_within_years": spec.escaped_within_years,
                "ethnic_minority_only": spec.ethnic_minority_only,
                "need": spec.need,
                "coverage_basis": spec.basis,
                "period": spec.period,
                "valid_from": dt.date(2022, 1, 1),
                "active": True,
            },
        )
        ids[spec.code] = policy.pk
    return ids


def _dates(
    rng: np.random.Generator, n: int, year: int, first_month: int = 1, last_month: int = 12
) -> np.ndarray:
    start = np.datetime64(f"{year}-{first_month:02d}-01")
    end = (
        np.datetime64(f"{year + 1}-01-01")
        if last_month == 12
        else np.datetime64(f"{year}-{last_month + 1:02d}-01")
    )
    days = int((end - start).astype(int))
    return start + rng.integers(0, days, n).astype("timedelta64[D]")


def _year_records(
    year: int,
    results: pl.DataFrame,
    previous: pl.DataFrame | None,
    households: pl.DataFrame,
    members: pl.DataFrame,
    needs: pl.DataFrame,
    policy: dict[str, int],
    rng: np.random.Generator,
) -> pl.DataFrame:
    """The natural records of one year (see the module docstring): policy, household, member, date,
    period key, class, round, eligible."""
    base = results.join(households, on="household_id").join(needs, on="household_id", how="left")
    base = base.with_columns(pl.col("needs").fill_null(pl.lit([], dtype=pl.List(pl.String))))
    if previous is not None:
        was = previous.filter(pl.col("klass").is_in(["poor", "near_poor"])).select("household_id")
        base = base.with_columns(
            (
                pl.col("household_id").is_in(was["household_id"].implode())
                & ~pl.col("klass").is_in(["poor", "near_poor"])
            ).alias("escaped")
        )
    else:
        base = base.with_columns(pl.lit(False).alias("escaped"))
    present = members.filter(pl.col("present"))
    parts: list[pl.DataFrame] = []

    def take(frame: pl.DataFrame, share: float) -> pl.DataFrame:
        return frame.filter(pl.Series(rng.random(frame.height) < share))

    def add(
        frame: pl.DataFrame,
        code: str,
        *,
        period: str,
        eligible: bool = True,
        months: tuple[int, int] = (1, 12),
    ) -> None:
        if frame.height == 0:
            return
        dates = _dates(rng, frame.height, year, *months)
        parts.append(
            frame.select(
                "household_id", "member_id", "commune_id", "village_id", "klass", "round_id"
            ).with_columns(
                pl.lit(policy[code], pl.Int64).alias("policy"),
                pl.Series("given_on", dates).cast(pl.Date),
                pl.lit(period).alias("period_key"),
                pl.lit(eligible).alias("eligible"),
            )
        )

    def with_members(frame: pl.DataFrame, share: float, *, one: bool = False) -> pl.DataFrame:
        joined = frame.join(present, on="household_id")
        if one:
            joined = joined.unique("household_id", keep="first", maintain_order=True)
        return take(joined, share)

    def no_member(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(pl.lit(None, pl.Int64).alias("member_id"))

    poor = base.filter(pl.col("klass") == "poor")
    near = base.filter(pl.col("klass") == "near_poor")
    both = base.filter(pl.col("klass").is_in(["poor", "near_poor"]))
    escaped_or = base.filter(pl.col("klass").is_in(["poor", "near_poor"]) | pl.col("escaped"))

    def need(frame: pl.DataFrame, need_id: str) -> pl.DataFrame:
        return frame.filter(pl.col("needs").list.contains(need_id))

    add(with_members(poor, 0.95), "bhyt-ngheo", period=str(year), months=(1, 3))
    add(with_members(near, 0.80), "bhyt-can-ngheo", period=str(year), months=(1, 3))
    powered = take(poor, 0.9)
    for month in range(1, 13):
        add(no_member(take(powered, 0.9)), "tien-dien", period=f"{year}-{month:02d}", months=(month, month))
    add(no_member(take(need(escaped_or, "preferential_credit"), 0.55)), "tin-dung", period="any")
    # tuition: about a third of the members of households that need it are pupils
    add(with_members(need(both, "education"), 0.35), "hoc-phi", period=str(year), months=(8, 10))
    add(no_member(take(need(poor, "housing"), 0.3)), "nha-o", period="once")
    add(
        no_member(take(need(poor.filter(pl.col("ethnic_minority")), "housing"), 0.4)),
        "nha-o-dtts",
        period="once",
    )
    add(no_member(take(need(both, "clean_water"), 0.4)), "nuoc-sach", period="once")
    add(with_members(need(escaped_or, "vocational_training"), 0.5, one=True), "dao-tao-nghe", period="once")
    add(with_members(need(escaped_or, "employment"), 0.4, one=True), "viec-lam", period="any")
    add(no_member(take(need(both, "legal_aid"), 0.7)), "tro-giup-phap-ly", period="any")
    outside = take(base.filter(pl.col("klass") == "middle_living"), 0.004)
    for month in range(1, 4):
        add(
            no_member(outside),
            "tien-dien",
            period=f"{year}-{month:02d}",
            eligible=False,
            months=(month, month),
        )
    return pl.concat(parts, how="vertical_relaxed")


def support_truncate() -> None:
    """Empty the support records (and upload batches) and restart their ids."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {SupportRecord._meta.db_table} RESTART IDENTITY CASCADE")


def support_load(records: int, *, province_code: str, log: Callable[[str], None]) -> SupportStats:
    """Load members (if the province has none), support needs, the benchmark's policies and ``records``
    support records of 2024 and 2025 (see the module docstring). Records are emptied first."""
    start = time.perf_counter()
    rng = np.random.default_rng(SUPPORT_SEED)
    now = timezone.now()
    households = _households(province_code).with_columns(pl.lit(province_code).alias("province_code"))
    t0 = time.perf_counter()
    if loaded_members(province_code) == 0:
        members = _members_load(households, rng, now)
        log(f"  members: {members.height:,} ({time.perf_counter() - t0:.1f} s, heads set)")
    else:
        rows = _fetch(
            f"SELECT id, household_id, status = %s FROM {Member._meta.db_table} WHERE province_code = %s",
            [MemberStatus.PRESENT.value, province_code],
        )
        members = pl.DataFrame(
            rows,
            schema={"member_id": pl.Int64, "household_id": pl.Int64, "present": pl.Boolean},
            orient="row",
        )
        log(f"  members: {members.height:,} already there (read in {time.perf_counter() - t0:.1f} s)")
    households = households.drop("province_code", "area")
    policy = policies_ensure()
    parts = []
    previous: pl.DataFrame | None = None
    for year in YEARS:
        t1 = time.perf_counter()
        results = _results(province_code, year)
        needs = _needs_load(results, rng)
        generated = _year_records(year, results, previous, households, members, needs, policy, rng)
        parts.append(generated)
        previous = results
        log(
            f"  {year}: needs of {needs.height:,} households, {generated.height:,} natural records "
            f"({time.perf_counter() - t1:.1f} s)"
        )
    natural = pl.concat(parts)
    if natural.height > records:
        keep = np.sort(rng.choice(natural.height, size=records, replace=False))
        natural = natural[keep]
    elif natural.height < records:
        log(f"  only {natural.height:,} natural records for {records:,} asked: all kept")
    n = natural.height
    cancelled = rng.random(n) < 0.003
    frame = natural.with_columns(
        pl.Series("id", np.arange(1, n + 1, dtype=np.int64)),
        pl.when(pl.col("period_key") == "any")
        .then(pl.format("{}-{}", pl.col("given_on").dt.year(), pl.int_range(1, n + 1)))
        .otherwise(pl.col("period_key"))
        .alias("period_key"),
        pl.col("policy").alias("policy"),
        pl.col("household_id").alias("household"),
        pl.col("member_id").alias("member"),
        pl.col("commune_id").alias("commune"),
        pl.col("village_id").alias("village"),
        pl.col("round_id").alias("review_round"),
        pl.when(pl.col("eligible"))
        .then(pl.lit(""))
        .otherwise(pl.lit(OVERRIDE_REASON))
        .alias("override_reason"),
        pl.when(pl.Series(cancelled)).then(pl.lit(now)).otherwise(None).alias("cancelled_at"),
    ).select(
        "id", "policy", "household", "member", "commune", "village", "review_round", "klass", "given_on",
        "period_key", "eligible", "override_reason", "cancelled_at",
    )  # fmt: skip
    support_truncate()
    t2 = time.perf_counter()
    for start_row in range(0, n, CHUNK):
        with transaction.atomic():
            copy_frame(
                SupportRecord,
                frame.slice(start_row, CHUNK),
                province_code=province_code,
                quantity=1,
                reference="",
                recorded_at=now,
            )
    with connection.cursor() as cursor:
        table = SupportRecord._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))", [table]
        )
        cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute(f"VACUUM ANALYZE {RoundHousehold._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {Household._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {Result._meta.db_table}")
    ineligible = int((~frame["eligible"]).sum())
    log(f"  records: {n:,} by COPY ({time.perf_counter() - t2:.1f} s), {ineligible:,} outside the rule, "
        f"{int(cancelled.sum()):,} cancelled")  # fmt: skip
    return SupportStats(
        members=members.height,
        records=n,
        ineligible=ineligible,
        cancelled=int(cancelled.sum()),
        seconds=time.perf_counter() - start,
    )
