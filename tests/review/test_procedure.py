import datetime
import tomllib
from typing import Any

import pytest

from giamngheo.review.procedure import DATA_FILE, ProcedureError, parse_procedure, procedure


def _raw() -> dict[str, Any]:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


def test_the_shipped_procedure_has_its_day_counts_and_statuses() -> None:
    p = procedure()
    assert p.periodic.window(2026) == (datetime.date(2026, 9, 1), datetime.date(2026, 12, 14))
    assert p.ongoing.start_of(2026, 3) == datetime.date(2026, 3, 15)
    assert (p.ongoing.decision_days, p.posting.days) == (15, 7)
    assert p.posting.end_date(datetime.date(2026, 11, 1)) == datetime.date(2026, 11, 7)
    assert p.unconfirmed == ("posting", "complaints", "forms.application", "phieu_a")
    assert len(p.causes.items) == 10 and len(p.support_needs.items) == 10
    assert p.causes.label("land") == "Thiếu đất sản xuất"


@pytest.mark.parametrize(
    ("attendees", "agreeing", "passed"),
    [(10, 5, True), (9, 4, False), (9, 5, True), (1, 0, False), (0, 0, False), (3, 2, True)],
)
def test_meeting_passes_at_half_of_the_attendees_or_more(attendees: int, agreeing: int, passed: bool) -> None:
    assert procedure().meeting.passed(attendees, agreeing) is passed


def test_phieu_a_excludes_at_the_first_yes() -> None:
    rules = procedure().phieu_a
    assert rules.passes(dict.fromkeys(rules.ids, False))
    assert not rules.passes({**dict.fromkeys(rules.ids, False), "car": True})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["posting"].update(days=0), "posting.days"),
        (lambda r: r["meeting"].update(min_agreeing_share=1.5), "min_agreeing_share"),
        (lambda r: r["posting"].update(status="maybe"), "status"),
        (lambda r: r["periodic"].update(end={"month": 2, "day": 30}), "periodic.end"),
        (lambda r: r["causes"]["items"].append({"id": "land", "vi": "x"}), "duplicate"),
        (lambda r: r["phieu_a"].update(excluded_at_yes=99), "excluded_at_yes"),
    ],
)
def test_a_malformed_procedure_file_fails_loudly(change: Any, message: str) -> None:
    raw = _raw()
    change(raw)
    with pytest.raises(ProcedureError, match=message):
        parse_procedure(raw)
