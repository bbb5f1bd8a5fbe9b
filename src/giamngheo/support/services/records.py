"""Support records (ghi nhận hỗ trợ đã thực hiện): record one, check one before saving, cancel one.

Eligibility is computed, never typed: the household's class in the approved round in force on the day of
the support (``support.history`` + ``support.eligibility``), stored with the record as a snapshot (class,
round, eligible). A duplicate is a record, not cancelled, of the same policy for the same household (and
the same member, for a member policy) in the same period (``period_key``: ``once``, ``2026``,
``2026-03``; a policy given any number of times gets a unique key and is never a duplicate).

Ineligible or duplicate support is refused with a ``ValidationError`` that says why (which class on which
date from which round; which earlier record), unless a supervisor (``permissions.supervisor_refusal``)
gives a written reason: then it is saved with ``override_reason`` / ``override_by`` and a
``SUPPORT_OVERRIDDEN`` audit row next to the ``SUPPORT_RECORDED`` one. A reason given when nothing needs
overriding is not stored. A policy not in force on the day, an inactive policy or a member who is not in
the household are errors in the data, never overridden.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import Level
from giamngheo.planning.models import Agency
from giamngheo.planning.selectors import agencies_of
from giamngheo.registry.models import Household, Member
from giamngheo.support.eligibility import Decision, Facts, HistoryEntry, Rule, eligibility
from giamngheo.support.history import class_history
from giamngheo.support.models import Beneficiary, Policy, SupportAuditAction, SupportPeriod, SupportRecord
from giamngheo.support.permissions import ensure_can_record, record_refusal, supervisor_refusal

__all__ = [
    "MIN_REASON_LENGTH",
    "SupportCheck",
    "period_key",
    "period_label",
    "policy_rule",
    "record_snapshot",
    "recording_agency",
    "support_cancel",
    "support_check",
    "support_record",
]

MIN_REASON_LENGTH: Final = 10
FOREIGN_KEYS: Final = [
    "policy",
    "household",
    "member",
    "commune",
    "village",
    "agency",
    "review_round",
    "override_by",
    "recorded_by",
    "batch",
]


def policy_rule(policy: Policy) -> Rule:
    """The eligibility rule of a policy (``support.eligibility.Rule``)."""
    return Rule.of(
        eligible=policy.eligible,
        valid_from=policy.valid_from,
        valid_to=policy.valid_to,
        escaped_within_years=policy.escaped_within_years,
        ethnic_minority_only=policy.ethnic_minority_only,
        area=policy.area,
    )


def period_key(period: str, day: dt.date) -> str:
    """The duplicate period of support given on ``day``: ``once``, ``2026``, ``2026-03``, or a unique key
    (``any-…``) for a policy that may be given any number of times."""
    if period == SupportPeriod.ONCE:
        return "once"
    if period == SupportPeriod.YEARLY:
        return f"{day.year:04d}"
    if period == SupportPeriod.MONTHLY:
        return f"{day.year:04d}-{day.month:02d}"
    return f"any-{uuid.uuid4().hex[:12]}"


def period_label(key: str) -> str:
    """The period in words: "một lần", "năm 2026", "tháng 03/2026", "" for a unique key."""
    if key == "once":
        return _("một lần (chính sách chỉ hỗ trợ một lần)")
    if len(key) == 4 and key.isdigit():
        return _("năm {year}").format(year=key)
    if len(key) == 7 and key[4] == "-":
        return _("tháng {month}/{year}").format(month=key[5:], year=key[:4])
    return ""


def reason_text(decision: Decision) -> str:
    """The decision's reason in the current language."""
    return decision.reason_en if (translation.get_language() or "vi").startswith("en") else decision.reason_vi


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class SupportCheck:
    """What recording this support would meet: the eligibility decision, the period, and an earlier
    record of the same policy, beneficiary and period (a duplicate), if any."""

    decision: Decision
    period_key: str
    duplicate: SupportRecord | None
    ineligible_message: str = ""
    duplicate_message: str = ""

    @property
    def refused(self) -> bool:
        return not self.decision.eligible or self.duplicate is not None

    @property
    def overridable(self) -> bool:
        """A supervisor may record it anyway (with a reason): refused, but not for a policy out of force."""
        return self.refused and self.decision.code != "not_in_force"

    @property
    def errors(self) -> list[ValidationError]:
        found = []
        if self.ineligible_message:
            found.append(ValidationError(self.ineligible_message, code="ineligible"))
        if self.duplicate_message:
            found.append(ValidationError(self.duplicate_message, code="duplicate"))
        return found


def _who(household: Household, member: Member | None) -> str:
    if member is not None:
        return _("{name} (hộ {code})").format(name=member.full_name, code=household.code)
    return _("Hộ {code}").format(code=household.code)


def duplicate_message(
    record: SupportRecord, *, policy: Policy, household: Household, member: Member | None
) -> str:
    period = period_label(record.period_key)
    reference = _(", số chứng từ {reference}").format(reference=record.reference) if record.reference else ""
    return _(
        "Trùng: {who} đã nhận “{policy}” trong kỳ {period} (ngày {day}{reference}, bản ghi số {pk}). "
        "Mỗi kỳ chỉ ghi một lần."
    ).format(
        who=_who(household, member),
        policy=policy.name,
        period=period,
        day=_date(record.given_on),
        reference=reference,
        pk=record.pk,
    )


