"""Benchmark (đo hiệu năng) of the standards engine on a synthetic population, in one process.

Usage::

    .venv/bin/python benchmarks/engine.py --households 1000000 [--seed 1] [--standard vn-2022-2025]
        [--reference-sample 20000] [--data DIR] [--generator auto|synth|local]

Steps, each timed:

1. population: ``--data DIR`` (``households.parquet`` and ``members.parquet``), else
   ``giamngheo.synth.generate_frames`` when that package is importable, else the local fallback
   ``benchmarks/_population.py`` (not timed in ``seconds``);
2. ``validate_facts`` + ``evaluate`` under the chosen standard;
3. Alkire-Foster (``giamngheo.measures.alkire_foster``) on the ``dep_*`` columns of the households whose
   deprivations are all known, weights 1, ``k = standard.poor_min_deprivations``, by ``commune_code``;
4. household rates by commune (``giamngheo.measures.household_rates``);
5. the row-by-row reference (``benchmarks/reference.py``) on a random sample of ``--reference-sample``
   households, scaled linearly to all households, compared with the engine's evaluate step alone
   (``reference_ratio``), and checked household by household against the engine's results.

The last line is machine-readable::

    RESULT households=<n> seconds=<validate+evaluate+AF+rates> reference_ratio=<r> peak_mb=<m>
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._population import build_population
from benchmarks.reference import classify_reference
from giamngheo.measures import alkire_foster, household_rates
from giamngheo.standards import Standard, evaluate, get_standard, validate_facts

VIETNAM_HOUSEHOLDS = 27_000_000
T = TypeVar("T")


def timed(step: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    value = step()
    return value, time.perf_counter() - start


def load_population(args: argparse.Namespace) -> tuple[pl.DataFrame, pl.DataFrame, str]:
    """The household and member frames, and where they came from."""
    if args.data is not None:
        directory = Path(args.data)
        households = pl.read_parquet(directory / "households.parquet")
        members = pl.read_parquet(directory / "members.parquet")
        if args.households is not None and args.households < households.height:
            households = households.head(args.households)
            members = members.join(households.select("household_id"), on="household_id", how="semi")
        return households, members, f"parquet files in {directory}"
    if args.generator in ("auto", "synth"):
        try:
            from giamngheo.synth import generate_frames
        except ImportError:
            if args.generator == "synth":
                raise
        else:
            households, members = generate_frames(args.households, args.seed)
            return households, members, f"giamngheo.synth.generate_frames(seed={args.seed})"
    households, members = build_population(args.households, args.seed)
    return households, members, f"benchmarks/_population.py fallback (seed={args.seed})"


def dep_columns(standard: Standard) -> list[str]:
    return [f"dep_{i.id}" for i in standard.indicators]


def alkire_foster_on_complete(results: pl.DataFrame, standard: Standard) -> tuple[Any, int]:
    """AF needs every indicator known: households with an unknown indicator are left out (and counted)."""
    columns = dep_columns(standard)
    complete = results.filter(pl.all_horizontal(pl.col(columns).is_not_null()))
    weights = dict.fromkeys(columns, 1.0)
    af = alkire_foster(complete, weights, k=float(standard.poor_min_deprivations), by="commune_code")
    return af, results.height - complete.height


def sample_frames(
    households: pl.DataFrame, members: pl.DataFrame, size: int, seed: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    if size >= households.height:
        return households, members
    chosen = households.sample(n=size, seed=seed, shuffle=False)
    return chosen, members.join(chosen.select("household_id"), on="household_id", how="semi")


def disagreements(engine: pl.DataFrame, reference: list[dict[str, Any]], standard: Standard) -> int:
    """Households of the sample on which the engine and the reference differ (class, indicators, count or
    missing facts)."""
    keys = ["class", "deprivation_count", *dep_columns(standard)]
    by_id = {row["household_id"]: row for row in engine.to_dicts()}
    differing = 0
    for ref in reference:
        row = by_id[ref["household_id"]]
        if any(row[k] != ref[k] for k in keys) or set(row["missing"]) != set(ref["missing"]):
            differing += 1
    return differing


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--households", type=int, help="number of households (số hộ); required without --data"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--standard", default="vn-2022-2025", help="standard id (mã chuẩn nghèo)")
    parser.add_argument("--reference-sample", type=int, default=20_000, help="households for the reference")
    parser.add_argument("--data", help="directory with households.parquet and members.parquet")
    parser.add_argument("--generator", choices=("auto", "synth", "local"), default="auto")
    args = parser.parse_args(argv)
    if args.data is None and (args.households is None or args.households < 1):
        parser.error("--households N (N >= 1) is required without --data")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    standard = get_standard(args.standard)

    (households, members, source), load_seconds = timed(lambda: load_population(args))
    n = households.height

    checked, validate_seconds = timed(lambda: validate_facts(households, members).raise_if_errors())
    results, evaluate_seconds = timed(
        lambda: evaluate(checked.households, checked.members, standard, validate=False)
    )
    (af, left_out), af_seconds = timed(lambda: alkire_foster_on_complete(results, standard))
    rates, rates_seconds = timed(lambda: household_rates(results, by="commune_code"))
    seconds = validate_seconds + evaluate_seconds + af_seconds + rates_seconds

    sample_hh, sample_mm = sample_frames(
        checked.households, checked.members, args.reference_sample, args.seed
    )
    (hh_rows, mm_rows), to_dicts_seconds = timed(lambda: (sample_hh.to_dicts(), sample_mm.to_dicts()))
    reference, reference_seconds = timed(lambda: classify_reference(hh_rows, mm_rows, standard))
    k = len(hh_rows)
    reference_scaled = reference_seconds * n / k
    reference_ratio = reference_scaled / evaluate_seconds
    engine_sample = results.join(sample_hh.select("household_id"), on="household_id", how="semi")
    differing = disagreements(engine_sample, reference, standard)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    classes = dict(results.group_by("class").len().sort("class").iter_rows())
    per_million = seconds / n * 1_000_000
    lines = [
        f"Chuẩn / standard: {standard.id}   Dữ liệu / population: {source}",
        f"Hộ / households: {n:,}   Nhân khẩu / members: {members.height:,}   "
        f"(tạo/đọc dữ liệu / build or load: {load_seconds:.2f} s, not counted)",
        "Thời gian / timings (s):",
        f"  validate_facts .................. {validate_seconds:8.3f}",
        f"  evaluate ........................ {evaluate_seconds:8.3f}",
        f"  Alkire-Foster by commune ........ {af_seconds:8.3f}   "
        f"(H={af.H:.4f} A={af.A:.4f} M0={af.M0:.4f}; "
        f"{left_out:,} households with an unknown indicator left out)",
        f"  household rates by commune ...... {rates_seconds:8.3f}   ({rates.height:,} communes)",
        f"  total (seconds) ................. {seconds:8.3f}   = {per_million:.2f} s per million households; "
        f"27 M households ≈ {per_million * VIETNAM_HOUSEHOLDS / 1_000_000:.0f} s (linear extrapolation)",
        "Phân loại / classes: " + ", ".join(f"{c}={v:,}" for c, v in classes.items()),
        f"Tham chiếu / reference (row by row) on {k:,} households: {reference_seconds:.3f} s "
        f"(+ {to_dicts_seconds:.3f} s to_dicts, not counted) → scaled to {n:,}: {reference_scaled:.1f} s",
        f"  reference_ratio = scaled reference / engine evaluate step alone (no validation, AF or rates) "
        f"= {reference_ratio:.1f}",
        f"  engine vs reference on the sample: {differing:,} household(s) differ",
        f"Bộ nhớ đỉnh / peak memory (ru_maxrss, whole process incl. the population): {peak_mb:,.0f} MB",
        f"RESULT households={n} seconds={seconds:.3f} "
        f"reference_ratio={reference_ratio:.1f} peak_mb={peak_mb:.0f}",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
