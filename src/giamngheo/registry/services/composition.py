"""Household composition: split a household (tách hộ) and merge one into another (nhập hộ).

Both keep history: members are moved (never copied or deleted), the merged household stays with the
status ``merged``, and each household gets an event naming the other one.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.accounts.permissions import ensure_can_edit
from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import Village
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
    member_snapshot,
)

HEAD_RELATION = "Chủ hộ"


def _move_member(*, member: Member, to: Household, actor: User | None, relation: str | None) -> None:
    """Move one member into ``to`` (inside the caller's transaction), with its own audit row."""
    before = member_snapshot(member)
    member.household = to
    member.province_code = to.province_code
    if relation is not None:
        member.relation_to_head = relation
    member.updated_at = timezone.now()
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        action=RegistryAuditAction.MEMBER_MOVED,
        target=member,
        before=before,
        after=member_snapshot(member),
    )


@transaction.atomic(durable=True)
def household_split(
    *,
    household: Household,
    members: Sequence[Member],
    new_code: str,
    new_head: Member,
    actor: User | None,
    village: Village | None = None,
    address: str = "",
    date: datetime.date | None = None,
    note: str = "",
) -> Household:
    """Split a household (tách hộ): ``members`` leave it to form a new household headed by ``new_head``.

    The new household is in the same commune, in ``village`` (default: the old household's village),
    with the old household's area and flags; the actor must be allowed to edit the old household's
    territory and the new one's. At least one present member must stay. If the old head leaves, the
    old household is left without a head until one is chosen (``household_set_head``). The new head's
    relation becomes “Chủ hộ”; the others keep theirs, to be corrected by the officer.
    Returns the new household.
    """
    source = locked(household)
    target_village = village if village is not None else source.village
    ensure_can_edit(actor, source.territory)
    ensure_can_edit(actor, target_village if target_village is not None else source.commune)
    ensure_active(source)
    chosen = {m.pk: m for m in members}
    if not chosen:
        raise ValidationError({"members": _("Hãy chọn ít nhất một nhân khẩu tách ra hộ mới.")})
    present = {m.pk: m for m in source.members.filter(status=MemberStatus.PRESENT)}
    strangers = [m.full_name for pk, m in chosen.items() if pk not in present]
    if strangers:
        raise ValidationError(
            {
                "members": _("Không phải nhân khẩu đang ở trong hộ {code}: {names}.").format(
                    code=source.code, names=", ".join(strangers)
                )
            }
        )
    if set(chosen) == set(present):
        raise ValidationError(
            {"members": _("Không thể tách tất cả nhân khẩu; phải còn ít nhất một người ở lại hộ cũ.")}
        )
    if new_head.pk not in chosen:
        raise ValidationError({"new_head": _("Chủ hộ mới phải là một trong những người tách ra.")})
    before = {"members": sorted(present), "head": source.head_id}
    new = Household(
        code=new_code.strip(),
        commune=source.commune,
        village=target_village,
        province_code=source.province_code,
        address=address.strip() or source.address,
        area=source.area,
        phone="",
        ethnic_minority=source.ethnic_minority,
        meritorious_family=source.meritorious_family,
        social_protection=source.social_protection,
        no_labour_capacity=source.no_labour_capacity,
    )
    new.full_clean()
    new.save()
    if source.head_id in chosen:
        Household.objects.filter(pk=source.pk).update(head=None)
    for member in chosen.values():
        _move_member(
            member=present[member.pk],
            to=new,
            actor=actor,
            relation=HEAD_RELATION if member.pk == new_head.pk else None,
        )
    Household.objects.filter(pk=new.pk).update(head=new_head.pk)
    new.refresh_from_db()
    bump_version(source)
    audit_record(
        actor=actor,
        action=RegistryAuditAction.HOUSEHOLD_CREATED,
        target=new,
        before=None,
        after={**household_snapshot(new), "split_from": source.pk},
    )
    audit_record(
        actor=actor,
        action=RegistryAuditAction.HOUSEHOLD_SPLIT,
        target=source,
        before=before,
        after={
            "members": sorted(set(present) - set(chosen)),
            "head": source.head_id,
            "new_household": new.pk,
        },
    )
    for one, other in ((source, new), (new, source)):
        event_record(
            kind=EventKind.SPLIT, household=one, other_household=other, actor=actor, date=date, note=note
        )
    return new


@transaction.atomic(durable=True)
def household_merge(
    *,
    household: Household,
    into: Household,
    actor: User | None,
    date: datetime.date | None = None,
    note: str = "",
) -> Household:
    """Merge ``household`` into ``into`` (nhập hộ): its present members join ``into``, whose head stays.

    The merged household keeps its code and history with the status ``merged`` and no head. The actor
    must be allowed to edit both households. Returns the household merged into.
    """
    if household.pk == into.pk:
        raise ValidationError({"into": _("Không thể nhập một hộ vào chính nó.")})
    source = locked(household)
    target = locked(into)
    ensure_can_edit(actor, source.territory)
    ensure_can_edit(actor, target.territory)
    ensure_active(source)
    try:
        ensure_active(target)
    except ValidationError as error:
        raise ValidationError({"into": error.messages}) from None
    present = list(source.members.filter(status=MemberStatus.PRESENT).order_by("pk"))
    before = {"status": source.status, "head": source.head_id, "members": [m.pk for m in present]}
    target_before = sorted(target.members.filter(status=MemberStatus.PRESENT).values_list("pk", flat=True))
    source.head = None
    source.status = HouseholdStatus.MERGED
    source.version += 1
    source.updated_at = timezone.now()
    source.full_clean()
    source.save(update_fields=["head", "status", "version", "updated_at"])
    for member in present:
        _move_member(member=member, to=target, actor=actor, relation=None)
    bump_version(target)
    audit_record(
        actor=actor,
        action=RegistryAuditAction.HOUSEHOLD_MERGED,
        target=source,
        before=before,
        after={"status": source.status, "head": None, "members": [], "merged_into": target.pk},
    )
    audit_record(
        actor=actor,
        action=RegistryAuditAction.HOUSEHOLD_MERGED,
        target=target,
        before={"members": target_before},
        after={"members": sorted([*target_before, *(m.pk for m in present)]), "merged_from": source.pk},
    )
    for one, other in ((source, target), (target, source)):
        event_record(
            kind=EventKind.MERGED, household=one, other_household=other, actor=actor, date=date, note=note
        )
    return target