def ineligible_message(decision: Decision, *, policy: Policy, household: Household) -> str:
    return _("Hộ {code} không thuộc diện được hưởng “{policy}”. {reason}").format(
        code=household.code, policy=policy.name, reason=reason_text(decision)
    )


def support_check(
    *,
    policy: Policy,
    household: Household,
    member: Member | None,
    given_on: dt.date,
    history: list[HistoryEntry] | None = None,
) -> SupportCheck:
    """Check (read only) whether this support may be recorded: eligibility on ``given_on`` and duplicates.
    The record form shows it live before saving; :func:`support_record` decides with it."""
    decision = eligibility(
        policy_rule(policy),
        class_history(household) if history is None else history,
        Facts(ethnic_minority=household.ethnic_minority, area=household.area),
        given_on,
    )
    key = period_key(policy.period, given_on)
    duplicate = None
    if policy.period != SupportPeriod.ANY:
        earlier = SupportRecord.objects.filter(
            policy=policy, household=household, period_key=key, cancelled_at__isnull=True
        )
        if policy.beneficiary == Beneficiary.MEMBER:
            earlier = earlier.filter(member=member)
        duplicate = earlier.order_by("given_on", "pk").first()
    return SupportCheck(
        decision=decision,
        period_key=key,
        duplicate=duplicate,
        ineligible_message=""
        if decision.eligible
        else ineligible_message(decision, policy=policy, household=household),
        duplicate_message=duplicate_message(duplicate, policy=policy, household=household, member=member)
        if duplicate is not None
        else "",
    )


def data_errors(
    *,
    policy: Policy,
    household: Household,
    member: Member | None,
    given_on: dt.date,
    quantity: Decimal,
    amount: Decimal | None,
    reference: str,
) -> dict[str, str]:
    """Mistakes in what was entered, by field (never overridden). Shared with the Excel upload."""
    errors: dict[str, str] = {}
    if not policy.active:
        errors["policy"] = _("Chính sách “{policy}” không còn áp dụng.").format(policy=policy.name)
    elif policy.unit_id is not None:
        unit = policy.unit
        assert unit is not None
        inside = (
            household.commune_id == unit.pk
            if unit.level == Level.COMMUNE
            else household.province_code == unit.province_code
        )
        if not inside:
            errors["policy"] = _(
                "“{policy}” là chính sách của {unit}; hộ {code} không thuộc địa bàn này."
            ).format(policy=policy.name, unit=unit.name, code=household.code)
    if given_on > timezone.localdate():
        errors["given_on"] = _("Ngày hỗ trợ không được sau hôm nay.")
    if policy.beneficiary == Beneficiary.MEMBER:
        if member is None:
            errors["member"] = _("Chính sách hỗ trợ cho từng người: hãy chọn thành viên của hộ nhận hỗ trợ.")
        elif member.household_id != household.pk:
            errors["member"] = _("{name} không phải thành viên của hộ {code}.").format(
                name=member.full_name, code=household.code
            )
    elif member is not None:
        errors["member"] = _("Chính sách hỗ trợ cho cả hộ: không chọn thành viên.")
    if quantity <= 0:
        errors["quantity"] = _("Số lượng phải lớn hơn 0.")
    if amount is not None and amount < 0:
        errors["amount"] = _("Số tiền không được âm.")
    if amount is not None and amount != amount.to_integral_value():
        errors["amount"] = _("Số tiền tính bằng đồng, không có phần lẻ.")
    if len(reference) > 64:
        errors["reference"] = _("Số chứng từ tối đa 64 ký tự.")
    return errors


def recording_agency(actor: User | None, agency: Agency | None) -> Agency | None:
    """The agency recording the support: an agency viewer records for their agency (chosen, or their
    only one)."""
    if agency is not None or actor is None or actor.role != Role.AGENCY_VIEWER or actor.is_superuser:
        return agency
    mine = list(agencies_of(actor)[:2])
    if len(mine) == 1:
        return mine[0]
    if mine:
        raise ValidationError({"agency": _("Bạn thuộc nhiều cơ quan: hãy chọn cơ quan thực hiện.")})
    return None  # refused by the permission check: no agency at all


def record_snapshot(record: SupportRecord) -> dict[str, Any]:
    """The record's fields for the audit log."""
    return {
        "policy": record.policy_id,
        "household": record.household_id,
        "member": record.member_id,
        "given_on": record.given_on,
        "period_key": record.period_key,
        "quantity": record.quantity,
        "amount": record.amount,
        "reference": record.reference,
        "agency": record.agency_id,
        "review_round": record.review_round_id,
        "klass": record.klass,
        "eligible": record.eligible,
        "override_reason": record.override_reason,
        "batch": record.batch_id,
    }


