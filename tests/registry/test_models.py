"""Registry choices that the standards engine reads back as facts must use the engine's codes."""

from giamngheo.registry.models import HouseholdArea, Sex
from giamngheo.standards.facts import AREA_VALUES, SEX_VALUES


def test_area_and_sex_codes_are_the_engines() -> None:
    assert set(HouseholdArea.values) == set(AREA_VALUES)
    assert set(Sex.values) == set(SEX_VALUES)
