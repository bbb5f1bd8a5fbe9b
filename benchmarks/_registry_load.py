"""Bulk load of a synthetic registry into PostgreSQL with ``COPY`` (for ``benchmarks/registry.py``).

Households, members and their "created" events come from ``giamngheo.registry.demo.demo_population``
(the demo's generator: names, dates of birth, valid citizen IDs, heads), one province at a time, over
real 2025 communes of several provinces, about :data:`HOUSEHOLDS_PER_COMMUNE` households per commune.
Primary keys are assigned here so that the head (a member) can be written with its household in the
same ``COPY`` (Django's foreign keys on PostgreSQL are ``DEFERRABLE INITIALLY DEFERRED``); the identity
sequences are moved past them at the end. Benchmark scaffolding only: no audit rows.
"""

from __future__ import annotations

import io
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import connection, models, transaction
from django.utils import timezone

from giamngheo.geo.models import AdminUnit, Area, Generation, Level, Village
from giamngheo.registry.demo import DEMO_EVENT_NOTE, REFERENCE_DATE, CommunePlan, demo_population
from giamngheo.registry.ethnicity import Ethnicity
from giamngheo.registry.models import EventKind, Household, HouseholdEvent, Member

#: Provinces whose communes hold the benchmark households (2025 codes), used in turn.
BENCH_PROVINCES = ("51", "52", "66", "40", "38", "25", "91", "79")
HOUSEHOLDS_PER_COMMUNE = 5_000
VILLAGES_PER_COMMUNE = 8
BENCH_SEED = 1
_MINORITIES: dict[str, tuple[tuple[str, float], ...]] = {
    "51": ((Ethnicity.HRE.value, 0.6), (Ethnicity.XO_DANG.value, 0.4)),
    "52": ((Ethnicity.GIA_RAI.value, 0.6), (Ethnicity.BA_NA.value, 0.4)),
    "66": ((Ethnicity.E_DE.value, 0.7), (Ethnicity.MNONG.value, 0.3)),
    "40": ((Ethnicity.THAI.value, 0.7), (Ethnicity.KHO_MU.value, 0.3)),
    "38": ((Ethnicity.MUONG.value, 0.6), (Ethnicity.THAI.value, 0.4)),
    "25": ((Ethnicity.MUONG.value, 0.7), (Ethnicity.DAO.value, 0.3)),
    "91": ((Ethnicity.KHO_ME.value, 0.8), (Ethnicity.CHAM.value, 0.2)),
    "79": ((Ethnicity.HOA.value, 0.8), (Ethnicity.KHO_ME.value, 0.2)),
}
_MIGRANTS = (("001", 0.2), ("038", 0.2), ("040", 0.2), ("079", 0.2), ("048", 0.2))


@dataclass(frozen=True, slots=True)
class BenchPlan:
    """Which communes of which province get how many households."""

    province_code: str
    communes: tuple[CommunePlan, ...]
    households: int


def bench_plans(households: int) -> list[BenchPlan]:
    """The communes of the benchmark (deterministic for a given number of households and unit data):
    ``households / 5,000`` communes, taken in code order from :data:`BENCH_PROVINCES` in turn."""
    wanted = max(1, math.ceil(households / HOUSEHOLDS_PER_COMMUNE))
    available = {
        code: list(
            AdminUnit.objects.filter(generation=Generation.Y2025, level=Level.COMMUNE, province_code=code)
            .exclude(default_area=Area.UNSET)
            .order_by("code")
        )
        for code in BENCH_PROVINCES
    }
    chosen: dict[str, list[AdminUnit]] = {code: [] for code in BENCH_PROVINCES}
    share = dict.fromkeys(BENCH_PROVINCES, 0)
    for i in range(wanted):
        code = BENCH_PROVINCES[i % len(BENCH_PROVINCES)]
        units = available[code]
        if len(chosen[code]) >= len(units):
            raise RuntimeError(f"province {code} has only {len(units)} communes")
        chosen[code].append(units[len(chosen[code])])
        share[code] += households // wanted + (1 if i < households % wanted else 0)
    plans = []
    for code in BENCH_PROVINCES:
        if not chosen[code]:
            continue
        communes = tuple(
            CommunePlan(
                code=unit.code,
                name=unit.name,
                urban=unit.default_area == Area.URBAN,
                mountain=False,
                weight=1.0,
                villages=VILLAGES_PER_COMMUNE,
                minority_share=0.08,
                minority_groups=_MINORITIES[code],
                home_prefix=f"0{code}",
                migrant_share=0.1,
                migrant_prefixes=_MIGRANTS,
            )
            for unit in chosen[code]
        )
        plans.append(BenchPlan(province_code=code, communes=communes, households=share[code]))
    return plans


def _literal(field: models.Field[Any, Any], value: object) -> object:
    prepared = field.get_db_prep_save(value, connection)
    if prepared is not None and not isinstance(prepared, str | int | float | bool):
        return str(prepared)
    return prepared


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise TypeError(f"{model.__name__}.{name} is not a concrete column")
    return field.column


