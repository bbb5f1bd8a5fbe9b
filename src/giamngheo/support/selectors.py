"""Reads of the support context, scoped to the viewer's territory (``accounts.selectors``).

Support records, helpers and job seekers belong to a household, so the viewer sees those of the
households they see (``registry.selectors.households_visible_to``: a village surveyor their villages, a
commune officer the commune, a province officer or an agency viewer the province). A leader sees
aggregates only: pages that list households refuse them (``registry.permissions.registry_refusal``).
Policies: the national ones and those of the units the viewer sees. Job openings are public facts of a
province: everyone who sees a unit of the province sees its openings.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from giamngheo.accounts.selectors import Viewer, sees_everything, units_visible_to
from giamngheo.registry.selectors import households_visible_to
from giamngheo.support.models import HelperAssignment, JobOpening, JobSeeker, Placement, Policy, SupportRecord


def policies_visible_to(viewer: Viewer) -> QuerySet[Policy]:
    if sees_everything(viewer):
        return Policy.objects.all()
    return Policy.objects.filter(Q(unit__isnull=True) | Q(unit__in=units_visible_to(viewer)))


def records_visible_to(viewer: Viewer) -> QuerySet[SupportRecord]:
    if sees_everything(viewer):
        return SupportRecord.objects.all()
    return SupportRecord.objects.filter(household__in=households_visible_to(viewer))


def helpers_visible_to(viewer: Viewer) -> QuerySet[HelperAssignment]:
    if sees_everything(viewer):
        return HelperAssignment.objects.all()
    return HelperAssignment.objects.filter(household__in=households_visible_to(viewer))


def seekers_visible_to(viewer: Viewer) -> QuerySet[JobSeeker]:
    if sees_everything(viewer):
        return JobSeeker.objects.all()
    return JobSeeker.objects.filter(household__in=households_visible_to(viewer))


def openings_visible_to(viewer: Viewer) -> QuerySet[JobOpening]:
    if sees_everything(viewer):
        return JobOpening.objects.all()
    provinces = units_visible_to(viewer).values("province_code")
    return JobOpening.objects.filter(Q(province_code__in=provinces) | Q(abroad=True))


def placements_visible_to(viewer: Viewer) -> QuerySet[Placement]:
    if sees_everything(viewer):
        return Placement.objects.all()
    return Placement.objects.filter(seeker__in=seekers_visible_to(viewer))
