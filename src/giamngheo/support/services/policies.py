"""The policy catalogue (danh mục chính sách hỗ trợ): load the national policies, add or change a policy.

Every write is validated, done in a transaction and audited (``SupportAuditAction.POLICY_SAVED``). National
policies (no unit) come from ``support/data/policies.toml`` (:func:`policies_load`) and are changed by
system administrators; a province adds its own (``unit``: the province or one of its communes).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import AdminUnit
from giamngheo.planning.models import Agency
from giamngheo.review.procedure import STATUSES, procedure
from giamngheo.support.catalogue import CataloguePolicy, catalogue, rule_problems
from giamngheo.support.eligibility import ELIGIBLE_VALUES, NEWLY_ESCAPED
from giamngheo.support.models import Beneficiary, CoverageBasis, Policy, SupportAuditAction, SupportPeriod
from giamngheo.support.permissions import policy_edit_refusal

__all__ = ["LoadResult", "PolicyInput", "policies_load", "policy_save", "policy_snapshot"]

log = logging.getLogger(__name__)

SNAPSHOT_FIELDS: Final = (
    "code",
    "name",
    "legal_basis",
    "citation_status",
    "agency_text",
    "province_code",
    "beneficiary",
    "eligible",
    "escaped_within_years",
    "ethnic_minority_only",
    "area",
    "need",
    "coverage_basis",
    "period",
    "unit_label",
    "default_amount",
    "valid_from",
    "valid_to",
    "active",
)


def policy_snapshot(policy: Policy) -> dict[str, Any]:
    """The policy's fields for the audit log (ids for the agency and unit)."""
    values: dict[str, Any] = {name: getattr(policy, name) for name in SNAPSHOT_FIELDS}
    values["agency"] = policy.agency_id
    values["unit"] = policy.unit_id
    return values


# --- loading the national catalogue -------------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    """What :func:`policies_load` did: codes created, updated, left as they were, and skipped (the code is
    taken by a unit's own policy)."""

    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()


def _catalogue_values(entry: CataloguePolicy) -> dict[str, Any]:
    return {
        "name": entry.name,
        "legal_basis": entry.legal_text,
        "citation_status": entry.citation_status,
        "agency_text": entry.agency,
        "beneficiary": entry.beneficiary,
        "eligible": list(entry.eligible),
        "escaped_within_years": entry.escaped_within_years,
        "ethnic_minority_only": entry.ethnic_minority_only,
        "area": entry.area,
        "need": entry.need,
        "coverage_basis": entry.coverage_basis,
        "period": entry.period,
        "unit_label": entry.unit_label,
        "default_amount": entry.default_amount,
        "valid_from": entry.valid_from,
        "valid_to": entry.valid_to,
    }


@transaction.atomic
def policies_load(
    *, actor: User | None, update: bool = False, entries: Sequence[CataloguePolicy] | None = None
) -> LoadResult:
    """Write the national policies of the catalogue (``catalogue()``, or ``entries``) to the database, by
    code: a missing one is created; an existing national one is left as it is (an administrator may have
    corrected it on the policy page) unless ``update``, which puts the catalogue's values back. Running
    it twice changes nothing. Audited per policy written.

    Not ``durable``: the demo loader runs it inside its own transaction."""
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    skipped: list[str] = []
    chosen = catalogue() if entries is None else entries
    existing = {policy.code: policy for policy in Policy.objects.filter(code__in=[e.code for e in chosen])}
    for entry in chosen:
        values = _catalogue_values(entry)
        policy = existing.get(entry.code)
        if policy is None:
            policy = Policy(code=entry.code, unit=None, province_code="", active=True, **values)
            policy.full_clean()
            policy.save()
            audit_record(
                actor=actor,
                action=SupportAuditAction.POLICY_SAVED,
                target=policy,
                after=policy_snapshot(policy),
            )
            created.append(entry.code)
            continue
        if policy.unit_id is not None:
            log.warning(
                "policy code taken by a unit policy, catalogue entry skipped", extra={"code": entry.code}
            )
            skipped.append(entry.code)
            continue
        changed = {name: value for name, value in values.items() if getattr(policy, name) != value}
        if not update or not changed:
            unchanged.append(entry.code)
            continue
        before = policy_snapshot(policy)
        for name, value in changed.items():
            setattr(policy, name, value)
        policy.full_clean()
        policy.save()
        audit_record(
            actor=actor,
            action=SupportAuditAction.POLICY_SAVED,
            target=policy,
            before=before,
            after=policy_snapshot(policy),
        )
        updated.append(entry.code)
    return LoadResult(tuple(created), tuple(updated), tuple(unchanged), tuple(skipped))


