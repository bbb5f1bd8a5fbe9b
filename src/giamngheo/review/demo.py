"""Demo review rounds (đợt rà soát mẫu): two approved periodic rounds (2024 and 2025) per commune.

For every commune that has registry households but no approved periodic round, :func:`demo_rounds_load`
draws facts with ``giamngheo.synth.generate_frames`` (deterministic: the seed is the commune code), maps
the synthetic households and members onto the registry's by order (a registry member with a date of
birth keeps its own age and sex), and walks both rounds through the real services: listing, one
Phiếu B batch per village, one classification, passed village meetings, posting and approval. The 2025
facts differ (incomes up 8 %, one household in seven with freshly drawn household facts), so the
transitions page has something to show. A ``load_demo`` step, after the registry demo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final

import polars as pl
from django.utils import timezone

from giamngheo.geo.models import AdminUnit, Village
from giamngheo.registry.demo import DEMO_HOUSEHOLDS, DemoPopulation, demo_population
from giamngheo.registry.models import Household, HouseholdStatus, Member, MemberStatus
from giamngheo.review.frames import HOUSEHOLD_FACT_NAMES, MEMBER_FACT_NAMES
from giamngheo.review.models import APPROVED_STATUSES, Result, ReviewRound, RoundHousehold, RoundKind
from giamngheo.review.services import (
    meeting_record,
    meeting_villages,
    posting_start,
    round_approve,
    round_classify,
    round_create,
    survey_batch_save,
)
from giamngheo.review.services.common import json_prep
from giamngheo.site.bulk import update_rows
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


def _population_facts(
    commune: AdminUnit, population: DemoPopulation | None, n: int, seed: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Household and member facts for the commune: the registry demo's own (so mountain communes stay
    poorer than lowland ones) when the commune is one of its communes, else a fresh synthetic draw."""
    if population is not None:
        facts = population.households.filter(pl.col("commune_code") == commune.code)
        if facts.height:
            people = population.members.filter(pl.col("household_id").is_in(facts["household_id"].implode()))
            return facts, people
    return _synth(n, seed, commune.province_code)


def _commune_frames(
    commune: AdminUnit, population: DemoPopulation | None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame] | None:
    """(households 2024, households 2025, members) keyed by the registry household code.

    2025 carries the population's facts as they are (the registry describes households on 2025-10-01);
    2024 is the same with incomes 8 % lower and one household in seven described by another household's
    facts, so that households move between classes from one year to the next.
    """
    households = list(
        Household.objects.filter(commune=commune, status=HouseholdStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", "code", "village_id", "area")
    )
    if not households:
        return None
    n = len(households)
    seed = int(commune.code) if commune.code.isdigit() else abs(hash(commune.code)) % 10**6
    index = pl.DataFrame(
        {
            "idx": range(n),
            "pk": [h[0] for h in households],
            "code": [h[1] for h in households],
            "village_id": [h[2] for h in households],
        },
        schema={"idx": pl.Int64, "pk": pl.Int64, "code": pl.String, "village_id": pl.Int64},
    )
    facts, people = _population_facts(commune, population, n, seed)
    if "code" in facts.columns and facts.height:
        # The registry demo's households: align its facts on the registry's codes.
        facts = index.select("code").join(facts.drop("area"), on="code", how="left", maintain_order="left")
        facts = facts.with_columns(pl.col("household_id").fill_null(-1))
    # The registry says where a household lives (urban/rural); the synthetic area is dropped.
    area = pl.Series("area", [h[3] for h in households], dtype=pl.String)
    facts = facts.with_columns(area.alias("area"))
    names = [c for c in HOUSEHOLD_FACT_NAMES if c in facts.columns]
    second = pl.concat([index, facts.select(names)], how="horizontal")
    # 2024: another household's facts (a fixed rotation within the commune) for one household in seven.
    shift = 1 + seed % max(n - 1, 1)
    rotated = (pl.int_range(n) + shift) % n
    other = facts.select(names).select(pl.all().gather(rotated).name.suffix("__old"))
    changed = pl.col("idx") % REDRAWN_EVERY == 0
    first = pl.concat([second, other], how="horizontal").with_columns(
        [
            pl.when(changed).then(pl.col(f"{c}__old")).otherwise(pl.col(c)).alias(c)
            for c in names
            if c != "area"
        ]
    )
    first = first.with_columns(
        (pl.col("income_12m").cast(pl.Float64) / INCOME_GROWTH).round(0).cast(pl.Int64).alias("income_12m")
    ).select(second.columns)

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
        .select("code", "member_id", "date_of_birth", *member_names)
        .rename({"code": "household_id"})
    )
    return first, second, members


