"""Households (hộ gia đình): create, update with optimistic locking, choose a head, record a move out."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamngheo.accounts.models import User
from giamngheo.accounts.permissions import ensure_can_edit
from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import AdminUnit, Village
from giamngheo.registry.models import (
    EventKind,
    Household,
    HouseholdStatus,
    Member,
    MemberStatus,
    RegistryAuditAction,
)
from giamngheo.registry.services.common import (
    bump_version,
    ensure_active,
    event_record,
    household_snapshot,
    locked,
)

STALE_VERSION_MESSAGE = gettext_lazy("Hộ này vừa được người khác cập nhật; vui lòng tải lại trang.")

# What ``household_update`` may change. Code, commune and province stay (moving a household to
# another commune will be its own service, with its own event).
HOUSEHOLD_UPDATABLE_FIELDS = frozenset(
    {
        "village",
        "address",
        "area",
        "phone",
        "ethnic_minority",
        "meritorious_family",
        "social_protection",
        "no_labour_capacity",
        "head",
        "status",
    }
)


def _default_area(commune: AdminUnit, area: str | None) -> str:
    if area:
        return area
    if commune.default_area:
        return str(commune.default_area)
    raise ValidationError(
        {
            "area": _(
                "{name} chưa có khu vực mặc định (thành thị/nông thôn); hãy chọn khu vực cho hộ."
            ).format(name=commune.name)
        }
    )


@transaction.atomic(durable=True)
def household_create(
    *,
    commune: AdminUnit,
    code: str,
    actor: User | None,
    village: Village | None = None,
    address: str = "",
    area: str | None = None,
    phone: str = "",
    ethnic_minority: bool = False,
    meritorious_family: bool = False,
    social_protection: bool = False,
    no_labour_capacity: bool = False,
    note: str = "",
) -> Household:
    """Open a household (lập hộ) in a 2025 commune, optionally in one of its villages.

    The actor must be allowed to edit the village (or the commune when there is none). ``area``
    defaults to the commune's ``default_area``; a special zone (đặc khu) has none, so it must be given.
    The head (chủ hộ) is set later, with ``member_add(is_head=True)``.
    """
    ensure_can_edit(actor, village if village is not None else commune)
    household = Household(
        code=code.strip(),
        commune=commune,
        village=village,
        province_code=commune.province_code,
        address=address.strip(),
        area=_default_area(commune, area),
        phone=phone.strip(),
        ethnic_minority=ethnic_minority,
        meritorious_family=meritorious_family,
        social_protection=social_protection,
        no_labour_capacity=no_labour_capacity,
    )
    household.full_clean()
    household.save()
    audit_record(
        actor=actor,
        action=RegistryAuditAction.HOUSEHOLD_CREATED,
        target=household,
        before=None,
        after=household_snapshot(household),
    )
    event_record(kind=EventKind.CREATED, household=household, actor=actor, note=note)
    return household


@transaction.atomic(durable=True)
def household_update(
    *, household: Household, expected_version: int, actor: User | None, **changes: Any
) -> Household:
    """Change a household's details (sửa thông tin hộ), refusing if someone else changed it first.

    ``expected_version`` is the ``version`` the caller's form was built from. The row is locked and,
    if its version moved on, a ``ValidationError`` with code ``"stale"`` says to reload the page.
    Only ``HOUSEHOLD_UPDATABLE_FIELDS`` may change; a change of village is checked against both the
    old and the new village. Returns the refreshed household with its new version.
    """
    unknown = set(changes) - HOUSEHOLD_UPDATABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("Không thể sửa các trường: {fields}.").format(fields=", ".join(sorted(unknown))),
            code="not_updatable",
        )
    current = (
        Household.objects.select_for_update(of=("self",))
        .select_related("commune", "village")
        .get(pk=household.pk)
    )
    ensure_can_edit(actor, current.territory)
    if current.version != expected_version:
        raise ValidationError(STALE_VERSION_MESSAGE, code="stale")
    before = household_snapshot(current)
    for field, value in changes.items():
        setattr(current, field, value)
    if "village" in changes:
        ensure_can_edit(actor, current.territory)
    current.version = expected_version + 1
    current.updated_at = timezone.now()
    current.full_clean()
    current.save()
    after = household_snapshot(current)
    audit_record(
        actor=actor,
        action=RegistryAuditAction.HOUSEHOLD_UPDATED,
        target=current,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )
    event_record(kind=EventKind.UPDATED, household=current, actor=actor)
    return current


@transaction.atomic(durable=True)
def household_set_head(
    *, household: Household, member: Member, actor: User | None, date: datetime.date | None = None
) -> Household:
    """Choose the head (chủ hộ) of an active household among its present members.

    Used when a household has lost its head (death, migration, a move) or the family names another
    one. The old head stays a member. One audit row and one ``head_changed`` event.
    """
    current = locked(household)
    ensure_can_edit(actor, current.territory)
    ensure_active(current)
    if member.household_id != current.pk or member.status != MemberStatus.PRESENT:
        raise ValidationError(
            {"member": _("Chủ hộ phải là nhân khẩu đang ở trong hộ {code}.").format(code=current.code)}
        )
    if current.head_id == member.pk:
        raise ValidationError(
            {"member": _("{name} đã là chủ hộ.").format(name=member.full_name)}, code="unchanged"
        )
    before = {"head": current.head_id}
    Household.objects.filter(pk=current.pk).update(head=member)
    bump_version(current)
    audit_record(
        actor=actor,
        action=RegistryAuditAction.HOUSEHOLD_HEAD_SET,
        target=current,
        before=before,
        after={"head": member.pk},
    )
    event_record(kind=EventKind.HEAD_CHANGED, household=current, member=member, actor=actor, date=date)
    return current


@transaction.atomic(durable=True)
def household_record_moved_out(
    *, household: Household, date: datetime.date, actor: User | None, note: str = ""
) -> Household:
    """Record that the whole household moved out of the commune (hộ chuyển đi) on ``date``.

    The household and its present members get the status ``moved_out``; nothing is deleted, and the
    household keeps its code so that its history can still be read. A deceased member stays deceased.
    """
    current = locked(household)
    ensure_can_edit(actor, current.territory)
    ensure_active(current)
    if date > timezone.localdate():
        raise ValidationError({"date": _("Ngày chuyển đi không thể ở tương lai.")})
    before = household_snapshot(current)
    present = list(current.members.filter(status=MemberStatus.PRESENT).values_list("pk", flat=True))
    Member.objects.filter(pk__in=present).update(status=MemberStatus.MOVED_OUT, updated_at=timezone.now())
    current.status = HouseholdStatus.MOVED_OUT
    current.version += 1
    current.updated_at = timezone.now()
    current.full_clean()
    current.save(update_fields=["status", "version", "updated_at"])
    audit_record(
        actor=actor,
        action=RegistryAuditAction.HOUSEHOLD_MOVED_OUT,
        target=current,
        before={"status": before["status"], "members_present": present},
        after={"status": current.status, "members_present": [], "date": date},
    )
    event_record(kind=EventKind.MOVED_OUT, household=current, actor=actor, date=date, note=note)
    return current
