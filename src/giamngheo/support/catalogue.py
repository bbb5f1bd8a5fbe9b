"""The national policy catalogue as data (danh mục chính sách của Trung ương): ``data/policies.toml``
loaded and checked. Framework-free (``tomllib`` and dataclasses); ``support.services.policies`` writes it
to the database.

>>> entries = catalogue()
>>> "tin-dung-ho-ngheo" in {entry.code for entry in entries}
True
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Final

from giamngheo.review.procedure import STATUSES, procedure
from giamngheo.support.eligibility import AREAS, ELIGIBLE_VALUES, NEWLY_ESCAPED, Rule

__all__ = [
    "BENEFICIARIES",
    "COVERAGE_BASES",
    "DATA_FILE",
    "PERIODS",
    "CatalogueError",
    "CataloguePolicy",
    "catalogue",
    "parse_catalogue",
    "rule_problems",
]

DATA_FILE: Final = Path(__file__).with_name("data") / "policies.toml"
BENEFICIARIES: Final = ("household", "member")
COVERAGE_BASES: Final = ("members", "households", "households_with_need")
PERIODS: Final = ("once", "yearly", "monthly", "any")


class CatalogueError(ValueError):
    """The catalogue file is malformed (English message, for logs and tests)."""


@dataclass(frozen=True, slots=True)
class CataloguePolicy:
    """One national policy of the catalogue (the fields of ``support.Policy``)."""

    code: str
    name: str
    legal_basis: str
    citation_status: str
    note: str
    agency: str
    agency_kind: str
    eligible: tuple[str, ...]
    escaped_within_years: int | None
    ethnic_minority_only: bool
    area: str
    beneficiary: str
    coverage_basis: str
    period: str
    need: str
    unit_label: str
    default_amount: Decimal | None
    valid_from: dt.date
    valid_to: dt.date | None

    @property
    def rule(self) -> Rule:
        return Rule.of(
            eligible=self.eligible,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            escaped_within_years=self.escaped_within_years,
            ethnic_minority_only=self.ethnic_minority_only,
            area=self.area,
        )

    @property
    def legal_text(self) -> str:
        """The legal basis as stored on the policy: the citation, then the conditions left to the agency."""
        return f"{self.legal_basis}\n\n{self.note}" if self.note else self.legal_basis


def rule_problems(
    *,
    eligible: Sequence[str],
    escaped_within_years: int | None,
    area: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
) -> dict[str, tuple[str, str]]:
    """What is wrong with an eligibility rule, by field: (Vietnamese, English). Shared by the catalogue
    check and the policy service, so the same rule holds for national and unit policies."""
    problems: dict[str, tuple[str, str]] = {}
    unknown = [value for value in eligible if value not in ELIGIBLE_VALUES]
    if not eligible:
        problems["eligible"] = ("Hãy chọn ít nhất một diện được hưởng.", "choose at least one eligible class")
    elif unknown:
        problems["eligible"] = (
            f"Diện không hợp lệ: {', '.join(unknown)}.",
            f"unknown eligible values {unknown}",
        )
    if NEWLY_ESCAPED in eligible and not escaped_within_years:
        problems["escaped_within_years"] = (
            "Chính sách cho hộ mới thoát nghèo phải ghi số năm kể từ khi thoát nghèo (ví dụ 3).",
            "newly_escaped needs escaped_within_years",
        )
    if escaped_within_years is not None and not 1 <= escaped_within_years <= 10:
        problems["escaped_within_years"] = (
            "Số năm mới thoát nghèo phải từ 1 đến 10.",
            "escaped_within_years must be 1-10",
        )
    if area not in ("", *AREAS):
        problems["area"] = ("Khu vực không hợp lệ.", f"unknown area {area!r}")
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        problems["valid_to"] = (
            "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
            "valid_to is before valid_from",
        )
    return problems


def _text(raw: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise CatalogueError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _choice(raw: Mapping[str, Any], key: str, where: str, allowed: Sequence[str]) -> str:
    value = _text(raw, key, where)
    if value not in allowed:
        raise CatalogueError(f"{where}: '{key}' = {value!r} is not one of {list(allowed)}")
    return value


def _date(raw: Mapping[str, Any], key: str, where: str, *, required: bool) -> dt.date | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise CatalogueError(f"{where}: '{key}' must be a date (YYYY-MM-DD)")
    return value


def _policy(raw: Mapping[str, Any], index: int, needs: Sequence[str]) -> CataloguePolicy:
    where = f"policy #{index + 1} ({raw.get('code', '?')})"
    eligible = raw.get("eligible", [])
    if not isinstance(eligible, list) or not all(isinstance(v, str) for v in eligible):
        raise CatalogueError(f"{where}: 'eligible' must be a list of strings")
    years = raw.get("escaped_within_years")
    if years is not None and (not isinstance(years, int) or isinstance(years, bool)):
        raise CatalogueError(f"{where}: 'escaped_within_years' must be an integer")
    amount = raw.get("default_amount")
    if amount is not None and (not isinstance(amount, int | float) or isinstance(amount, bool) or amount < 0):
        raise CatalogueError(f"{where}: 'default_amount' must be a non-negative number")
    ethnic = raw.get("ethnic_minority_only", False)
    if not isinstance(ethnic, bool):
        raise CatalogueError(f"{where}: 'ethnic_minority_only' must be true or false")
    need = _text(raw, "need", where, required=False)
    if need and need not in needs:
        raise CatalogueError(f"{where}: 'need' = {need!r} is not a support need of the review procedure")
    valid_from = _date(raw, "valid_from", where, required=True)
    assert valid_from is not None
    valid_to = _date(raw, "valid_to", where, required=False)
    area = _text(raw, "area", where, required=False)
    problems = rule_problems(
        eligible=eligible, escaped_within_years=years, area=area, valid_from=valid_from, valid_to=valid_to
    )
    if problems:
        raise CatalogueError(f"{where}: " + "; ".join(en for _, en in problems.values()))
    return CataloguePolicy(
        code=_text(raw, "code", where),
        name=_text(raw, "name", where),
        legal_basis=_text(raw, "legal_basis", where),
        citation_status=_choice(raw, "citation_status", where, STATUSES),
        note=_text(raw, "note", where, required=False),
        agency=_text(raw, "agency", where),
        agency_kind=_text(raw, "agency_kind", where, required=False),
        eligible=tuple(eligible),
        escaped_within_years=years,
        ethnic_minority_only=ethnic,
        area=area,
        beneficiary=_choice(raw, "beneficiary", where, BENEFICIARIES),
        coverage_basis=_choice(raw, "coverage_basis", where, COVERAGE_BASES),
        period=_choice(raw, "period", where, PERIODS),
        need=need,
        unit_label=_text(raw, "unit_label", where),
        default_amount=Decimal(str(amount)) if amount is not None else None,
        valid_from=valid_from,
        valid_to=valid_to,
    )


def parse_catalogue(raw: Mapping[str, Any]) -> tuple[CataloguePolicy, ...]:
    """The checked policies of a parsed catalogue file; raises :class:`CatalogueError`."""
    items = raw.get("policy", [])
    if not isinstance(items, list) or not items:
        raise CatalogueError("the catalogue has no [[policy]] entries")
    needs = procedure().support_needs.ids
    policies = tuple(_policy(item, i, needs) for i, item in enumerate(items))
    codes = [policy.code for policy in policies]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise CatalogueError(f"repeated policy codes: {repeated}")
    return policies


@cache
def catalogue() -> tuple[CataloguePolicy, ...]:
    """The national policies of ``data/policies.toml``, checked (read once)."""
    with DATA_FILE.open("rb") as handle:
        return parse_catalogue(tomllib.load(handle))