def copy_frame(model: type[models.Model], frame: pl.DataFrame, **constants: object) -> None:
    """``COPY`` ``frame`` (columns named after the model's fields, ``id`` included) into the model's
    table; fields not in ``frame`` take ``constants`` or their default."""
    fields = [f for f in model._meta.concrete_fields if f.name not in frame.columns]
    filled = frame.with_columns(
        pl.lit(_literal(f, constants[f.name] if f.name in constants else f.get_default())).alias(f.name)
        for f in fields
        if not f.primary_key
    )
    names = ", ".join(connection.ops.quote_name(_column(model, name)) for name in filled.columns)
    buffer = io.BytesIO()
    filled.write_csv(buffer, include_header=False, quote_style="non_numeric", null_value="")
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN WITH (FORMAT csv)"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.write(buffer.getvalue())


def _villages(plans: list[BenchPlan]) -> dict[str, int]:
    units = {
        u.code: u for u in AdminUnit.objects.filter(code__in=[c.code for p in plans for c in p.communes])
    }
    wanted = [
        Village(
            commune=units[plan.code],
            province_code=units[plan.code].province_code,
            code=code,
            name=name,
            kind=kind,
            valid_from=REFERENCE_DATE,
        )
        for bench in plans
        for plan in bench.communes
        for code, name, kind in plan.village_specs()
    ]
    Village.objects.bulk_create(wanted, ignore_conflicts=True, batch_size=2000)
    rows = Village.objects.filter(commune__in=units.values()).values_list("commune__code", "code", "pk")
    return {f"{commune}/{code}": pk for commune, code, pk in rows}


def registry_truncate() -> None:
    """Empty the registry tables (and what refers to them) and restart their ids."""
    tables = ", ".join(
        connection.ops.quote_name(m._meta.db_table) for m in (HouseholdEvent, Member, Household)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def registry_load(households: int, *, log: Callable[[str], None]) -> tuple[float, int]:
    """Load ``households`` households (with members and events) from empty tables. Returns the seconds
    spent and the number of members."""
    start = time.perf_counter()
    plans = bench_plans(households)
    village_pk = _villages(plans)
    unit_pk = dict(
        AdminUnit.objects.filter(generation=Generation.Y2025, level=Level.COMMUNE).values_list("code", "pk")
    )
    next_household, next_member, members_total = 1, 1, 0
    now = timezone.now()
    for bench in plans:
        t0 = time.perf_counter()
        population = demo_population(
            households=bench.households,
            seed=BENCH_SEED,
            communes=bench.communes,
            province_code=bench.province_code,
        )
        generated = time.perf_counter() - t0
        hh = population.households.with_columns(
            new_id=pl.int_range(next_household, next_household + population.households.height, dtype=pl.Int64)
        )
        mem = population.members.join(
            hh.select("household_id", "new_id"), on="household_id", maintain_order="left"
        ).with_columns(id=pl.int_range(next_member, next_member + population.members.height, dtype=pl.Int64))
        heads = mem.filter(pl.col("is_head")).select(pl.col("new_id"), head=pl.col("id"))
        household_rows = hh.join(heads, on="new_id", how="left", maintain_order="left").select(
            id=pl.col("new_id"),
            code=pl.col("code"),
            commune=pl.col("commune_code").replace_strict(unit_pk, return_dtype=pl.Int64),
            village=pl.concat_str("commune_code", pl.lit("/"), "village_code").replace_strict(
                village_pk, return_dtype=pl.Int64
            ),
            province_code=pl.col("province_code"),
            address=pl.col("address"),
            area=pl.col("area").cast(pl.String),
            ethnic_minority=pl.col("ethnic_minority"),
            meritorious_family=pl.col("meritorious_family"),
            social_protection=pl.col("social_protection"),
            no_labour_capacity=pl.col("no_labour_capacity"),
            head=pl.col("head"),
        )
        member_rows = mem.select(
            id=pl.col("id"),
            household=pl.col("new_id"),
            province_code=pl.lit(bench.province_code),
            full_name=pl.col("full_name"),
            full_name_search=pl.col("full_name_search"),
            sex=pl.col("sex").cast(pl.String),
            date_of_birth=pl.col("date_of_birth"),
            ethnicity=pl.col("ethnicity"),
            citizen_id=pl.col("citizen_id"),
            relation_to_head=pl.col("relation_to_head"),
        )
        event_rows = household_rows.select(
            household=pl.col("id"), province_code=pl.col("province_code")
        ).with_columns(id=pl.int_range(next_household, next_household + hh.height, dtype=pl.Int64))
        t1 = time.perf_counter()
        with transaction.atomic():
            copy_frame(Household, household_rows, created_at=now, updated_at=now)
            copy_frame(Member, member_rows, created_at=now, updated_at=now)
            copy_frame(
                HouseholdEvent,
                event_rows,
                kind=EventKind.CREATED.value,
                date=REFERENCE_DATE,
                note=DEMO_EVENT_NOTE,
                created_at=now,
            )
        next_household += hh.height
        next_member += mem.height
        members_total += mem.height
        log(
            f"  province {bench.province_code}: {hh.height:,} households, {mem.height:,} members in "
            f"{len(bench.communes)} communes (generate {generated:.1f} s, "
            f"COPY {time.perf_counter() - t1:.1f} s)"
        )
    with connection.cursor() as cursor:
        for model in (Household, Member, HouseholdEvent):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))", [table]
            )
        cursor.execute(
            f"ANALYZE {Household._meta.db_table}, {Member._meta.db_table}, {HouseholdEvent._meta.db_table}"
        )
    return time.perf_counter() - start, members_total
