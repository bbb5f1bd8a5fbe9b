"""The sample workbook: three households that the standards classify as intended."""

from __future__ import annotations

import io

import polars as pl

from giamngheo.site.standards.sample import sample_facts, sample_workbook
from giamngheo.standards import HOUSEHOLD_FACTS, MEMBER_FACTS, evaluate, list_standards


def test_sample_classes_under_every_standard() -> None:
    households, members = sample_facts()
    classes = {
        s.id: evaluate(households, members, s)["class"].cast(pl.String).to_list() for s in list_standards()
    }
    assert classes["vn-2022-2025"] == ["poor", "near_poor", "not_poor"]
    assert all("incomplete" not in found for found in classes.values()), classes


def test_sample_facts_use_the_fact_names() -> None:
    households, members = sample_facts()
    assert set(households.columns) <= {f.name for f in HOUSEHOLD_FACTS}
    assert members.columns == [f.name for f in MEMBER_FACTS]


def test_sample_workbook_has_the_two_sheets() -> None:
    sheets = pl.read_excel(io.BytesIO(sample_workbook()), sheet_id=0)
    households, members = sample_facts()
    assert list(sheets) == ["households", "members"]
    assert sheets["households"].columns == households.columns
    assert sheets["members"].columns == members.columns
    assert (sheets["households"].height, sheets["members"].height) == (3, 10)