# --- adding and changing a policy ---------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyInput:
    """What the policy form sends (the fields of ``support.Policy``)."""

    name: str
    legal_basis: str
    beneficiary: str
    eligible: Sequence[str]
    coverage_basis: str
    period: str
    valid_from: dt.date
    code: str = ""
    citation_status: str = "best_reading"
    unit: AdminUnit | None = None
    agency: Agency | None = None
    agency_text: str = ""
    escaped_within_years: int | None = None
    ethnic_minority_only: bool = False
    area: str = ""
    need: str = ""
    unit_label: str = "lần"
    default_amount: Decimal | None = None
    valid_to: dt.date | None = None
    active: bool = True


def _problems(data: PolicyInput) -> dict[str, str]:
    errors = {
        name: vi
        for name, (vi, _en) in rule_problems(
            eligible=list(data.eligible),
            escaped_within_years=data.escaped_within_years,
            area=data.area,
            valid_from=data.valid_from,
            valid_to=data.valid_to,
        ).items()
    }
    if not data.name.strip():
        errors["name"] = _("Hãy nhập tên chính sách.")
    if not data.legal_basis.strip():
        errors["legal_basis"] = _("Hãy ghi căn cứ pháp lý (văn bản, điều, khoản).")
    if data.citation_status not in STATUSES:
        errors["citation_status"] = _("Mức xác minh không hợp lệ.")
    if data.beneficiary not in Beneficiary.values:
        errors["beneficiary"] = _("Đối tượng nhận không hợp lệ.")
    if data.coverage_basis not in CoverageBasis.values:
        errors["coverage_basis"] = _("Cách tính độ bao phủ không hợp lệ.")
    if data.period not in SupportPeriod.values:
        errors["period"] = _("Tần suất không hợp lệ.")
    if data.need and data.need not in procedure().support_needs.ids:
        errors["need"] = _("Nhu cầu hỗ trợ không có trong danh mục của quy trình rà soát.")
    if data.default_amount is not None and data.default_amount < 0:
        errors["default_amount"] = _("Mức hỗ trợ không được âm.")
    if (
        data.agency is not None
        and data.unit is not None
        and data.agency.province_code != data.unit.province_code
    ):
        errors["agency"] = _("Cơ quan phụ trách phải thuộc tỉnh của đơn vị ban hành.")
    return errors


@transaction.atomic(durable=True)
def policy_save(*, actor: User | None, data: PolicyInput, policy: Policy | None = None) -> Policy:
    """Add a policy (``policy`` ``None``) or change one. National policies: system administrators; a
    unit's policies: the province officers of its province (``permissions.policy_edit_refusal``). The
    code is chosen once (from the name when left empty) and never changes. Audited ``POLICY_SAVED``."""
    units = [data.unit] if policy is None else [policy.unit, data.unit]
    for unit in units:
        refusal = policy_edit_refusal(actor, unit)
        if refusal is not None:
            raise PermissionDenied(refusal)
    errors = _problems(data)
    code = data.code.strip() or slugify(data.name)[:64]
    if policy is None:
        if not code:
            errors["code"] = _("Hãy nhập mã chính sách (chữ không dấu, số, dấu gạch ngang).")
        elif Policy.objects.filter(code=code).exists():
            errors["code"] = _("Mã chính sách {code} đã có; hãy chọn mã khác.").format(code=code)
    elif data.code.strip() and data.code.strip() != policy.code:
        errors["code"] = _("Không đổi được mã của chính sách đã có.")
    if errors:
        raise ValidationError(errors)
    before = policy_snapshot(policy) if policy is not None else None
    target = policy if policy is not None else Policy(code=code)
    target.name = data.name.strip()
    target.legal_basis = data.legal_basis.strip()
    target.citation_status = data.citation_status
    target.unit = data.unit
    target.province_code = data.unit.province_code if data.unit is not None else ""
    target.agency = data.agency
    target.agency_text = data.agency_text.strip() or (data.agency.name if data.agency is not None else "")
    target.beneficiary = data.beneficiary
    target.eligible = [value for value in ELIGIBLE_VALUES if value in data.eligible]
    target.escaped_within_years = data.escaped_within_years if NEWLY_ESCAPED in data.eligible else None
    target.ethnic_minority_only = data.ethnic_minority_only
    target.area = data.area
    target.need = data.need
    target.coverage_basis = data.coverage_basis
    target.period = data.period
    target.unit_label = data.unit_label.strip() or "lần"
    target.default_amount = data.default_amount
    target.valid_from = data.valid_from
    target.valid_to = data.valid_to
    target.active = data.active
    target.full_clean()
    target.save()
    after = policy_snapshot(target)
    if before == after:
        return target
    audit_record(
        actor=actor, action=SupportAuditAction.POLICY_SAVED, target=target, before=before, after=after
    )
    return target
