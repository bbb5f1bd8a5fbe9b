"""Plan-document parser (đọc kế hoạch giảm nghèo): targets, tasks with agencies, deadlines and funding.

Framework-free (no Django): text in, frozen dataclasses out. Rule-based and offline.

>>> draft = parse_plan("KẾ HOẠCH\\nNăm 2024\\n\\nI. MỤC TIÊU\\n\\n- Giảm tỷ lệ hộ nghèo 1-1,5%/năm")
>>> t = draft.targets[0]
>>> t.kind, t.value, t.value_max, t.unit, t.per_year
('poor_rate_reduction', Decimal('1'), Decimal('1.5'), 'points', True)
"""

from giamngheo.planning.parsing.agencies import normalise_agency, split_agencies, successor_of
from giamngheo.planning.parsing.model import (
    AgencyRef,
    CitedAct,
    Deadline,
    FundingLine,
    PlanDraft,
    Target,
    Task,
    Timeframe,
)
from giamngheo.planning.parsing.plan import draft_as_json, parse_plan
from giamngheo.planning.parsing.reader import PlanReadError, read_plan_file

__all__ = [
    "AgencyRef",
    "CitedAct",
    "Deadline",
    "FundingLine",
    "PlanDraft",
    "PlanReadError",
    "Target",
    "Task",
    "Timeframe",
    "draft_as_json",
    "normalise_agency",
    "parse_plan",
    "read_plan_file",
    "split_agencies",
    "successor_of",
]
