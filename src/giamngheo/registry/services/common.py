"""Helpers shared by the registry services (run inside their transaction)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.registry.models import EventKind, Household, HouseholdEvent, HouseholdStatus, Member

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def household_snapshot(household: Household) -> dict[str, Any]:
    """The audited fields of a household (JSON-serialisable)."""
    return {
        "code": household.code,
        "commune": household.commune_id,
        "village": household.village_id,
        "address": household.address,
        "area": household.area,
        "phone": household.phone,
        "ethnic_minority": household.ethnic_minority,
        "meritorious_family": household.meritorious_family,
        "social_protection": household.social_protection,
        "no_labour_capacity": household.no_labour_capacity,
        "head": household.head_id,
        "status": household.status,
        "version": household.version,
    }


def member_snapshot(member: Member) -> dict[str, Any]:
    """The audited fields of a member. The citizen ID is personal data but it is what was changed."""
    return {
        "household": member.household_id,
        "full_name": member.full_name,
        "sex": member.sex,
        "date_of_birth": member.date_of_birth,
        "ethnicity": member.ethnicity,
        "citizen_id": member.citizen_id,
        "relation_to_head": member.relation_to_head,
        "status": member.status,
    }


def event_record(
    *,
    kind: EventKind,
    household: Household,
    actor: User | None,
    member: Member | None = None,
    other_household: Household | None = None,
    date: datetime.date | None = None,
    note: str = "",
) -> HouseholdEvent:
    event = HouseholdEvent(
        kind=kind,
        household=household,
        province_code=household.province_code,
        member=member,
        other_household=other_household,
        date=date or timezone.localdate(),
        note=note,
        actor=actor,
    )
    event.full_clean()
    event.save()
    return event


def bump_version(household: Household) -> None:
    """A change to the members changes the household: bump its version (optimistic locking)."""
    Household.objects.filter(pk=household.pk).update(version=F("version") + 1, updated_at=timezone.now())
    household.refresh_from_db(fields=["version", "updated_at", "head", "status"])


def ensure_active(household: Household, message: StrOrPromise | None = None) -> None:
    """Refuse to change a household that was merged, dissolved or moved out (its history stays).

    ``message`` (with ``{code}`` and ``{status}``) says what was refused when "không thể thay đổi" is
    too vague, e.g. adding a member."""
    if household.status != HouseholdStatus.ACTIVE:
        text = message or _("Hộ {code} không còn sinh sống ({status}), không thể thay đổi.")
        raise ValidationError(
            str(text).format(code=household.code, status=household.get_status_display()),
            code="household_inactive",
        )


def locked(household: Household) -> Household:
    """The household re-read with a row lock (``SELECT … FOR UPDATE`` where the database has it)."""
    return (
        Household.objects.select_for_update(of=("self",))
        .select_related("commune", "village", "head")
        .get(pk=household.pk)
    )
