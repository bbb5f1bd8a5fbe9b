"""The history page of a household (lịch sử thay đổi): audit events turned into readable rows.

Each row says who did what and when, and for each field what it was and what it became, with
Vietnamese labels; ids are replaced by names (village, member) or codes (household) in a few batched
queries. Citizen IDs and dates of birth are hidden from viewers who may not read them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from giamngheo.accounts.models import AuditEvent
from giamngheo.geo.models import AdminUnit, Village
from giamngheo.registry.ethnicity import Ethnicity
from giamngheo.registry.models import (
    Household,
    HouseholdArea,
    HouseholdStatus,
    Member,
    MemberStatus,
    RegistryAuditAction,
    Sex,
)
from giamngheo.registry.permissions import MASK

HIDDEN_FIELDS = frozenset({"version"})
PERSONAL_FIELDS = frozenset({"citizen_id", "date_of_birth"})
DATE_FIELDS = frozenset({"date_of_birth", "date_of_death", "date_moved_out", "date"})
HOUSEHOLD_ID_FIELDS = frozenset({"household", "new_household", "split_from", "merged_into", "merged_from"})
MEMBER_ID_FIELDS = frozenset({"head"})
MEMBER_LIST_FIELDS = frozenset({"members", "members_present"})
EMPTY = "—"


def _extra_labels() -> dict[str, str]:
    return {
        "is_head": _("là chủ hộ"),
        "date_of_death": _("ngày mất"),
        "date_moved_out": _("ngày chuyển đi"),
        "destination": _("nơi chuyển đến"),
        "members": _("nhân khẩu đang ở"),
        "members_present": _("nhân khẩu đang ở"),
        "new_household": _("hộ mới tách ra"),
        "split_from": _("tách từ hộ"),
        "merged_into": _("nhập vào hộ"),
        "merged_from": _("nhận nhập từ hộ"),
        "date": _("ngày"),
    }


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    when: datetime.datetime
    actor: str
    action: str
    target: str
    changes: list[Change]


class _Names:
    """Names and codes for the ids found in a batch of audit events (one query per kind)."""

    def __init__(self, events: Sequence[AuditEvent]) -> None:
        ids: dict[str, set[int]] = {"commune": set(), "village": set(), "household": set(), "member": set()}
        for event in events:
            if event.target_type == Member._meta.label_lower:
                ids["member"].add(int(event.target_id))
            elif event.target_type == Household._meta.label_lower:
                ids["household"].add(int(event.target_id))
            for values in (event.before or {}, event.after or {}):
                for key, value in values.items():
                    if value in (None, ""):
                        continue
                    if key == "commune":
                        ids["commune"].add(int(value))
                    elif key == "village":
                        ids["village"].add(int(value))
                    elif key in HOUSEHOLD_ID_FIELDS:
                        ids["household"].add(int(value))
                    elif key in MEMBER_ID_FIELDS:
                        ids["member"].add(int(value))
                    elif key in MEMBER_LIST_FIELDS and isinstance(value, list):
                        ids["member"].update(int(v) for v in value)
        self.communes = dict(AdminUnit.objects.filter(pk__in=ids["commune"]).values_list("pk", "name"))
        self.villages = dict(Village.objects.filter(pk__in=ids["village"]).values_list("pk", "name"))
        self.households = dict(Household.objects.filter(pk__in=ids["household"]).values_list("pk", "code"))
        self.members = dict(Member.objects.filter(pk__in=ids["member"]).values_list("pk", "full_name"))


def field_label(key: str, model: type[models.Model], extra: Mapping[str, str]) -> str:
    """The Vietnamese label of an audited field: ``extra`` first (keys that are not model fields, or
    labels better than the field's), else the model field's verbose name, else the key as stored."""
    if key in extra:
        return extra[key]
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:  # an unknown key is shown as it was stored
        return key
    return str(getattr(found, "verbose_name", key))


def _label(key: str, model: type[models.Model]) -> str:
    return field_label(key, model, _extra_labels())


def date_label(value: Any) -> str:
    """A stored date (ISO text or a date) as the page shows dates; anything else as it was stored."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def choice_label(choices: type[models.TextChoices], value: Any) -> str:
    """The label of a stored choice value, or the value itself when the choice is unknown."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _value(key: str, value: Any, *, on_member: bool, names: _Names, personal: bool) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if key in PERSONAL_FIELDS and not personal:
        return MASK
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if key in DATE_FIELDS:
        return date_label(value)
    if key == "area":
        return choice_label(HouseholdArea, value)
    if key == "status":
        return choice_label(MemberStatus if on_member else HouseholdStatus, value)
    if key == "sex":
        return choice_label(Sex, value)
    if key == "ethnicity":
        return choice_label(Ethnicity, value)
    if key == "commune":
        return names.communes.get(int(value), str(value))
    if key == "village":
        return names.villages.get(int(value), str(value))
    if key in HOUSEHOLD_ID_FIELDS:
        return names.households.get(int(value), str(value))
    if key in MEMBER_ID_FIELDS:
        return names.members.get(int(value), str(value))
    if key in MEMBER_LIST_FIELDS and isinstance(value, list):
        return ", ".join(names.members.get(int(v), str(v)) for v in value)
    return str(value)


def _changes(event: AuditEvent, *, names: _Names, personal: bool) -> list[Change]:
    on_member = event.target_type == Member._meta.label_lower
    model: type[models.Model] = Member if on_member else Household
    before = event.before or {}
    after = event.after or {}
    changes = []
    for key in [*before, *(k for k in after if k not in before)]:
        if key in HIDDEN_FIELDS:
            continue
        old, new = before.get(key), after.get(key)
        if old == new or (not event.before and new in (None, "", False, [])):
            continue
        changes.append(
            Change(
                label=_label(key, model),
                before=_value(key, old, on_member=on_member, names=names, personal=personal)
                if event.before
                else "",
                after=_value(key, new, on_member=on_member, names=names, personal=personal),
            )
        )
    return changes


def action_label(actions: type[models.TextChoices], action: str) -> str:
    """The label of an audit action of ``actions``, or the action as stored when it is not one of them."""
    try:
        return str(actions(action).label)
    except ValueError:
        return action


def history_rows(events: Iterable[AuditEvent], *, personal: bool) -> list[HistoryRow]:
    """Readable rows for ``events`` (already scoped and ordered by the selector)."""
    batch = list(events)
    names = _Names(batch)
    rows = []
    for event in batch:
        if event.target_type == Member._meta.label_lower:
            target = _("Nhân khẩu {name}").format(
                name=names.members.get(int(event.target_id), event.target_id)
            )
        else:
            target = _("Hộ {code}").format(code=names.households.get(int(event.target_id), event.target_id))
        rows.append(
            HistoryRow(
                when=event.created_at,
                actor=event.actor.get_full_name() if event.actor is not None else _("Hệ thống"),
                action=action_label(RegistryAuditAction, event.action),
                target=target,
                changes=_changes(event, names=names, personal=personal),
            )
        )
    return rows
