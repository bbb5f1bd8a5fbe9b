"""Benchmark (đo hiệu năng) of the standard report forms for a province of 1.5 million households.

Usage::

    .venv/bin/python benchmarks/reports.py [--households 1500000] [--communes 100] [--repeat 3]
        [--shots DIR]

What is timed: the four forms of the province (Biểu 01-04: aggregation through
``reports.aggregation`` and building the tables) and their rendering to Excel, PDF and CSV — twelve
files — on a **synthetic report frame** of ``--households`` rows (the columns of
``reports.aggregation``), with about 10 % poor, 8 % near-poor and 12 % middle-living households,
deprivations and causes for them, and per-household transitions made by
``review.transitions.household_transitions`` from a synthetic previous round. The frame is built in
memory (not timed), so the figures say how fast the forms are, not how fast the database reads are:
loading 1.5 M households with approved rounds into PostgreSQL through the registry loaders takes longer
than this machine's shared budget allows (see ``benchmarks/registry.py`` for the database side).

Reference (the rule: a ratio against a reference run in the same process): a row-by-row Python count
of the same figures (households, poor, near-poor per commune and subgroup, deprivations and causes
per class) over the frame's rows — what a straightforward loop would do. ``ratio = reference / forms``
says how many times faster the forms (aggregation *and* twelve rendered files) are than merely counting
row by row; it stays comparable between machines, where seconds do not. The reference's counts are
checked against Biểu 01's total row.

The last line is machine-readable::

    RESULT households=<n> forms_s=<t> aggregate_s=<a> render_s=<r> reference_s=<s> ratio=<x>
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` and ``giamngheo`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from giamngheo.documents.report_pdf import TableForm
from giamngheo.reports.aggregation import REPORT_SCHEMA
from giamngheo.reports.forms import causes, deprivation, summary, transitions
from giamngheo.reports.forms.context import FormContext, Indicator, units_from_frame
from giamngheo.reports.forms.render import FORMATS
from giamngheo.review.procedure import procedure
from giamngheo.review.transitions import household_transitions
from giamngheo.standards import get_standard

BUILDERS = {"01": summary.build, "02": deprivation.build, "03": causes.build, "04": transitions.build}
CLASSES = ("poor", "near_poor", "middle_living", "not_poor", "incomplete", "not_reviewed")
WEIGHTS = (0.10, 0.08, 0.12, 0.30, 0.005, 0.395)


def synthetic_frame(households: int, communes: int, seed: int = 7) -> pl.DataFrame:
    """A report frame of ``households`` rows over ``communes`` communes of 15 villages each (vectorised)."""
    rng = np.random.default_rng(seed)
    indicators = get_standard("vn-2022-2025").indicator_ids
    cause_ids = procedure().causes.ids
    commune = rng.integers(0, communes, households)
    village = rng.integers(0, 15, households)
    klass = rng.choice(len(CLASSES), households, p=WEIGHTS)
    poor, near = klass == 0, klass == 1
    deprived = {
        i: (poor & (rng.random(households) < 0.4)) | (near & (rng.random(households) < 0.12))
        for i in indicators
    }
    caused = {c: (poor | near) & (rng.random(households) < 0.18) for c in cause_ids}
    frame = pl.DataFrame(
        {
            "commune_index": commune,
            "village_id": commune * 100 + village + 1_000_000,
            "household_id": np.arange(households),
            "area": np.where(rng.random(households) < 0.3, "urban", "rural"),
            "ethnic_minority": rng.random(households) < 0.2,
            "meritorious_family": rng.random(households) < 0.03,
            "social_protection": rng.random(households) < 0.05,
            "no_labour_capacity": rng.random(households) < 0.04,
            "klass": np.array(CLASSES)[klass],
            **{f"d_{i}": flag for i, flag in deprived.items()},
            **{f"c_{c}": flag for c, flag in caused.items()},
        }
    )
    return frame.select(
        pl.lit("51").alias("province_code"),
        (pl.col("commune_index") + 1).alias("commune_id"),
        (pl.col("commune_index") + 23000).cast(pl.String).alias("commune_code"),
        pl.format("Xã Thử {}", pl.col("commune_index") + 1).alias("commune_name"),
        "village_id",
        pl.format("Thôn {}", pl.col("village_id") % 100).alias("village_name"),
        "household_id",
        "area",
        "ethnic_minority",
        "meritorious_family",
        "social_protection",
        "no_labour_capacity",
        "klass",
        pl.concat_list([pl.when(pl.col(f"d_{i}")).then(pl.lit(i)) for i in indicators])
        .list.drop_nulls()
        .alias("deprived"),
        pl.concat_list([pl.when(pl.col(f"c_{c}")).then(pl.lit(c)) for c in cause_ids])
        .list.drop_nulls()
        .alias("causes"),
    ).cast(REPORT_SCHEMA)  # type: ignore[arg-type]


def synthetic_transitions(frame: pl.DataFrame, seed: int = 11) -> pl.DataFrame:
    """Per-household transitions against a synthetic previous round, made by the review's own function."""
    rng = np.random.default_rng(seed)
    listed = frame.filter(pl.col("klass") != "not_reviewed")
    choices = np.array(["poor", "near_poor", "not_poor", ""])
    previous_class = choices[rng.choice(4, listed.height, p=[0.11, 0.09, 0.5, 0.3])]
    previous = pl.DataFrame(
        {
            "household_id": listed["household_id"],
            "village_id": listed["village_id"],
            "klass": previous_class,
        }
    ).filter(pl.col("klass") != "")
    current = listed.select("household_id", "village_id", "klass")
    registry = frame.select(
        "household_id",
        pl.lit("active").alias("status"),
        pl.lit(None, dtype=pl.Date()).alias("joined_on"),
    )
    earlier = listed["household_id"].sample(fraction=0.02, seed=seed).to_list()
    per_household = household_transitions(
        previous, current, registry, earlier_poor=earlier, previous_reference=dt.date(2024, 10, 1)
    )
    communes = frame.select("household_id", "commune_id")
    return per_household.join(communes, on="household_id", how="left").with_columns(
        pl.col("category").cast(pl.String)
    )


