"""The household list as Excel rows (danh sách hộ): the columns and rows shared by the list page's
download and the background export job (``jobs.job_kinds``)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.documents import Column
from giamngheo.registry.models import Household, HouseholdArea, HouseholdStatus, Sex
from giamngheo.registry.selectors import FLAG_FIELDS


def household_export_columns(*, personal: bool) -> list[Column]:
    """The columns of the household list in Excel; the head's date of birth and personal ID number only
    when ``personal`` (the viewer may read them: ``registry.permissions.can_see_personal_ids``)."""
    columns = [Column(_("Mã hộ"), 12), Column(_("Chủ hộ"), 26), Column(_("Giới tính chủ hộ"), 10)]
    if personal:
        columns += [Column(_("Ngày sinh chủ hộ"), 12), Column(_("Số định danh chủ hộ"), 16)]
    return [
        *columns,
        Column(_("Xã, phường"), 22),
        Column(_("Thôn, tổ dân phố"), 18),
        Column(_("Địa chỉ"), 28),
        Column(_("Khu vực"), 11),
        Column(_("Số nhân khẩu"), 9),
        *(Column(str(Household._meta.get_field(n).verbose_name).capitalize(), 12) for n in FLAG_FIELDS),  # type: ignore[union-attr]
        Column(_("Tình trạng"), 16),
        Column(_("Ngày lập"), 11),
    ]


def household_export_rows(households: QuerySet[Household], *, personal: bool) -> Iterator[list[object]]:
    """One row per household, in :func:`household_export_columns` order (typed: dates, numbers,
    Booleans)."""
    for household in households.iterator(chunk_size=2000):
        head = household.head
        values: list[object] = [
            household.code,
            head.full_name if head else "",
            Sex(head.sex).label if head and head.sex in Sex.values else "",
        ]
        if personal:
            values += [head.date_of_birth if head else None, (head.citizen_id or "") if head else ""]
        values += [
            household.commune.name,
            household.village.name if household.village else None,
            household.address,
            HouseholdArea(household.area).label if household.area in HouseholdArea.values else household.area,
            household.member_count,  # type: ignore[attr-defined]
            *(bool(getattr(household, n)) for n in FLAG_FIELDS),
            HouseholdStatus(household.status).label,
            timezone.localtime(household.created_at).date(),
        ]
        yield values
