"""The history of a review round (lịch sử đợt rà soát): its audit events as readable rows.

The approach of ``registry.history`` (whose ``Change`` and ``HistoryRow`` rows it returns, so that the
two history pages show the same thing): who did what and when, and for each field what it was and what
it became, with Vietnamese labels. Here the events are those of a round and of the objects in it
(listed households, Phiếu A, Phiếu B, classifications, village meetings, the posting, complaints,
approval, report). Phiếu B facts are shown one fact at a time (household facts, then each member's),
Phiếu A one question at a time, and ids become names or codes in a few batched queries. A citizen ID or
a date of birth is never stored in these events; the keys are masked anyway if one ever is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from giamngheo.accounts.models import AuditEvent
from giamngheo.geo.models import AdminUnit, Village
from giamngheo.registry.history import (
    EMPTY,
    Change,
    HistoryRow,
    action_label,
    choice_label,
    date_label,
    field_label,
)
from giamngheo.registry.models import Household, Member
from giamngheo.registry.permissions import MASK
from giamngheo.review.models import (
    ApplicationKind,
    Complaint,
    ComplaintStatus,
    ListReason,
    Posting,
    ReviewAuditAction,
    ReviewRound,
    RoundHousehold,
    RoundKind,
    RoundStatus,
    Survey,
    VillageMeeting,
)
from giamngheo.review.procedure import procedure
from giamngheo.site.standards.presentation import FACTS_BY_NAME, class_name, code_label, fact_label, number

__all__ = ["Change", "HistoryRow", "history_rows", "target_key"]

HIDDEN: Final = frozenset({"version", "round"})
PLAIN: Final = frozenset({"year", "month", "standard_id", "standard_version"})
PERSONAL: Final = frozenset({"citizen_id", "date_of_birth"})
DATES: Final = frozenset(
    {"reference_date", "approved_on", "held_on", "start_date", "end_date", "received_on", "applied_on"}
)
MODELS: Final[dict[str, type[models.Model]]] = {
    m._meta.label_lower: m for m in (ReviewRound, RoundHousehold, Survey, VillageMeeting, Posting, Complaint)
}


def target_key(model: type[models.Model]) -> str:
    """``AuditEvent.target_type`` of ``model``'s rows."""
    return model._meta.label_lower


def _extra_labels() -> dict[str, str]:
    return {
        "commune": _("xã"),
        "kind": _("loại rà soát"),
        "year": _("năm"),
        "month": _("tháng"),
        "listed": _("hộ đưa vào danh sách"),
        "classes": _("số hộ theo phân loại"),
        "household": _("hộ"),
        "village": _("thôn"),
        "created": _("số Phiếu B mới"),
        "updated": _("số Phiếu B sửa"),
        "households": _("số hộ"),
        "decision": _("cách giải quyết"),
        "answers": _("Phiếu A"),
        "passed": _("thông qua"),
    }


