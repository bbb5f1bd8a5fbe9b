"""Members (nhân khẩu): add, correct their details, move to another household, record a death or a
migration."""

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
from giamngheo.registry.birth_date import birth_date_problem
from giamngheo.registry.models import (
    EventKind,
    Household,
    Member,
    MemberStatus,
    RegistryAuditAction,
)
from giamngheo.registry.services.common import (
    bump_version,
    ensure_active,
    event_record,
    locked,
    member_snapshot,
)
from giamngheo.registry.text import fold

# What ``member_update`` may change. Household and status change through their own services (move,
# death, migration), each with its own event.
MEMBER_UPDATABLE_FIELDS = frozenset(
    {"full_name", "sex", "date_of_birth", "ethnicity", "citizen_id", "relation_to_head"}
)

STALE_MEMBER_MESSAGE = gettext_lazy(
    "Nhân khẩu này hoặc hộ của họ vừa được người khác cập nhật; vui lòng kiểm tra lại."
)


INTO_INACTIVE_MESSAGE = gettext_lazy(
    "Hộ {code} không còn sinh sống ({status}), không thể thêm hoặc chuyển nhân khẩu vào."
)


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
    ensure_active(household, INTO_INACTIVE_MESSAGE)
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
    bump_version(household)
    audit_record(
        actor=actor,
        action=RegistryAuditAction.MEMBER_ADDED,
        target=member,
        before=None,
        after={**member_snapshot(member), "is_head": is_head},
    )
    event_record(kind=EventKind.MEMBER_ADDED, household=household, member=member, actor=actor, date=date)
    return member


def _member_values(changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` tidied as ``member_add`` tidies them (spaces, empty citizen ID → ``None``)."""
    values = dict(changes)
    if "full_name" in values:
        name = " ".join(str(values["full_name"] or "").split())
        if not name:
            raise ValidationError({"full_name": _("Hãy nhập họ và tên.")}, code="required")
        values["full_name"] = name
    if "citizen_id" in values:
        values["citizen_id"] = "".join(str(values["citizen_id"] or "").split()) or None
    if "relation_to_head" in values:
        values["relation_to_head"] = str(values["relation_to_head"] or "").strip()
    if "ethnicity" in values:
        values["ethnicity"] = values["ethnicity"] or ""
    if "date_of_birth" in values:
        problem = birth_date_problem(values["date_of_birth"], timezone.localdate())
        if problem is not None:
            code, message = problem
            raise ValidationError({"date_of_birth": message}, code=code)
    return values


@transaction.atomic(durable=True)
def member_update(
    *, member: Member, actor: User | None, expected_version: int | None = None, **changes: Any
) -> Member:
    """Correct a member's details (sửa thông tin nhân khẩu): full name, sex, date of birth, ethnicity,
    citizen ID and relation to the head (``MEMBER_UPDATABLE_FIELDS``).

    The actor must be allowed to edit the household's village (or commune), and the household must be
    active. Members have no version of their own: every change to a member bumps its household's
    ``version`` (as ``member_add`` does), so ``expected_version`` is the household version the caller's
    form was built from. If it moved on, or the member was moved to another household since
    ``member`` was read, a ``ValidationError`` with code ``"stale"`` is raised and nothing is written.

    The checks of ``member_add`` apply: the name is required (spaces collapsed, ``full_name_search``
    folded again), a date of birth is neither in the future nor more than 130 years ago, and a citizen
    ID must have the right form and agree with sex and year of birth (Circular 59/2021/TT-BCA, art. 7).
    A citizen ID already recorded elsewhere is not refused (``selectors.citizen_id_duplicates`` flags
    it). If nothing changes, nothing is written. Otherwise one audit row (``member.updated``, only the
    changed fields before and after) and one ``member_updated`` household event.
    """
    unknown = set(changes) - MEMBER_UPDATABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("Không thể sửa các trường: {fields}.").format(fields=", ".join(sorted(unknown))),
            code="not_updatable",
        )
    household = locked(Household(pk=member.household_id))
    ensure_can_edit(actor, household.territory)
    current = Member.objects.select_for_update(of=("self",)).get(pk=member.pk)
    if current.household_id != household.pk or (
        expected_version is not None and household.version != expected_version
    ):
        raise ValidationError(STALE_MEMBER_MESSAGE, code="stale")
    ensure_active(household)
    values = _member_values(changes)
    before = member_snapshot(current)
    for field, value in values.items():
        setattr(current, field, value)
    current.full_name_search = fold(current.full_name)
    current.full_clean()
    after = member_snapshot(current)
    if after == before:
        return current
    current.updated_at = timezone.now()
    current.save()
    bump_version(household)
    audit_record(
        actor=actor,
        action=RegistryAuditAction.MEMBER_UPDATED,
        target=current,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )
    event_record(kind=EventKind.MEMBER_UPDATED, household=household, member=current, actor=actor)
    return current


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
    ensure_active(to_household, INTO_INACTIVE_MESSAGE)
    before = member_snapshot(member)
    Household.objects.filter(pk=from_household.pk, head=member).update(head=None)
    member.household = to_household
    member.province_code = to_household.province_code
    member.relation_to_head = relation_to_head.strip()
    member.updated_at = timezone.now()
    member.full_clean()
    member.save()
    bump_version(from_household)
    bump_version(to_household)
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
    bump_version(household)
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
    ensure_active(household)
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
    bump_version(household)
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
