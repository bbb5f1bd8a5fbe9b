"""The sample workbook (mau.xlsx): three households to download, fill in and upload on the try page."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import polars as pl
import xlsxwriter  # type: ignore[import-untyped]

from giamngheo.standards import MEMBER_FACTS


def sample_facts() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Three example households: poor, near-poor and not poor under the 2022-2025 standard.

    H001 (rural, 1.200.000 đ/person/month) lacks health insurance, a sound house, clean water and a
    hygienic latrine (4 deprivations); H002 (rural, 1.400.000 đ) lacks only a hygienic latrine; H003
    (urban, 4.000.000 đ) lacks nothing. Every fact is filled in, so no standard finds them incomplete.
    """
    households = pl.DataFrame(
        {
            "household_id": ["H001", "H002", "H003"],
            "area": ["rural", "rural", "urban"],
            "income_12m": [57_600_000, 50_400_000, 144_000_000],
            "ill_member_untreated": [False, False, False],
            "has_dwelling": [True, True, True],
            "durable_main_parts": [1, 3, 3],
            "floor_area_m2": [40.0, 50.0, 75.0],
            "water_source": ["unprotected_dug_well", "drilled_well", "piped"],
            "latrine_type": ["simple_pit", "simple_pit", "septic"],
            "waste_disposal": ["collected", "collected", "collected"],
            "uses_internet": [True, True, True],
            "uses_telephone": [True, True, True],
            "has_tv": [True, True, True],
            "has_radio": [False, False, False],
            "has_computer": [False, False, True],
            "has_smartphone": [True, True, True],
            "hears_loudspeaker": [True, True, True],
        }
    )

    def adult(
        household: str, age: int, sex: str, employment: str, general: str, **facts: Any
    ) -> dict[str, Any]:
        return {
            "household_id": household,
            "age": age,
            "sex": sex,
            "has_labour_capacity": True,
            "employment": employment,
            "has_health_insurance": facts.get("insured", True),
            "stunted": False,
            "underweight": False,
            "school_attendance": "not_attending",
            "general_education": general,
            "vocational_qualification": facts.get("vocational", "none"),
            "enterprise_trained": False,
        }

    def child(household: str, age: int, sex: str, general: str) -> dict[str, Any]:
        return {
            "household_id": household,
            "age": age,
            "sex": sex,
            "has_labour_capacity": False,
            "employment": "not_in_labour_force",
            "has_health_insurance": True,
            "stunted": False,
            "underweight": False,
            "school_attendance": "attending",
            "general_education": general,
            "vocational_qualification": "none",
            "enterprise_trained": False,
        }

    people = [
        adult("H001", 38, "male", "self_employed", "lower_secondary", insured=False),
        adult("H001", 35, "female", "self_employed", "lower_secondary"),
        child("H001", 10, "female", "primary"),
        child("H001", 6, "male", "none"),
        adult("H002", 45, "male", "self_employed", "upper_secondary"),
        adult("H002", 42, "female", "self_employed", "lower_secondary"),
        child("H002", 14, "male", "primary"),
        adult("H003", 40, "male", "wage_with_contract", "upper_secondary", vocational="college_or_higher"),
        adult("H003", 38, "female", "wage_with_contract", "upper_secondary", vocational="college_or_higher"),
        child("H003", 12, "female", "primary"),
    ]
    members = pl.DataFrame(people).select([f.name for f in MEMBER_FACTS])
    return households, members


def sample_workbook() -> bytes:
    """The sample as an Excel workbook with the sheets ``households`` and ``members``."""
    households, members = sample_facts()
    buffer = BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as workbook:
        for frame, sheet in ((households, "households"), (members, "members")):
            frame.write_excel(workbook, worksheet=sheet, autofit=True, freeze_panes=(1, 0))
    return buffer.getvalue()