# Causes of poverty and support needs (procedure data ids), drawn for the demo from each poor or
# near-poor household's deprivations and flags, deterministically (by household id).
_NEEDS_BY_INDICATOR: Final[dict[str, str]] = {
    "health_insurance": "health_insurance",
    "nutrition": "health_insurance",
    "housing_quality": "housing",
    "floor_area": "housing",
    "water_source": "clean_water",
    "latrine": "clean_water",
    "adult_education": "education",
    "child_school_attendance": "education",
    "employment": "employment",
    "telecom": "information",
    "information_assets": "information",
}
_DRAWN_CAUSES: Final[tuple[tuple[str, int], ...]] = (
    ("capital", 70),
    ("land", 40),
    ("skills", 35),
    ("illness", 15),
    ("disability", 8),
    ("disaster", 6),
    ("idleness", 4),
)


def _causes_and_needs(household_id: int, deprived: list[str], no_labour: bool) -> tuple[list[str], list[str]]:
    causes = [
        cause
        for k, (cause, percent) in enumerate(_DRAWN_CAUSES)
        if (household_id * 37 + k * 11) % 100 < percent
    ]
    if "dependants" in deprived:
        causes.append("dependants")
    if no_labour or "employment" in deprived:
        causes.append("labour")
    needs = {_NEEDS_BY_INDICATOR[i] for i in deprived if i in _NEEDS_BY_INDICATOR}
    if "capital" in causes:
        needs.add("preferential_credit")
    if "skills" in causes:
        needs.add("vocational_training")
    return sorted(set(causes)) or ["other"], sorted(needs) or ["other"]


def _record_causes(review_round: ReviewRound) -> None:
    """Causes and needs of the round's poor and near-poor households (demo data: one bulk update, as the
    commune would have recorded them household by household with ``causes_record``)."""
    rows = Result.objects.filter(
        round=review_round, superseded=False, klass__in=("poor", "near_poor")
    ).values_list("round_household_id", "household_id", "deprived", "household__no_labour_capacity")
    causes_prep = json_prep(RoundHousehold, "causes")
    needs_prep = json_prep(RoundHousehold, "support_needs")
    updates = []
    for entry_id, household_id, deprived, no_labour in rows:
        causes, needs = _causes_and_needs(household_id, list(deprived or []), bool(no_labour))
        updates.append((causes_prep(causes), needs_prep(needs), entry_id))
    update_rows(RoundHousehold, ["causes", "support_needs"], updates)


def _posted_round(
    commune: AdminUnit,
    year: int,
    households: pl.DataFrame,
    members: pl.DataFrame,
    *,
    meetings_on: dt.date,
    posting_from: dt.date,
) -> ReviewRound:
    """A periodic round of ``year`` surveyed with the demo facts, classified, passed by the village
    meetings on ``meetings_on`` and posted from ``posting_from``."""
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
    # The registry is as of 2025: a member born after the round's reference date was not yet there.
    born = pl.col("date_of_birth")
    members = members.filter(born.is_null() | (born <= day)).drop("date_of_birth")
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
    _record_causes(rnd)
    rnd.refresh_from_db()
    for village_id in meeting_villages(rnd):
        meeting_record(
            review_round=rnd,
            village=villages.get(village_id) if village_id is not None else None,
            held_on=meetings_on,
            chair="Trưởng thôn",
            attendees=30,
            agreeing=24,
            minutes="Họp thôn thống nhất kết quả rà soát (dữ liệu mẫu).",
            actor=None,
        )
    posting_start(review_round=rnd, start_date=posting_from, actor=None)
    rnd.refresh_from_db()
    return rnd


