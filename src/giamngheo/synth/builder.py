"""Public entry points: :func:`generate` (files on disk) and :func:`generate_frames` (in memory).

Determinism: the population is cut into fixed blocks of :data:`BLOCK_SIZE` households. Block ``b``
draws from ``Generator(PCG64(SeedSequence([seed, b, salt])))``, so the data depend only on
``(households, seed, province_codes, missing_rate)`` and the generator version, never on
``chunk_size`` (which only sets how many blocks are held in memory and written per part file).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import numpy as np
import polars as pl

from giamngheo import __version__ as package_version
from giamngheo.standards.facts import Level, polars_schema
from giamngheo.synth import _data
from giamngheo.synth._population import Params, Population, draw_population
from giamngheo.synth._stats import pick_one_per_group
from giamngheo.synth.calibration import (
    URBAN_SIZE_GAP,
    ProvinceTargets,
    calibration_table,
    national_targets,
    province_targets,
)
from giamngheo.synth.geography import Geography, build_geography, locate

#: Version of the generator's model; bumped whenever the same seed would give different data.
GENERATOR_VERSION: Final = "1"
#: Fixed internal block size (households); part of the model, never change it within a version.
BLOCK_SIZE: Final = 65_536
_SALT: Final = 0x5EED
#: Household columns that may be blanked by ``missing_rate`` (plus the members' health insurance).
MISSING_HOUSEHOLD_FACTS: Final = (
    "income_12m",
    "water_source",
    "latrine_type",
    "floor_area_m2",
    "uses_internet",
    "durable_main_parts",
)
MISSING_MEMBER_FACT: Final = "has_health_insurance"
GROUPING_COLUMNS: Final = ("province_code", "commune_code", "village_code")

Format = Literal["parquet", "csv"]


def household_schema() -> dict[str, pl.DataType]:
    """Column types of the household frame: ids and grouping columns, then the household facts."""
    facts = polars_schema(Level.HOUSEHOLD)
    schema: dict[str, pl.DataType] = {"household_id": pl.Int64()}
    schema.update({c: pl.String() for c in GROUPING_COLUMNS})
    schema.update({k: v for k, v in facts.items() if k != "household_id"})
    return schema


def member_schema() -> dict[str, pl.DataType]:
    """Column types of the member frame (``age`` is Int16: the engine accepts any integer type)."""
    facts = polars_schema(Level.MEMBER)
    schema: dict[str, pl.DataType] = {"member_id": pl.Int64(), "household_id": pl.Int64()}
    schema.update({k: v for k, v in facts.items() if k != "household_id"})
    schema["age"] = pl.Int16()
    return schema


@dataclass(frozen=True, slots=True)
class SynthSummary:
    """What :func:`generate` wrote."""

    households: int
    members: int
    seed: int
    generator_version: str
    households_path: Path
    members_path: Path
    manifest_path: Path


@dataclass(frozen=True, slots=True)
class _Plan:
    households: int
    seed: int
    missing_rate: float
    targets: tuple[ProvinceTargets, ...]
    geo: Geography
    params: Params
    commune_codes: pl.Series
    province_codes: pl.Series  # per commune


def _plan(households: int, seed: int, province_codes: Sequence[str] | None, missing_rate: float) -> _Plan:
    if households < 1:
        raise ValueError("households must be at least 1")
    if seed < 0:
        raise ValueError("seed must be a non-negative integer")
    if not 0.0 <= missing_rate <= 1.0:
        raise ValueError("missing_rate must be between 0 and 1")
    every = province_targets()
    if province_codes is None:
        targets = every
    else:
        wanted = set(province_codes)
        unknown = wanted - {t.code for t in every}
        if unknown or not wanted:
            raise ValueError(f"unknown province codes: {sorted(unknown)}; known: {[t.code for t in every]}")
        targets = tuple(t for t in every if t.code in wanted)
    geo = build_geography(targets, households)
    codes = [t.code for t in targets]
    return _Plan(
        households=households,
        seed=seed,
        missing_rate=missing_rate,
        targets=targets,
        geo=geo,
        params=Params.from_targets(targets, URBAN_SIZE_GAP),
        commune_codes=pl.Series("commune_code", geo.commune_code, dtype=pl.String),
        province_codes=pl.Series("province_code", [codes[i] for i in geo.province_index], dtype=pl.String),
    )


def _enum(name: str, codes: np.ndarray, level: Level) -> pl.Series:
    dtype = polars_schema(level)[name]
    return pl.Series(name, codes.astype(np.uint32)).cast(dtype)


def _block(plan: _Plan, block: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    start = block * BLOCK_SIZE
    stop = min(start + BLOCK_SIZE, plan.households)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([plan.seed, block, _SALT])))
    commune, village = locate(plan.geo, start, stop)
    prov = plan.geo.province_index[commune]
    urban = plan.geo.urban[commune]
    z = rng.standard_normal(stop - start)
    pop = draw_population(rng, prov, urban, z, plan.params)
    households = _household_frame(plan, pop, start, commune, village, urban)
    members = _member_frame(pop, households["household_id"].to_numpy())
    if plan.missing_rate > 0:
        households, members = _blank_some_facts(rng, plan.missing_rate, pop, households, members)
    return households, members


def _household_frame(
    plan: _Plan, pop: Population, start: int, commune: np.ndarray, village: np.ndarray, urban: np.ndarray
) -> pl.DataFrame:
    n = commune.shape[0]
    h = Level.HOUSEHOLD
    frame = pl.DataFrame(
        [
            pl.Series("household_id", np.arange(start + 1, start + n + 1, dtype=np.int64)),
            plan.province_codes.gather(commune),
            plan.commune_codes.gather(commune),
            pl.Series("village", village.astype(np.int32)),
            _enum("area", np.where(urban, 0, 1), h),
            pl.Series("income_12m", pop.income_12m),
            pl.Series("income_score", [None] * n, dtype=pl.Float64),
            pl.Series("ill_member_untreated", pop.ill_untreated),
            pl.Series("has_dwelling", pop.has_dwelling),
            pl.Series("durable_main_parts", pop.durable),
            pl.Series("floor_area_m2", pop.floor_area),
            _enum("water_source", pop.water, h),
            _enum("latrine_type", pop.latrine, h),
            _enum("waste_disposal", pop.waste, h),
            pl.Series("uses_internet", pop.internet),
            pl.Series("uses_telephone", pop.telephone),
            pl.Series("has_tv", pop.tv),
            pl.Series("has_radio", pop.radio),
            pl.Series("has_computer", pop.computer),
            pl.Series("has_smartphone", pop.smartphone),
            pl.Series("hears_loudspeaker", pop.loudspeaker),
        ]
    )
    return frame.with_columns(
        village_code=pl.concat_str(
            pl.col("commune_code"), pl.lit("-"), pl.col("village").cast(pl.String).str.zfill(2)
        ),
        durable_main_parts=pl.when(pl.col("has_dwelling")).then(pl.col("durable_main_parts")),
    ).select(list(household_schema()))


def _member_frame(pop: Population, household_id: np.ndarray) -> pl.DataFrame:
    m = Level.MEMBER
    hid = np.repeat(household_id, pop.size)
    starts = np.cumsum(pop.size) - pop.size
    number = np.arange(hid.shape[0]) - np.repeat(starts, pop.size) + 1
    return pl.DataFrame(
        [
            pl.Series("member_id", hid * 100 + number),
            pl.Series("household_id", hid),
            pl.Series("age", pop.age.astype(np.int16)),
            _enum("sex", np.where(pop.male, 0, 1), m),
            pl.Series("has_labour_capacity", pop.capacity),
            _enum("employment", pop.employment, m),
            pl.Series("has_health_insurance", pop.insured),
            pl.Series("stunted", pop.stunted),
            pl.Series("underweight", pop.underweight),
            _enum("school_attendance", pop.school, m),
            _enum("general_education", pop.education, m),
            _enum("vocational_qualification", pop.vocational, m),
            pl.Series("enterprise_trained", pop.enterprise),
        ]
    )


def _blank_some_facts(
    rng: np.random.Generator,
    rate: float,
    pop: Population,
    households: pl.DataFrame,
    members: pl.DataFrame,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Blank one fact in about ``rate`` of the households (a member's fact or a household fact)."""
    n = households.height
    chosen = rng.random(n) < rate
    which = rng.integers(0, len(MISSING_HOUSEHOLD_FACTS) + 1, n)
    starts = (np.cumsum(pop.size) - pop.size).astype(np.int64)
    member_case = np.repeat(chosen & (which == len(MISSING_HOUSEHOLD_FACTS)), pop.size)
    picked, has = pick_one_per_group(rng, starts, member_case & (pop.age >= 6))
    # a household whose members are all under 6 loses its income figure instead
    which = np.where(chosen & (which == len(MISSING_HOUSEHOLD_FACTS)) & ~has, 0, which)
    households = households.with_columns(
        pl.when(pl.Series(chosen & (which == k))).then(None).otherwise(pl.col(name)).alias(name)
        for k, name in enumerate(MISSING_HOUSEHOLD_FACTS)
    )
    members = members.with_columns(
        pl.when(pl.Series(picked))
        .then(None)
        .otherwise(pl.col(MISSING_MEMBER_FACT))
        .alias(MISSING_MEMBER_FACT)
    )
    return households, members


