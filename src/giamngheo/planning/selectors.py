"""Reads of the planning context, scoped to the viewer's territory (``accounts.selectors``).

A plan belongs to its unit: a 2025 province or commune, or a pre-2025 district or commune (older
plans). The viewer sees the plans of the units they see (``units_visible_to``), plus — for a viewer who
sees a whole 2025 province — the pre-2025 districts some of whose communes they see (a merged province's
history, e.g. the former Kon Tum's districts in Quảng Ngãi), plus the plans of the 2025 province their
units are in (a commune plan implements the province's). An agency user also sees the plans that give
their agency a task.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from giamngheo.accounts.models import User
from giamngheo.accounts.selectors import Viewer, sees_everything, units_visible_to
from giamngheo.geo.models import AdminUnit, Generation, Level
from giamngheo.planning.models import Agency, AgencyMember, Plan, Task


def plan_units_visible_to(viewer: Viewer) -> QuerySet[AdminUnit]:
    """The units whose plans the viewer may see."""
    if sees_everything(viewer):
        return AdminUnit.objects.all()
    units = units_visible_to(viewer)
    condition = Q(pk__in=units.values("pk"))
    if units.filter(generation=Generation.Y2025, level=Level.PROVINCE).exists():
        old_communes = units.filter(generation=Generation.PRE_2025, level=Level.COMMUNE)
        condition |= Q(
            generation=Generation.PRE_2025, level=Level.DISTRICT, pk__in=old_communes.values("parent_id")
        )
    return AdminUnit.objects.filter(condition)


def agencies_of(viewer: Viewer) -> QuerySet[Agency]:
    """The agencies the viewer works for (``AgencyMember``)."""
    if not isinstance(viewer, User):
        return Agency.objects.none()
    return Agency.objects.filter(pk__in=AgencyMember.objects.filter(user=viewer).values("agency_id"))


def plans_visible_to(viewer: Viewer) -> QuerySet[Plan]:
    """The plans the viewer may see: those of the units they see, of the province above them, and those
    giving their agency a task."""
    if sees_everything(viewer):
        return Plan.objects.all()
    mine = agencies_of(viewer)
    tasked = Task.objects.filter(Q(lead_agencies__in=mine) | Q(coordinating_agencies__in=mine)).values(
        "plan_id"
    )
    # The plans of the 2025 provinces containing the viewer's units: a commune implements its province's
    # plan, so its officers read it (and choose it as their plan's parent); they do not edit it.
    provinces = units_visible_to(viewer).filter(generation=Generation.Y2025).values("province_code")
    above = Q(unit__generation=Generation.Y2025, unit__level=Level.PROVINCE, unit__code__in=provinces)
    return Plan.objects.filter(
        Q(unit__in=plan_units_visible_to(viewer)) | Q(pk__in=tasked) | above
    ).distinct()


def agencies_visible_to(viewer: Viewer) -> QuerySet[Agency]:
    """The agencies of the units the viewer may see (and their own)."""
    if sees_everything(viewer):
        return Agency.objects.all()
    return Agency.objects.filter(Q(unit__in=plan_units_visible_to(viewer)) | Q(pk__in=agencies_of(viewer)))


def tasks_visible_to(viewer: Viewer) -> QuerySet[Task]:
    """The tasks of the plans the viewer may see."""
    return Task.objects.filter(plan__in=plans_visible_to(viewer))


def tasks_of_my_agencies(viewer: Viewer) -> QuerySet[Task]:
    """The tasks that name one of the viewer's agencies as lead or coordinator, across plans."""
    mine = agencies_of(viewer)
    return Task.objects.filter(Q(lead_agencies__in=mine) | Q(coordinating_agencies__in=mine)).distinct()
