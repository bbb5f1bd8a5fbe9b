"""Demo review rounds (đợt rà soát mẫu): two approved periodic rounds (2024 and 2025) per commune.

For every commune that has registry households but no approved periodic round, :func:`demo_rounds_load`
draws facts with ``giamngheo.synth.generate_frames`` (deterministic: the seed is the commune code), maps
the synthetic households and members onto the registry's by order (a registry member with a date of
birth keeps its own age and sex), and walks both rounds through the real services: listing, one
Phiếu B batch per village, one classification, passed village meetings, posting and approval. The 2025
facts differ (incomes up 8 %, one household in seven with freshly drawn household facts), so the
transitions page has something to show. Not part of ``load_demo``; run it after the registry demo::

    python manage.py shell -c \
        "from giamngheo.review.demo import demo_rounds_load; demo_rounds_load(write=print)"
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final

import polars as pl

from giamngheo.geo.models import AdminUnit, Village
from giamngheo.registry.models import Household, HouseholdStatus, Member, MemberStatus
from giamngheo.review.frames import HOUSEHOLD_FACT_NAMES, MEMBER_FACT_NAMES
from giamngheo.review.models import APPROVED_STATUSES, ReviewRound, RoundKind
from giamngheo.review.services import (
    meeting_record,
    meeting_villages,
    posting_start,
    round_approve,
    round_classify,
    round_create,
    survey_batch_save,
)
from giamngheo.synth import generate_frames

YEARS: Final = (2024, 2025)
REFERENCE_DAY: Final = (10, 1)
INCOME_GROWTH: Final = 1.08
REDRAWN_EVERY: Final = 7


def _synth(n: int, seed: int, province_code: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    try:
        return generate_frames(n, seed=seed, province_codes=[province_code], missing_rate=0.0)
    except ValueError:  # a province the generator has no targets for
        return generate_frames(n, seed=seed, missing_rate=0.0)


def _commune_frames(commune: AdminUnit) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame] | None:
    """(households 2024, households 2025, members) keyed by the registry household code."""
    households = list(
        Household.objects.filter(commune=commune, status=HouseholdStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", "code", "village_id", "area")
    )
    if not households:
        return None
    n = len(households)
    seed = int(commune.code) if commune.code.isdigit() else abs(hash(commune.code)) % 10**6
    facts, people = _synth(n, seed, commune.province_code)
    redrawn, _ = _synth(n, seed + 1, commune.province_code)
    index = pl.DataFrame(
        {
            "idx": range(n),
            "pk": [h[0] for h in households],
            "code": [h[1] for h in households],
            "village_id": [h[2] for h in households],
        },
        schema={"idx": pl.Int64, "pk": pl.Int64, "code": pl.String, "village_id": pl.Int64},
    )
    # The registry says where a household lives (urban/rural); the synthetic area is dropped.
    area = pl.Series("area", [h[3] for h in households], dtype=pl.String)
    facts = facts.with_columns(area.cast(facts.schema["area"]))
    redrawn = redrawn.with_columns(area.cast(redrawn.schema["area"]))
    names = [c for c in HOUSEHOLD_FACT_NAMES if c in facts.columns]
    first = pl.concat([index, facts.select(names)], how="horizontal")
    changed = pl.col("idx") % REDRAWN_EVERY == 0
    second = pl.concat([index, redrawn.select(names).select(pl.all().name.suffix("__new"))], how="horizontal")
    second = pl.concat([second, facts.select(names)], how="horizontal").with_columns(
        [pl.when(changed).then(pl.col(f"{c}__new")).otherwise(pl.col(c)).alias(c) for c in names]
    )
    second = second.with_columns(
        (pl.col("income_12m").cast(pl.Float64) * INCOME_GROWTH).round(0).cast(pl.Int64).alias("income_12m")
    ).select(first.columns)

    # Members: registry member j of household i gets synthetic member (j mod size) of synthetic household i.
    synth_index = pl.DataFrame({"household_id": facts["household_id"], "idx": range(n)})
    synth_members = (
        people.join(synth_index, on="household_id", maintain_order="left")
        .with_columns(pl.int_range(pl.len()).over("idx").alias("rank"))
        .drop("household_id", "member_id")
    )
    sizes = synth_members.group_by("idx").agg(pl.len().alias("size"))
    registry = pl.DataFrame(
        list(
            Member.objects.filter(household__commune=commune, status=MemberStatus.PRESENT)
            .order_by("household_id", "pk")
            .values_list("pk", "household_id", "date_of_birth")
        ),
        schema={"member_id": pl.Int64, "pk": pl.Int64, "date_of_birth": pl.Date},
        orient="row",
    )
    member_names = [c for c in MEMBER_FACT_NAMES if c in synth_members.columns]
    members = (
        registry.join(index.select("pk", "idx", "code"), on="pk")
        .with_columns(pl.int_range(pl.len()).over("idx").alias("registry_rank"))
        .join(sizes, on="idx")
        .with_columns((pl.col("registry_rank") % pl.col("size")).alias("rank"))
        .join(synth_members, on=["idx", "rank"], how="left")
        .with_columns(
            # A registry date of birth gives the age; the registry gives the sex.
            pl.when(pl.col("date_of_birth").is_null()).then(pl.col("age")).otherwise(None).alias("age"),
            pl.lit(None, pl.String).alias("sex"),
        )
        .select("code", "member_id", *member_names)
        .rename({"code": "household_id"})
    )
    return first, second, members


def _approve_round(
    commune: AdminUnit, year: int, households: pl.DataFrame, members: pl.DataFrame
) -> ReviewRound:
    day = dt.date(year, *REFERENCE_DAY)
    rnd = round_create(
        commune=commune,
        kind=RoundKind.PERIODIC,
        year=year,
        reference_date=day,
        # The commune's active households (the rows of ``households``), without a long IN list.
        extra_households=Household.objects.filter(commune=commune, status=HouseholdStatus.ACTIVE),
        actor=None,
    )
    villages = {v.pk: v for v in Village.objects.filter(commune=commune)}
    frame = households.rename({"code": "household_id"})
    for key, part in frame.group_by("village_id", maintain_order=True):
        vid = key[0]
        codes = part["household_id"].implode()
        survey_batch_save(
            review_round=rnd,
            village=villages.get(vid) if isinstance(vid, int) else None,
            households_frame=part.drop("idx", "pk", "village_id"),
            members_frame=members.filter(pl.col("household_id").is_in(codes)),
            actor=None,
            surveyed_on=day,
        )
    round_classify(review_round=rnd, actor=None)
    rnd.refresh_from_db()
    for village_id in meeting_villages(rnd):
        meeting_record(
            review_round=rnd,
            village=villages.get(village_id) if village_id is not None else None,
            held_on=dt.date(year, 10, 20),
            chair="Trưởng thôn",
            attendees=30,
            agreeing=24,
            minutes="Họp thôn thống nhất kết quả rà soát (dữ liệu mẫu).",
            actor=None,
        )
    posting_start(review_round=rnd, start_date=dt.date(year, 10, 25), actor=None)
    return round_approve(review_round=rnd, actor=None, on=dt.date(year, 11, 5))


def demo_rounds_load(*, write: Callable[[str], None]) -> None:
    """Create the 2024 and 2025 approved periodic rounds of every commune with registry households and
    no approved periodic round yet. Idempotent: such communes are skipped on a second run."""
    communes = AdminUnit.objects.filter(pk__in=Household.objects.values("commune_id")).exclude(
        pk__in=ReviewRound.objects.filter(kind=RoundKind.PERIODIC, status__in=APPROVED_STATUSES).values(
            "commune_id"
        )
    )
    done = 0
    for commune in communes.order_by("code"):
        if ReviewRound.objects.filter(commune=commune, kind=RoundKind.PERIODIC, year__in=YEARS).exists():
            write(f"Review rounds: {commune.name} skipped, it already has a 2024 or 2025 round.")
            continue
        frames = _commune_frames(commune)
        if frames is None:
            continue
        first, second, members = frames
        pks = first["pk"].to_list()
        for year, households in zip(YEARS, (first, second), strict=True):
            _approve_round(commune, year, households, members)
        done += 1
        write(f"Review rounds: {commune.name}: {len(pks)} households, 2024 and 2025 approved.")
    write(f"Review rounds: {done} commune(s) loaded.")