def _approve_round(
    commune: AdminUnit, year: int, households: pl.DataFrame, members: pl.DataFrame
) -> ReviewRound:
    rnd = _posted_round(
        commune,
        year,
        households,
        members,
        meetings_on=dt.date(year, 10, 20),
        posting_from=dt.date(year, 10, 25),
    )
    return round_approve(review_round=rnd, actor=None, on=dt.date(year, 11, 5))


def demo_rounds_load(*, write: Callable[[str], None], households: int = DEMO_HOUSEHOLDS) -> None:
    """Create the 2024 and 2025 approved periodic rounds of every commune with registry households and
    no approved periodic round yet. Idempotent: such communes are skipped on a second run.

    ``households`` is the size the registry demo was loaded with (``load_demo --households``): the
    facts of its households are generated again, identically, from the same seed.
    """
    communes = AdminUnit.objects.filter(pk__in=Household.objects.values("commune_id")).exclude(
        pk__in=ReviewRound.objects.filter(kind=RoundKind.PERIODIC, status__in=APPROVED_STATUSES).values(
            "commune_id"
        )
    )
    done = 0
    population: DemoPopulation | None = None
    for commune in communes.order_by("code"):
        if ReviewRound.objects.filter(commune=commune, kind=RoundKind.PERIODIC, year__in=YEARS).exists():
            write(f"Review rounds: {commune.name} skipped, it already has a 2024 or 2025 round.")
            continue
        if population is None:
            population = demo_population(households=households)
        frames = _commune_frames(commune, population)
        if frames is None:
            continue
        first, second, members = frames
        pks = first["pk"].to_list()
        for year, year_households in zip(YEARS, (first, second), strict=True):
            _approve_round(commune, year, year_households, members)
        done += 1
        write(f"Review rounds: {commune.name}: {len(pks)} households, 2024 and 2025 approved.")
    write(f"Review rounds: {done} commune(s) loaded.")


#: The commune whose current-year round is being posted in the demo (the demo commune officer's).
POSTING_COMMUNE: Final = "23485"


def demo_posting_load(*, write: Callable[[str], None], households: int = DEMO_HOUSEHOLDS) -> None:
    """A periodic round of the current year in Xã Đăk Kôi, posted since yesterday: what the public pages
    (``/cong-khai/``) show and where a citizen can send a complaint. Skipped when the commune has a
    round of that year, when the year is one of the approved demo years, or when the year's reference
    date is less than three days ago."""
    today = timezone.localdate()
    year = today.year
    reference = dt.date(year, *REFERENCE_DAY)
    commune = AdminUnit.objects.filter(code=POSTING_COMMUNE, generation="2025").first()
    if commune is None or year in YEARS or today < reference + dt.timedelta(days=3):
        write("Posting round: skipped (no demo commune, or not in the review season).")
        return
    if ReviewRound.objects.filter(commune=commune, kind=RoundKind.PERIODIC, year=year).exists():
        write(f"Posting round: {commune.name} already has a {year} round.")
        return
    frames = _commune_frames(commune, demo_population(households=households))
    if frames is None:
        write("Posting round: skipped (no demo households).")
        return
    _first, second, members = frames
    start = today - dt.timedelta(days=1)
    rnd = _posted_round(
        commune,
        year,
        second,
        members,
        meetings_on=max(reference, start - dt.timedelta(days=1)),
        posting_from=start,
    )
    write(f"Posting round: {commune.name} {year}, posted from {start:%d/%m/%Y} (/cong-khai/{rnd.pk}/).")