def _blocks(plan: _Plan) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    for block in range(-(-plan.households // BLOCK_SIZE)):
        yield _block(plan, block)


def generate_frames(
    households: int,
    seed: int,
    *,
    province_codes: Sequence[str] | None = None,
    missing_rate: float = 0.05,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Generate a synthetic population in memory (for tests, demos and small runs).

    Parameters
    ----------
    households
        Number of households (≥ 1), split over the provinces in proportion to their household counts.
    seed
        Non-negative integer; the same arguments always give the same frames.
    province_codes
        Two-digit 2025 province codes to generate (e.g. ``["11", "12"]``); ``None`` for all 34.
    missing_rate
        Share of households with one deliberately blank fact (0 disables it).

    Returns
    -------
    tuple[pl.DataFrame, pl.DataFrame]
        The household frame and the member frame, typed as :func:`household_schema` and
        :func:`member_schema`.

    Examples
    --------
    >>> hh, mem = generate_frames(1_000, seed=7)
    >>> hh.height, mem["household_id"].is_in(hh["household_id"].implode()).all()
    (1000, True)
    """
    plan = _plan(households, seed, province_codes, missing_rate)
    parts = list(_blocks(plan))
    return pl.concat([p[0] for p in parts]), pl.concat([p[1] for p in parts])


def generate(
    households: int,
    seed: int,
    out_dir: Path,
    *,
    province_codes: Sequence[str] | None = None,
    chunk_size: int = 1_000_000,
    fmt: Format = "parquet",
    missing_rate: float = 0.05,
) -> SynthSummary:
    """Generate a synthetic population and write it to ``out_dir``.

    Writes ``households.<fmt>``, ``members.<fmt>`` and ``manifest.json`` (seed, counts, generator
    version, calibration table and sources). Memory stays bounded whatever the size: blocks are
    written as Parquet parts of about ``chunk_size`` households, then streamed into the final files.

    Parameters
    ----------
    households
        Number of households (≥ 1); 27,000,000 is about the size of Vietnam.
    seed
        Non-negative integer; same arguments → same data content.
    out_dir
        Output directory, created if needed; existing output files are replaced.
    province_codes
        Two-digit 2025 province codes to generate; ``None`` for all 34.
    chunk_size
        Households held in memory and written per part (rounded up to whole internal blocks of
        65,536). It never changes the data.
    fmt
        ``"parquet"`` (default) or ``"csv"`` (UTF-8, header, empty cell = null, ``true``/``false``).
    missing_rate
        Share of households with one deliberately blank fact (0 disables it).

    Returns
    -------
    SynthSummary
        Counts and the paths written.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    if fmt not in ("parquet", "csv"):
        raise ValueError("fmt must be 'parquet' or 'csv'")
    plan = _plan(households, seed, province_codes, missing_rate)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    parts_dir = out_dir / "_parts"
    if parts_dir.exists():
        shutil.rmtree(parts_dir)
    parts_dir.mkdir()
    blocks_per_part = max(1, -(-chunk_size // BLOCK_SIZE))
    hh_parts: list[Path] = []
    mem_parts: list[Path] = []
    members = 0
    buffer: list[tuple[pl.DataFrame, pl.DataFrame]] = []

    def flush() -> None:
        if not buffer:
            return
        k = len(hh_parts)
        hh_parts.append(parts_dir / f"households-{k:05d}.parquet")
        mem_parts.append(parts_dir / f"members-{k:05d}.parquet")
        pl.concat([b[0] for b in buffer]).write_parquet(hh_parts[-1])
        pl.concat([b[1] for b in buffer]).write_parquet(mem_parts[-1])
        buffer.clear()

    for hh, mem in _blocks(plan):
        members += mem.height
        buffer.append((hh, mem))
        if len(buffer) >= blocks_per_part:
            flush()
    flush()

    hh_path = out_dir / f"households.{fmt}"
    mem_path = out_dir / f"members.{fmt}"
    for parts, path in ((hh_parts, hh_path), (mem_parts, mem_path)):
        lf = pl.scan_parquet(parts)
        if fmt == "parquet":
            lf.sink_parquet(path)
        else:
            lf.sink_csv(path)
    shutil.rmtree(parts_dir)

    manifest_path = out_dir / "manifest.json"
    selected = [t.code for t in plan.targets]
    poor, near = national_targets(tuple(selected))
    manifest = {
        "generator": "giamngheo.synth",
        "generator_version": GENERATOR_VERSION,
        "package_version": package_version,
        "seed": seed,
        "households": households,
        "members": members,
        "province_codes": selected,
        "missing_rate": missing_rate,
        "format": fmt,
        "block_size": BLOCK_SIZE,
        "files": {"households": hh_path.name, "members": mem_path.name},
        "columns": {
            "households": {k: str(v) for k, v in household_schema().items()},
            "members": {k: str(v) for k, v in member_schema().items()},
        },
        "targets_percent": {"poor": round(poor, 4), "near_poor": round(near, 4)},
        "standard": "vn-2022-2025",
        "lines_vnd_per_person_month": {"rural": _data.LINE_RURAL, "urban": _data.LINE_URBAN},
        "calibration": calibration_table().filter(pl.col("province_code").is_in(selected)).to_dicts(),
        "sources": "docs/synthetic-data.md",
    }
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return SynthSummary(
        households=households,
        members=members,
        seed=seed,
        generator_version=GENERATOR_VERSION,
        households_path=hh_path,
        members_path=mem_path,
        manifest_path=manifest_path,
    )
