"""The parser stays fast on long plans: a 3,000-line plan (about 60 pages) in under two seconds."""

from __future__ import annotations

import re
import time
from pathlib import Path

from giamngheo.planning.parsing import parse_plan, read_plan_file

UNSEEN = Path(__file__).with_name("data") / "unseen"


def _long_plan(lines_wanted: int) -> tuple[str, int]:
    """The commune plan with its tasks and organisation sections repeated, every copy made different
    (other villages, days and amounts) so no cache sees the same paragraph twice."""
    lines = read_plan_file(UNSEEN / "xa-dong-tam-2026.txt").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("IV. NHIỆM VỤ"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Trên đây"))
    out = lines[:start]
    copies = 0
    while len(out) < lines_wanted:
        copies += 1
        day = 1 + copies % 28
        for line in lines[start:end]:
            line = line.replace("Đồng Tâm", f"Đồng Tâm {copies}").replace("thôn", f"thôn số {copies}")
            out.append(re.sub(r"\b\d{1,2}/(\d{1,2})/2026", rf"{day}/\1/2026", line))
    return "\n".join(out), copies


def test_a_3000_line_plan_parses_in_under_two_seconds() -> None:
    text, copies = _long_plan(3000)
    assert len(text.splitlines()) >= 3000
    started = time.perf_counter()
    draft = parse_plan(text)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"{elapsed:.2f} s"
    # every copy is read: 8 tasks of the content and 7 of the organisation section each
    assert len(draft.tasks) == 15 * copies
    assert len(draft.funding) == 5 * copies
