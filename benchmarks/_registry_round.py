"""Whole-commune classification for ``benchmarks/registry.py``: through the review services when they
exist, else straight through the engine. Only the classification itself is timed, never the setup."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import polars as pl
from django.db import transaction

from benchmarks._registry_load import BENCH_SEED, BenchPlan
from giamngheo.geo.models import AdminUnit
from giamngheo.registry.demo import demo_population
from giamngheo.registry.models import Household, Member
from giamngheo.standards import HOUSEHOLD_FACTS, MEMBER_FACTS

_HOUSEHOLD_FACTS = [f.name for f in HOUSEHOLD_FACTS if f.name != "household_id"]
_MEMBER_FACTS = [f.name for f in MEMBER_FACTS if f.name != "household_id"]


def commune_facts(plan: BenchPlan, commune: AdminUnit) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The generator's synthetic facts of ``commune``'s households (regenerated: same seed, same data),
    keyed by household ``code`` and member ``position``."""
    population = demo_population(
        households=plan.households, seed=BENCH_SEED, communes=plan.communes, province_code=plan.province_code
    )
    households = population.households.filter(pl.col("commune_code") == commune.code)
    members = population.members.join(households.select("household_id", "code"), on="household_id")
    return households, members


def _registry_members(commune: AdminUnit) -> pl.DataFrame:
    """Registry members of the commune: household pk, member pk, code, position (pk order in household)."""
    rows = (
        Member.objects.filter(household__commune=commune)
        .order_by("household_id", "pk")
        .values_list("household_id", "pk", "household__code")
    )
    frame = pl.DataFrame(list(rows), schema=["household_pk", "member_pk", "code"], orient="row")
    return frame.with_columns(position=pl.int_range(pl.len()).over("household_pk"))


def _via_review(commune: AdminUnit, households: pl.DataFrame, members: pl.DataFrame, on: dt.date) -> float:
    from giamngheo.review.models import ReviewRound, RoundHousehold, RoundKind, RoundStatus, Survey
    from giamngheo.review.services.rounds import round_classify, round_create

    rnd = ReviewRound.objects.filter(commune=commune, kind=RoundKind.PERIODIC, year=on.year).first()
    if rnd is not None and not RoundHousehold.objects.filter(round=rnd).exists():
        rnd.delete()  # left over from an earlier load (the registry was emptied): start again
        rnd = None
    if rnd is None:
        rnd = round_create(
            commune=commune,
            kind=RoundKind.PERIODIC,
            year=on.year,
            reference_date=on,  # the generator's ages are ages on this day
            actor=None,
            extra_households=Household.objects.filter(commune=commune),
        )
    registry = _registry_members(commune)
    facts = members.join(registry, on=["code", "position"], how="inner")
    member_facts: dict[int, list[dict[str, Any]]] = {}
    for row in facts.select(
        "household_pk", "member_pk", *[c for c in _MEMBER_FACTS if c not in ("age", "sex")]
    ).iter_rows(named=True):
        member_facts.setdefault(row.pop("household_pk"), []).append(
            {"member_id": row.pop("member_pk"), **row}
        )
    household_facts = {
        code: row
        for code, row in zip(
            households["code"], households.select(_HOUSEHOLD_FACTS).iter_rows(named=True), strict=True
        )
    }
    pending = RoundHousehold.objects.filter(round=rnd, survey__isnull=True).values_list(
        "pk", "household_id", "household__code"
    )
    with transaction.atomic():
        Survey.objects.bulk_create(
            [
                Survey(
                    round_household_id=entry,
                    province_code=commune.province_code,
                    household_facts=household_facts[code],
                    member_facts=member_facts[household],
                    surveyed_on=rnd.reference_date,
                )
                for entry, household, code in pending
            ],
            batch_size=1000,
        )
        if rnd.status == RoundStatus.LISTING:
            ReviewRound.objects.filter(pk=rnd.pk).update(status=RoundStatus.SURVEYING)
    rnd.refresh_from_db()
    start = time.perf_counter()
    counts = round_classify(review_round=rnd, actor=None)
    seconds = time.perf_counter() - start
    print(f"  round {rnd.pk}: classes {counts}")
    return seconds


def round_benchmark(*, commune: AdminUnit, plan: BenchPlan, reference_date: dt.date) -> tuple[float, str]:
    """Seconds to classify every household of ``commune``, and how it was done."""
    households, members = commune_facts(plan, commune)
    seconds = _via_review(commune, households, members, reference_date)
    return seconds, (
        f"review.services.round_classify on a periodic round listing the commune's {households.height:,} "
        "households, Phiếu B from the generator's synthetic facts (setup not timed)"
    )
