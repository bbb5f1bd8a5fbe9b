"""Shared fixtures: the two real plans (copied from the domain notes' seeds) parsed once."""

from __future__ import annotations

from pathlib import Path

import pytest

from giamngheo.planning.parsing import AgencyRef, PlanDraft, Task, parse_plan, read_plan_file

DATA = Path(__file__).with_name("data")
KON_RAY = DATA / "plan-kon-ray-2022.md"
YEN_BAI = DATA / "plan-yen-bai-2019.txt"


@pytest.fixture(scope="session")
def kon_ray() -> PlanDraft:
    return parse_plan(read_plan_file(KON_RAY))


@pytest.fixture(scope="session")
def yen_bai() -> PlanDraft:
    return parse_plan(read_plan_file(YEN_BAI))


def task_at(draft: PlanDraft, section: str) -> Task:
    """The only task of ``section``."""
    found = [t for t in draft.tasks if t.section == section]
    assert len(found) == 1, (section, [t.section for t in draft.tasks])
    return found[0]


def names(agencies: tuple[AgencyRef, ...]) -> list[str]:
    return [a.name for a in agencies]
