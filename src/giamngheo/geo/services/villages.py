"""Villages (thôn, bản, tổ dân phố …)."""

from __future__ import annotations

import datetime
import enum
from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.accounts.permissions import ensure_can_edit
from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import AdminUnit, GeoAuditAction, Level, Village, VillageKind
from giamngheo.geo.selectors import village_former_communes


class NotGiven(enum.Enum):
    """Type of :data:`NOT_GIVEN`."""

    NOT_GIVEN = "not given"


#: Default of ``village_update(former_commune=...)``: keep the former commune (``None`` clears it).
NOT_GIVEN: Final = NotGiven.NOT_GIVEN


def _ensure_former_commune(commune: AdminUnit, former_commune: AdminUnit | None) -> None:
    """A village's former commune (xã cũ), if any, is one of the pre-2025 communes that went into its
    commune (``UnitMapping``, see :func:`giamngheo.geo.selectors.village_former_communes`)."""
    if former_commune is None:
        return
    if not village_former_communes(commune).filter(pk=former_commune.pk).exists():
        raise ValidationError(
            {
                "former_commune": _("Xã cũ phải là một trong các xã đã nhập vào {commune}.").format(
                    commune=commune.name
                )
            }
        )


def _code(unit: AdminUnit | None) -> str | None:
    return unit.code if unit is not None else None


# ----------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def village_create(
    *,
    commune: AdminUnit,
    code: str,
    name: str,
    kind: VillageKind | str,
    actor: User | None,
    valid_from: datetime.date | None = None,
    former_commune: AdminUnit | None = None,
) -> Village:
    """Create a village (thôn, bản, tổ dân phố …) in a commune that is still valid.

    ``valid_from`` defaults to today. ``former_commune`` (xã cũ) is the pre-2025 commune the village
    belonged to before 1 July 2025, if known: it must be one of the communes that went into
    ``commune`` (``ValidationError`` on ``former_commune`` otherwise). The actor must be allowed to
    edit the commune (:func:`giamngheo.accounts.permissions.ensure_can_edit`); ``actor=None`` is the
    system (demo, imports).
    """
    ensure_can_edit(actor, commune)
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _("Thôn chỉ thuộc về một đơn vị cấp xã.")})
    if commune.valid_to is not None:
        raise ValidationError(
            {
                "commune": _("{name} đã hết hiệu lực từ {date}.").format(
                    name=commune.name, date=date_format(commune.valid_to, "SHORT_DATE_FORMAT")
                )
            }
        )
    taken = Village.objects.filter(commune=commune, code=code.strip()).first()
    if taken is not None:
        raise ValidationError(
            {
                "code": _("{commune} đã có thôn mã {code} ({name}).").format(
                    commune=commune.name, code=taken.code, name=taken.name
                )
            }
        )
    _ensure_former_commune(commune, former_commune)
    village = Village(
        commune=commune,
        province_code=commune.province_code,
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        valid_from=valid_from or timezone.localdate(),
        valid_to=None,
        former_commune=former_commune,
    )
    village.full_clean()
    village.save()
    audit_record(
        actor=actor,
        action=GeoAuditAction.VILLAGE_CREATED,
        target=village,
        before=None,
        after={
            "commune": commune.code,
            "code": village.code,
            "name": village.name,
            "kind": village.kind,
            "valid_from": village.valid_from,
            "former_commune": _code(former_commune),
        },
    )
    return village


def _ensure_open(village: Village) -> None:
    if village.valid_to is not None:
        raise ValidationError(
            _("{name} đã đóng từ {date}.").format(
                name=village.name, date=date_format(village.valid_to, "SHORT_DATE_FORMAT")
            )
        )


@transaction.atomic(durable=True)
def village_update(
    *,
    village: Village,
    name: str,
    kind: VillageKind | str | None = None,
    former_commune: AdminUnit | None | NotGiven = NOT_GIVEN,
    actor: User | None,
) -> Village:
    """Rename a village (đổi tên thôn); change its kind if ``kind`` is given, and its former commune
    (xã cũ) if ``former_commune`` is given (``None`` clears it; left out, it is kept).

    The former commune must be one of the pre-2025 communes that went into the village's commune
    (``ValidationError`` on ``former_commune`` otherwise). The actor must be allowed to edit the
    village's commune (a village surveyor may not). A closed village cannot be changed. Nothing is
    written (and no audit row) when nothing changes.
    """
    ensure_can_edit(actor, village.commune)
    _ensure_open(village)
    if not isinstance(former_commune, NotGiven):
        _ensure_former_commune(village.commune, former_commune)
    before = {"name": village.name, "kind": village.kind, "former_commune": _code(village.former_commune)}
    village.name = name.strip()
    if kind is not None:
        village.kind = kind
    if not isinstance(former_commune, NotGiven):
        village.former_commune = former_commune
    after = {"name": village.name, "kind": village.kind, "former_commune": _code(village.former_commune)}
    if after == before:
        return village
    village.full_clean()
    village.save(update_fields=["name", "kind", "former_commune"])
    audit_record(
        actor=actor, action=GeoAuditAction.VILLAGE_UPDATED, target=village, before=before, after=after
    )
    return village


@transaction.atomic(durable=True)
def village_close(*, village: Village, valid_to: datetime.date, actor: User | None) -> Village:
    """Close a village (thôn giải thể, sáp nhập): set ``valid_to``, its last day.

    The village and everything that points to it stay (households keep their history). Refused
    while an active household (đang sinh sống) still belongs to it: move those households first.
    ``valid_to`` may not be before ``valid_from`` nor after today.
    """
    from giamngheo.registry.models import HouseholdStatus  # registry depends on geo: import when called

    ensure_can_edit(actor, village.commune)
    _ensure_open(village)
    if valid_to < village.valid_from:
        raise ValidationError(
            {
                "valid_to": _("Ngày đóng thôn không được trước ngày thôn bắt đầu hiệu lực ({date}).").format(
                    date=date_format(village.valid_from, "SHORT_DATE_FORMAT")
                )
            }
        )
    if valid_to > timezone.localdate():
        raise ValidationError({"valid_to": _("Ngày đóng thôn không được sau ngày hôm nay.")})
    active = village.households.filter(status=HouseholdStatus.ACTIVE).count()
    if active:
        raise ValidationError(
            _(
                "Không thể đóng {name}: còn {count} hộ đang sinh sống thuộc thôn này. "
                "Hãy chuyển các hộ đó sang thôn khác trước."
            ).format(name=village.name, count=active),
            code="village_has_households",
        )
    village.valid_to = valid_to
    village.full_clean()
    village.save(update_fields=["valid_to"])
    audit_record(
        actor=actor,
        action=GeoAuditAction.VILLAGE_CLOSED,
        target=village,
        before={"valid_to": None},
        after={"valid_to": valid_to},
    )
    return village