@dataclass
class _Names:
    """Names and codes for the ids in a batch of events (one query per kind)."""

    entries: dict[int, str] = field(default_factory=dict)  # round household → household code
    surveys: dict[int, str] = field(default_factory=dict)  # survey → household code
    meetings: dict[int, str] = field(default_factory=dict)  # meeting → village name
    complaints: dict[int, str] = field(default_factory=dict)  # complaint → complainant
    households: dict[int, str] = field(default_factory=dict)
    villages: dict[int, str] = field(default_factory=dict)
    communes: dict[int, str] = field(default_factory=dict)
    members: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, events: Sequence[AuditEvent]) -> _Names:
        ids: dict[str, set[int]] = {
            k: set() for k in ("entry", "survey", "meeting", "complaint", "household", "village", "commune")
        }
        members: set[int] = set()
        kinds = {
            target_key(RoundHousehold): "entry",
            target_key(Survey): "survey",
            target_key(VillageMeeting): "meeting",
            target_key(Complaint): "complaint",
        }
        for event in events:
            if event.target_type in kinds and event.target_id.isdigit():
                ids[kinds[event.target_type]].add(int(event.target_id))
            for values in (event.before or {}, event.after or {}):
                for key, value in values.items():
                    if isinstance(value, int) and not isinstance(value, bool):
                        if key in ("household", "village", "commune"):
                            ids[key].add(value)
                        elif key == "round_household":
                            ids["entry"].add(value)
                    elif key == "member_facts" and isinstance(value, list):
                        members.update(
                            m["member_id"]
                            for m in value
                            if isinstance(m, Mapping) and isinstance(m.get("member_id"), int)
                        )
        names = cls()
        names.entries = dict(
            RoundHousehold.objects.filter(pk__in=ids["entry"]).values_list("pk", "household__code")
        )
        names.surveys = dict(
            Survey.objects.filter(pk__in=ids["survey"]).values_list("pk", "round_household__household__code")
        )
        names.meetings = {
            pk: name or _("Hộ chưa gắn thôn")
            for pk, name in VillageMeeting.objects.filter(pk__in=ids["meeting"]).values_list(
                "pk", "village__name"
            )
        }
        names.complaints = dict(
            Complaint.objects.filter(pk__in=ids["complaint"]).values_list("pk", "complainant")
        )
        names.households = dict(Household.objects.filter(pk__in=ids["household"]).values_list("pk", "code"))
        names.villages = dict(Village.objects.filter(pk__in=ids["village"]).values_list("pk", "name"))
        names.communes = dict(AdminUnit.objects.filter(pk__in=ids["commune"]).values_list("pk", "name"))
        names.members = dict(Member.objects.filter(pk__in=members).values_list("pk", "full_name"))
        return names


def _label(key: str, model: type[models.Model]) -> str:
    if key == "status" and model is not Complaint:
        return _("bước")  # the round's step, also recorded with the events of its meetings and posting
    return field_label(key, model, _extra_labels())


def _counts(value: Mapping[str, Any], label: Callable[[str], str]) -> str:
    return "; ".join(f"{label(k)}: {number(v)}" for k, v in value.items() if isinstance(v, int | float))


def _decision(value: Any) -> str:
    if value == "resurvey":
        return _("Phúc tra")
    return choice_label(ComplaintStatus, value)


