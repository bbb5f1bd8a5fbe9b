"""Villages (thôn, bản, tổ dân phố …)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.accounts.permissions import ensure_can_edit
from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import AdminUnit, GeoAuditAction, Level, Village, VillageKind

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
) -> Village:
    """Create a village (thôn, bản, tổ dân phố …) in a commune that is still valid.

    ``valid_from`` defaults to today. The actor must be allowed to edit the commune
    (:func:`giamngheo.accounts.permissions.ensure_can_edit`); ``actor=None`` is the system (demo, imports).
    """
    ensure_can_edit(actor, commune)
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _("Thôn chỉ thuộc về một đơn vị cấp xã.")})
    if commune.valid_to is not None:
        raise ValidationError(
            {
                "commune": _("Xã {name} đã hết hiệu lực từ {date}.").format(
                    name=commune.name, date=commune.valid_to
                )
            }
        )
    village = Village(
        commune=commune,
        province_code=commune.province_code,
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        valid_from=valid_from or timezone.localdate(),
        valid_to=None,
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
        },
    )
    return village
