"""Synthetic population generator (bộ sinh dữ liệu tổng hợp) for the facts schema.

Deterministic, calibrated to the published end-2024 provincial poor / near-poor household rates under
the 2022-2025 standard, and able to write Vietnam-sized populations (27 million households) in
bounded memory. Facts only: no household carries a class. See ``docs/synthetic-data.md``.

>>> from giamngheo.synth import generate_frames
>>> households, members = generate_frames(500, seed=1)
"""

from giamngheo.synth.builder import (
    BLOCK_SIZE,
    GENERATOR_VERSION,
    SynthSummary,
    generate,
    generate_frames,
    household_schema,
    member_schema,
)
from giamngheo.synth.calibration import calibration_table, national_targets

__all__ = [
    "BLOCK_SIZE",
    "GENERATOR_VERSION",
    "SynthSummary",
    "calibration_table",
    "generate",
    "generate_frames",
    "household_schema",
    "member_schema",
    "national_targets",
]