def province_context(frame: pl.DataFrame, per_household: pl.DataFrame) -> FormContext:
    standard = get_standard("vn-2022-2025")
    names = {k: v.get("vi", k) for k, v in standard.dimensions.items()}
    return FormContext(
        level="province",
        key="tinh-51",
        area="Tỉnh Thử",
        issuer=("ỦY BAN NHÂN DÂN", "TỈNH THỬ"),
        place="Thử",
        year=2025,
        day=dt.date(2026, 1, 15),
        frame=frame,
        units=units_from_frame(frame, "province"),
        indicators=tuple(
            Indicator(s.id, names.get(s.dimension, s.dimension), s.label_vi) for s in standard.indicators
        ),
        causes=tuple((i.id, i.vi) for i in procedure().causes.items),
        middle_living=standard.has_middle_living,
        standards=(f"{standard.title_vi} ({standard.legal_basis})",),
        transitions=per_household,
        previous_years=(2024,),
    )


def build_and_render(context: FormContext) -> tuple[float, float, dict[str, TableForm], dict[str, bytes]]:
    start = time.perf_counter()
    forms = {code: build(context) for code, build in BUILDERS.items()}
    built = time.perf_counter()
    files = {
        f"{code}.{ext}": renderer(form)
        for code, form in forms.items()
        for ext, (_t, renderer) in FORMATS.items()
    }
    return built - start, time.perf_counter() - built, forms, files


def reference_counts(frame: pl.DataFrame) -> dict[str, int]:
    """Row-by-row Python: the figures of Biểu 01-03, counted one household at a time."""
    counts: dict[str, int] = {}

    def add(key: str) -> None:
        counts[key] = counts.get(key, 0) + 1

    groups = ("ethnic_minority", "meritorious_family", "social_protection", "no_labour_capacity")
    for row in frame.iter_rows(named=True):
        klass = row["klass"]
        commune = row["commune_id"]
        add("households")
        add(f"households:{commune}")
        add(f"households:{row['area']}")
        if klass in ("poor", "near_poor"):
            add(klass)
            add(f"{klass}:{commune}")
            add(f"{klass}:{row['area']}")
            for indicator in row["deprived"]:
                add(f"{klass}:dep:{indicator}")
            for cause in row["causes"]:
                add(f"{klass}:cause:{cause}")
        for group in groups:
            if row[group]:
                add(f"households:{group}")
                if klass in ("poor", "near_poor"):
                    add(f"{klass}:{group}")
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--households", type=int, default=1_500_000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shots", type=Path, default=None, help="write the twelve files to this folder")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    frame = synthetic_frame(args.households, args.communes)
    per_household = synthetic_transitions(frame)
    context = province_context(frame, per_household)
    print(
        f"setup (not timed): {frame.height:,} households, {per_household.height:,} transitions, "
        f"{time.perf_counter() - start:.1f} s"
    )

    runs: list[tuple[float, float]] = []
    files: dict[str, bytes] = {}
    forms: dict[str, TableForm] = {}
    for _ in range(args.repeat):
        aggregate, render, forms, files = build_and_render(context)
        runs.append((aggregate, render))
        print(
            f"  forms: aggregate {aggregate:.2f} s, render {render:.2f} s, total {aggregate + render:.2f} s"
        )
    aggregate_s = statistics.median(r[0] for r in runs)
    render_s = statistics.median(r[1] for r in runs)
    forms_s = statistics.median(r[0] + r[1] for r in runs)
    sizes = ", ".join(f"{name} {len(data) / 1024:.0f} KB" for name, data in files.items())
    print(f"files: {sizes}")

    start = time.perf_counter()
    reference = reference_counts(frame)
    reference_s = time.perf_counter() - start
    total = forms["01"].total
    assert total is not None
    assert (total[2], total[3], total[5]) == (
        reference["households"],
        reference["poor"],
        reference["near_poor"],
    ), "Biểu 01 disagrees with the row-by-row count"
    print(
        f"reference (row-by-row Python count): {reference_s:.2f} s; ratio reference / forms = "
        f"{reference_s / forms_s:.1f}"
    )
    if args.shots is not None:
        args.shots.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (args.shots / f"form-{name}").write_bytes(data)
    print(
        f"RESULT households={frame.height} forms_s={forms_s:.2f} aggregate_s={aggregate_s:.2f} "
        f"render_s={render_s:.2f} reference_s={reference_s:.2f} ratio={reference_s / forms_s:.1f}"
    )


if __name__ == "__main__":
    main()