def _value(key: str, value: Any, *, model: type[models.Model], names: _Names) -> str:
    """One stored value in words."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if key in PERSONAL:
        return MASK
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if key in DATES:
        return date_label(value)
    if key in PLAIN:
        return str(value)
    if key == "status":
        return choice_label(ComplaintStatus if model is Complaint else RoundStatus, value)
    simple: dict[str, Callable[[Any], str]] = {
        "kind": lambda v: choice_label(RoundKind, v),
        "reason": lambda v: choice_label(ListReason, v),
        "application_kind": lambda v: choice_label(ApplicationKind, v),
        "decision": _decision,
        "commune": lambda v: names.communes.get(v, str(v)),
        "village": lambda v: names.villages.get(v, str(v)),
        "household": lambda v: names.households.get(v, str(v)),
        "round_household": lambda v: names.entries.get(v, str(v)),
        "causes": lambda v: ", ".join(procedure().causes.label(c) for c in v),
        "support_needs": lambda v: ", ".join(procedure().support_needs.label(c) for c in v),
        "places": lambda v: "; ".join(str(p) for p in v),
        "households": lambda v: (
            ngettext("{n} hộ", "{n} hộ", len(v)).format(n=number(len(v))) if isinstance(v, list) else str(v)
        ),
    }
    if key in simple:
        return simple[key](value)
    if key == "listed" and isinstance(value, Mapping):
        return _counts(value, lambda k: choice_label(ListReason, k))
    if key == "classes" and isinstance(value, Mapping):
        return _counts(value, class_name)
    if isinstance(value, int | float):
        return number(value, 0 if float(value).is_integer() else 1)
    return str(value)


def _fact_value(name: str, value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    fact = FACTS_BY_NAME.get(name)
    if isinstance(value, str):
        return code_label(fact, value)
    if isinstance(value, int | float):
        return number(value, 0 if float(value).is_integer() else 1)
    return str(value)


def _fact_name(name: str) -> str:
    fact = FACTS_BY_NAME.get(name)
    return fact_label(fact) if fact is not None else name


def _fact_changes(before: Any, after: Any, *, created: bool, prefix: str = "") -> list[Change]:
    old = before if isinstance(before, Mapping) else {}
    new = after if isinstance(after, Mapping) else {}
    changes = []
    for name in [*old, *(k for k in new if k not in old)]:
        if name == "member_id" or old.get(name) == new.get(name):
            continue
        if created and new.get(name) in (None, ""):
            continue
        changes.append(
            Change(
                label=f"{prefix}{_fact_name(name)}",
                before="" if created else _fact_value(name, old.get(name)),
                after=_fact_value(name, new.get(name)),
            )
        )
    return changes


def _member_changes(before: Any, after: Any, *, created: bool, names: _Names) -> list[Change]:
    def by_member(value: Any) -> dict[Any, Mapping[str, Any]]:
        rows = value if isinstance(value, list) else []
        return {m.get("member_id", i): m for i, m in enumerate(rows) if isinstance(m, Mapping)}

    old, new = by_member(before), by_member(after)
    changes = []
    for member in [*old, *(k for k in new if k not in old)]:
        who = names.members.get(member, str(member)) if isinstance(member, int) else str(member)
        prefix = _("Nhân khẩu {name} — ").format(name=who)
        if member not in new:
            changes.append(Change(label=prefix + _("trong phiếu"), before=_("Có"), after=_("Không")))
            continue
        changes.extend(_fact_changes(old.get(member), new[member], created=created, prefix=prefix))
    return changes


def _yes_no(value: Any) -> str:
    return EMPTY if value is None else (_("Có") if value else _("Không"))


def _answer_changes(before: Any, after: Any, *, created: bool) -> list[Change]:
    old = before if isinstance(before, Mapping) else {}
    new = after if isinstance(after, Mapping) else {}
    return [
        Change(
            label=_("Phiếu A, câu {n}: {text}").format(n=n, text=question.vi),
            before="" if created else _yes_no(old.get(question.id)),
            after=_yes_no(new.get(question.id)),
        )
        for n, question in enumerate(procedure().phieu_a.questions, start=1)
        if old.get(question.id) != new.get(question.id)
    ]


def _changes(event: AuditEvent, *, names: _Names) -> list[Change]:
    model = MODELS.get(event.target_type, ReviewRound)
    before = event.before or {}
    after = event.after or {}
    created = not event.before
    changes: list[Change] = []
    for key in [*before, *(k for k in after if k not in before)]:
        if key in HIDDEN:
            continue
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key == "household_facts":
            changes.extend(_fact_changes(old, new, created=created))
            continue
        if key == "member_facts":
            changes.extend(_member_changes(old, new, created=created, names=names))
            continue
        if key == "answers":
            changes.extend(_answer_changes(old, new, created=created))
            continue
        if (created or key not in before) and new in (None, "", False, [], {}):
            continue
        label = (
            _("qua nhận dạng nhanh") if key == "passed" and model is RoundHousehold else _label(key, model)
        )
        changes.append(
            Change(
                label=label,
                before="" if created or key not in before else _value(key, old, model=model, names=names),
                after=_value(key, new, model=model, names=names),
            )
        )
    return changes


def _target(event: AuditEvent, names: _Names) -> str:
    pk = int(event.target_id) if event.target_id.isdigit() else 0
    kind = event.target_type
    if kind == target_key(RoundHousehold):
        return _("Hộ {code}").format(code=names.entries.get(pk, event.target_id))
    if kind == target_key(Survey):
        return _("Phiếu B của hộ {code}").format(code=names.surveys.get(pk, event.target_id))
    if kind == target_key(VillageMeeting):
        return _("Họp thôn: {village}").format(village=names.meetings.get(pk, event.target_id))
    if kind == target_key(Posting):
        return _("Niêm yết công khai")
    if kind == target_key(Complaint):
        return _("Khiếu nại của {name}").format(name=names.complaints.get(pk, event.target_id))
    return _("Đợt rà soát")


def history_rows(events: Iterable[AuditEvent]) -> list[HistoryRow]:
    """Readable rows for ``events`` (already scoped and ordered by the selector)."""
    batch = list(events)
    names = _Names.of(batch)
    return [
        HistoryRow(
            when=event.created_at,
            actor=event.actor.get_full_name() if event.actor is not None else _("Hệ thống"),
            action=action_label(ReviewAuditAction, event.action),
            target=_target(event, names),
            changes=_changes(event, names=names),
        )
        for event in batch
    ]
