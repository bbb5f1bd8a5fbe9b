"""Job kinds of this app: the household list of a commune to Excel (xuất danh sách hộ của một xã).

It shows the pattern for the other contexts' exports: the parameters are ids, checked in ``prepare``
when the job is asked for and again when it runs, both times through the selectors *as the owner*; the
rows are read in chunks and each chunk moves the progress bar.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamngheo.accounts.models import User
from giamngheo.documents import list_xlsx
from giamngheo.documents.formatting import date_short, number
from giamngheo.geo.models import AdminUnit, Village
from giamngheo.jobs.kinds import JobError, JobOutput, Progress, job_kind
from giamngheo.registry.exports import household_export_columns, household_export_rows
from giamngheo.registry.permissions import can_see_personal_ids, registry_refusal
from giamngheo.registry.selectors import (
    HouseholdFilters,
    communes_visible_to,
    household_table,
    household_villages_visible_to,
)

HOUSEHOLD_LIST_XLSX: Final = "registry.household_list_xlsx"
XLSX_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK: Final = 500  # households read between two progress updates


def _id(params: dict[str, Any], name: str) -> int | None:
    value: Any = params.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("Mã “{value}” không hợp lệ.").format(value=value), code="invalid") from error


def _place(params: dict[str, Any], viewer: User) -> tuple[AdminUnit, Village | None]:
    """The commune (and village) of ``params`` if ``viewer`` may read its households; else the reason."""
    refusal = registry_refusal(viewer)
    if refusal is not None:
        raise PermissionDenied(refusal)
    commune_id = _id(params, "commune")
    if commune_id is None:
        raise ValidationError(_("Hãy chọn một xã."), code="required")
    commune = communes_visible_to(viewer).filter(pk=commune_id).first()
    if commune is None:
        raise PermissionDenied(_("Xã này không thuộc địa bàn của bạn."))
    village_id = _id(params, "village")
    village = None
    if village_id is not None:
        village = household_villages_visible_to(viewer).filter(pk=village_id, commune=commune).first()
        if village is None:
            raise PermissionDenied(_("Thôn này không thuộc địa bàn của bạn hoặc không thuộc xã đã chọn."))
    return commune, village


def _place_label(commune: AdminUnit, village: Village | None) -> str:
    return f"{village.name}, {commune.name}" if village is not None else commune.name


def household_list_prepare(params: dict[str, Any], actor: User) -> str:
    """Check the commune (and village) for ``actor`` and give the title: "Danh sách hộ — Xã Đăk Kôi"."""
    commune, village = _place(params, actor)
    return _("Danh sách hộ — {place}").format(place=_place_label(commune, village))


def _with_progress(rows: Iterator[list[object]], *, total: int, progress: Progress) -> Iterator[list[object]]:
    """The rows as they are; every ``CHUNK`` rows the bar moves from 5 % to 90 %."""
    for done, row in enumerate(rows, start=1):
        yield row
        if done % CHUNK == 0:
            progress(
                5 + 85 * done // max(total, 1),
                _("Đã đọc {done}/{total} hộ").format(done=number(done), total=number(total)),
            )


@job_kind(
    HOUSEHOLD_LIST_XLSX, label=gettext_lazy("Xuất danh sách hộ (Excel)"), prepare=household_list_prepare
)
def household_list_xlsx(params: dict[str, Any], progress: Progress, *, owner: User) -> JobOutput:
    """The households of one commune (or one of its villages) as an Excel list, read as ``owner``.

    Citizen IDs and dates of birth of the heads are in it only when ``owner`` may read them.
    """
    try:
        commune, village = _place(params, owner)
    except (PermissionDenied, ValidationError) as error:
        message = str(error) if isinstance(error, PermissionDenied) else " ".join(error.messages)
        raise JobError(_("Không xuất được danh sách hộ: {reason}").format(reason=message)) from error
    progress(2, _("Đang đếm số hộ"))
    households = household_table(viewer=owner, filters=HouseholdFilters(commune=commune, village=village))
    total = households.count()
    progress(5, _("Đang đọc {total} hộ").format(total=number(total)))
    personal = can_see_personal_ids(owner)
    today: datetime.date = timezone.localdate()
    content = list_xlsx(
        household_export_columns(personal=personal),
        _with_progress(household_export_rows(households, personal=personal), total=total, progress=progress),
        title=" — ".join([_("Danh sách hộ"), _place_label(commune, village), date_short(today)]),
        sheet_name=_("Danh sách hộ"),
    )
    progress(95, _("Đang lưu tệp Excel"))
    place = f"{commune.code}-{village.code}" if village is not None else commune.code
    return JobOutput(
        filename=f"danh-sach-ho-{place}-{today:%Y%m%d}.xlsx", content_type=XLSX_TYPE, content=content
    )
