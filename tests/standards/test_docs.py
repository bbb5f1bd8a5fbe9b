"""docs/data-format.md stays in step with the facts schema and the standards."""

from __future__ import annotations

from giamngheo.standards import docs
from giamngheo.standards.facts import HOUSEHOLD_FACTS, MEMBER_FACTS


def test_generated_tables_are_up_to_date() -> None:
    text = docs.DOC.read_text(encoding="utf-8")
    assert docs.render(text) == text, "run: python -m giamngheo.standards.docs --write"


def test_every_fact_is_documented_with_its_users() -> None:
    reference = docs.facts_reference()
    for fact in (*HOUSEHOLD_FACTS, *MEMBER_FACTS):
        assert f"| `{fact.name}` |" in reference
    # computed from the data files: only 2027-2030 reads waste disposal, only 2016-2020 the loudspeaker
    waste = next(line for line in reference.splitlines() if line.startswith("| `waste_disposal`"))
    assert waste.endswith("| vn-2027-2030 |")
    loudspeaker = next(line for line in reference.splitlines() if line.startswith("| `hears_loudspeaker`"))
    assert loudspeaker.endswith("| vn-2016-2020 |")
