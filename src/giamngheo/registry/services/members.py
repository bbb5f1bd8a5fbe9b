"""Members (nhân khẩu): add, move to another household, record a death or a migration."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.accounts.permissions import ensure_can_edit
from giamngheo.accounts.services import audit_record
from giamngheo.registry.models import (
    EventKind,
    Household,
    HouseholdStatus,
    Member,
    MemberStatus,
    RegistryAuditAction,
)
from giamngheo.registry.services.common import event_record, member_snapshot
from giamngheo.registry.text import fold


def _ensure_active(household: Household) -> None:
    if household.status != HouseholdStatus.ACTIVE:
        raise ValidationError(
            _("Hộ {code} không còn sinh sống ({status}), không thể thêm hoặc chuyển nhân khẩu vào.").format(
                code=household.code, status=household.get_status_display()
            ),
            code="household_inactive",
        )


def _bump(household: Household) -> None:
    """A change to the members changes the household: bump its version (optimistic locking)."""
    Household.objects.filter(pk=household.pk).update(version=F("version") + 1, updated_at=timezone.now())
    household.refresh_from_db(fields=["version", "updated_at", "head"])


@transaction.atomic(durable=True)
def member_add(
    *,
    household: Household,
    full_name: str,
    sex: str,
    actor: User | None,
    date_of_birth: datetime.date | None = None,
    ethnicity: str = "",
    citizen_id: str | None = None,
    relation_to_head: str = "",
    is_head: bool = False,
    date: datetime.date | None = None,
) -> Member:
    """Add a member (thêm nhân khẩu) to an active household; ``is_head`` makes them its head (chủ hộ).

    The citizen ID is checked (Circular 59/2021/TT-BCA, art. 7) but a duplicate is not refused here:
    ``selectors.citizen_id_duplicates`` warns the officer before they save.
    """
    ensure_can_edit(actor, household.territory)
    _ensure_active(household)
    name = " ".join(full_name.split())
    member = Member(
        household=household,
        province_code=household.province_code,
        full_name=name,
        full_name_search=fold(name),
        sex=sex,
        date_of_birth=date_of_birth,
        ethnicity=ethnicity,
        citizen_id=(citizen_id or "").strip() or None,
        relation_to_head=relation_to_head.strip(),
    )
    member.full_clean()
    member.save()
    if is_head:
        Household.objects.filter(pk=household.pk).update(head=member)
    _bump(household)
    audit_record(
        actor=actor,
        action=RegistryAuditAction.MEMBER_ADDED,
        target=member,
        before=None,
        after={**member_snapshot(member), "is_head": is_head},
    )
    event_record(kind=EventKind.MEMBER_ADDED, household=household, member=member, actor=actor, date=date)
    return member


@transaction.atomic(durable=True)
def member_move(
    *,
    member: Member,
    to_household: Household,
    actor: User | None,
    relation_to_head: str = "",
    date: datetime.date | None = None,
    note: str = "",
) -> Member:
    """Move a present member to another active household (chuyển nhân khẩu sang hộ khác).

    The actor must be allowed to edit both households. If the member headed the old household, that
    household is left without a head until one is chosen. One event on each household.
    """
    from_household = member.household
    ensure_can_edit(actor, from_household.territory)
    ensure_can_edit(actor, to_household.territory)
    if to_household.pk == from_household.pk:
        raise ValidationError(_("Nhân khẩu đã ở trong hộ {code}.").format(code=to_household.code))
    if member.status != MemberStatus.PRESENT:
        raise ValidationError(
            _("Chỉ chuyển được nhân khẩu đang ở trong hộ ({name}: {status}).").format(
                name=member.full_name, status=member.get_status_display()
            )
        )
    _ensure_active(to_household)
    before = member_snapshot(member)
    Household.objects.filter(pk=from_household.pk, head=member).update(head=None)
    member.household = to_household
    member.province_code = to_household.province_code
    member.relation_to_head = relation_to_head.strip()
    member.updated_at = timezone.now()
    member.full_clean()
    member.save()
    _bump(from_household)
    _bump(to_household)
    audit_record(
        actor=actor,
        action=RegistryAuditAction.MEMBER_MOVED,
        target=member,
        before=before,
        after=member_snapshot(member),
    )
    for household, other in ((from_household, to_household), (to_household, from_household)):
        event_record(
            kind=EventKind.MEMBER_MOVED,
            household=household,
            member=member,
            other_household=other,
            actor=actor,
            date=date,
            note=note,
        )
    return member


@transaction.atomic(durable=True)
def member_record_death(*, member: Member, date: datetime.date, actor: User | None, note: str = "") -> Member:
    """Record that a member died (ghi nhận nhân khẩu qua đời) on ``date``.

    The member stays in the household with status ``deceased`` (history is kept); if they were the
    head, the household is left without a head until one is chosen.
    """
    household = member.household
    ensure_can_edit(actor, household.territory)
    if member.status == MemberStatus.DECEASED:
        raise ValidationError(_("Đã ghi nhận {name} qua đời.").format(name=member.full_name))
    if date > timezone.localdate():
        raise ValidationError({"date": _("Ngày mất không thể ở tương lai.")})
    if member.date_of_birth is not None and date < member.date_of_birth:
        raise ValidationError({"date": _("Ngày mất không thể trước ngày sinh.")})
    before = member_snapshot(member)
    Household.objects.filter(pk=household.pk, head=member).update(head=None)
    member.status = MemberStatus.DECEASED
    member.updated_at = timezone.now()
    member.full_clean()
    member.save()
    _bump(household)
    audit_record(
        actor=actor,
        action=RegistryAuditAction.MEMBER_DIED,
        target=member,
        before=before,
        after={**member_snapshot(member), "date_of_death": date},
    )
    event_record(
        kind=EventKind.MEMBER_DIED, household=household, member=member, actor=actor, date=date, note=note
    )
    return member


@transaction.atomic(durable=True)
def member_record_migration(
    *,
    member: Member,
    date: datetime.date,
    actor: User | None,
    destination: str = "",
    note: str = "",
) -> Member:
    """Record that a member moved away (nhân khẩu di cư / chuyển đi) on ``date``, to ``destination``.

    For a member leaving the commune (work, study, marriage elsewhere). The member stays in the
    household with status ``moved_out`` (history is kept); if they were the head, the household is
    left without a head until one is chosen. To move someone to another household of the registry use
    ``member_move`` instead.
    """
    household = member.household
    ensure_can_edit(actor, household.territory)
    _ensure_active(household)
    if member.status != MemberStatus.PRESENT:
        raise ValidationError(
            _("Chỉ ghi nhận di cư cho nhân khẩu đang ở trong hộ ({name}: {status}).").format(
                name=member.full_name, status=member.get_status_display()
            )
        )
    if date > timezone.localdate():
        raise ValidationError({"date": _("Ngày chuyển đi không thể ở tương lai.")})
    if member.date_of_birth is not None and date < member.date_of_birth:
        raise ValidationError({"date": _("Ngày chuyển đi không thể trước ngày sinh.")})
    before = member_snapshot(member)
    Household.objects.filter(pk=household.pk, head=member).update(head=None)
    member.status = MemberStatus.MOVED_OUT
    member.updated_at = timezone.now()
    member.full_clean()
    member.save()
    _bump(household)
    place = " ".join(destination.split())
    audit_record(
        actor=actor,
        action=RegistryAuditAction.MEMBER_MIGRATED,
        target=member,
        before=before,
        after={**member_snapshot(member), "date_moved_out": date, "destination": place},
    )
    text = "\n".join(part for part in (place, note.strip()) if part)
    event_record(
        kind=EventKind.MEMBER_MIGRATED, household=household, member=member, actor=actor, date=date, note=text
    )
    return member