@transaction.atomic(durable=True)
def support_record(
    *,
    policy: Policy,
    household: Household,
    given_on: dt.date,
    actor: User | None,
    member: Member | None = None,
    quantity: Decimal = Decimal(1),
    amount: Decimal | None = None,
    reference: str = "",
    agency: Agency | None = None,
    override_reason: str = "",
) -> SupportRecord:
    """Record support given to ``household`` (or its ``member``) under ``policy`` on ``given_on``.

    Raises ``PermissionDenied`` (``permissions.record_refusal``) or ``ValidationError`` keyed to the
    fields; refusals of eligibility and duplicates are non-field errors with the codes ``ineligible`` and
    ``duplicate``, so that the form can offer a supervisor the override field. See the module docstring.
    """
    agency = recording_agency(actor, agency)
    ensure_can_record(actor, household, agency=agency)
    # Lock the household: two clerks recording the same support at once cannot both pass the duplicate
    # check (PostgreSQL; SQLite writes one transaction at a time anyway).
    household = Household.objects.select_for_update().get(pk=household.pk)
    reference = reference.strip()
    errors = data_errors(
        policy=policy,
        household=household,
        member=member,
        given_on=given_on,
        quantity=quantity,
        amount=amount,
        reference=reference,
    )
    if errors:
        raise ValidationError(errors)
    check = support_check(policy=policy, household=household, member=member, given_on=given_on)
    reason = " ".join(override_reason.split())
    overridden = False
    if check.refused:
        if not check.overridable:
            raise ValidationError({"given_on": reason_text(check.decision)})
        if not reason:
            raise ValidationError({NON_FIELD_ERRORS: check.errors})
        refusal = supervisor_refusal(actor, household)
        if refusal is not None:
            raise ValidationError({NON_FIELD_ERRORS: check.errors, "override_reason": refusal})
        if len(reason) < MIN_REASON_LENGTH:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: check.errors,
                    "override_reason": _("Hãy ghi rõ lý do cho phép (ít nhất {n} ký tự).").format(
                        n=MIN_REASON_LENGTH
                    ),
                }
            )
        overridden = True
    decision = check.decision
    record = SupportRecord(
        policy=policy,
        household=household,
        member=member,
        province_code=household.province_code,
        commune_id=household.commune_id,
        village_id=household.village_id,
        given_on=given_on,
        period_key=check.period_key,
        quantity=quantity,
        amount=amount,
        reference=reference,
        agency=agency,
        review_round_id=decision.round_id,
        klass=decision.klass,
        eligible=decision.eligible,
        override_reason=reason if overridden else "",
        override_by=actor if overridden else None,
        recorded_by=actor,
    )
    record.full_clean(exclude=FOREIGN_KEYS)  # checked above; full_clean would read each one again
    record.save()
    snapshot = record_snapshot(record)
    audit_record(actor=actor, action=SupportAuditAction.SUPPORT_RECORDED, target=record, after=snapshot)
    if overridden:
        audit_record(
            actor=actor,
            action=SupportAuditAction.SUPPORT_OVERRIDDEN,
            target=record,
            after={
                "override_reason": reason,
                "refusals": [message for error in check.errors for message in error.messages],
                "eligibility": decision.code,
                "klass": decision.klass,
                "review_round": decision.round_id,
                "duplicate_of": check.duplicate.pk if check.duplicate is not None else None,
            },
        )
    return record


def cancel_refusal(actor: User | None, record: SupportRecord) -> str | None:
    """Why ``actor`` may not cancel ``record``: whoever may record for the household may cancel, an agency
    viewer only their agency's records."""
    if (
        actor is not None
        and actor.role == Role.AGENCY_VIEWER
        and not actor.is_superuser
        and record.agency_id is None
    ):
        return _("Bạn chỉ huỷ được bản ghi hỗ trợ do cơ quan của mình thực hiện.")
    return record_refusal(actor, record.household, agency=record.agency)


@transaction.atomic(durable=True)
def support_cancel(*, record: SupportRecord, actor: User | None, reason: str) -> SupportRecord:
    """Cancel (huỷ) a record entered by mistake: it is kept, marked ``cancelled_at``, and no longer counts
    (nor blocks a new record of the period). The reason goes into the ``SUPPORT_CANCELLED`` audit row."""
    refusal = cancel_refusal(actor, record)
    if refusal is not None:
        raise PermissionDenied(refusal)
    locked = SupportRecord.objects.select_for_update().get(pk=record.pk)
    text = " ".join(reason.split())
    if locked.cancelled_at is not None:
        raise ValidationError(
            _("Bản ghi này đã bị huỷ ngày {day}.").format(
                day=_date(timezone.localtime(locked.cancelled_at).date())
            )
        )
    if len(text) < MIN_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("Hãy ghi rõ lý do huỷ (ít nhất {n} ký tự).").format(n=MIN_REASON_LENGTH)}
        )
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["cancelled_at"])
    audit_record(
        actor=actor,
        action=SupportAuditAction.SUPPORT_CANCELLED,
        target=locked,
        before={"cancelled_at": None},
        after={"cancelled_at": locked.cancelled_at, "reason": text},
    )
    return locked
