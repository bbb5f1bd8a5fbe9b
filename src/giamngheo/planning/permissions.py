"""Who may change plans, targets, tasks and budgets, and who may report on a task. Services call these.

- Editing a plan (its targets, tasks, deadlines and funding): whoever may edit the plan's unit under
  ``accounts.permissions`` (province officers their province, commune officers their commune, system
  administrators everywhere; leaders and agency viewers never). A pre-2025 district's plan is edited by
  the officers of the 2025 province that took it (:func:`giamngheo.planning.selectors.plan_units_visible_to`).
- Reporting progress on a task: a member of one of the task's lead or coordinating agencies, or whoever
  may edit the plan.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.permissions import edit_refusal
from giamngheo.accounts.selectors import sees_everything
from giamngheo.geo.models import AdminUnit, Generation, Level
from giamngheo.planning.models import AgencyMember, Plan, Task
from giamngheo.planning.selectors import plan_units_visible_to


def plan_edit_refusal(actor: User | None, unit: AdminUnit) -> str | None:
    """Why ``actor`` may not change the plans of ``unit``, or ``None``."""
    if actor is None or sees_everything(actor):
        return None
    if unit.generation == Generation.PRE_2025 and unit.level == Level.DISTRICT:
        if actor.role != Role.PROVINCE_OFFICER or not actor.is_active:
            return _("Chỉ cán bộ tỉnh mới sửa được kế hoạch cấp huyện (trước 01/07/2025).")
        if not plan_units_visible_to(actor).filter(pk=unit.pk).exists():
            return _("Ngoài địa bàn của bạn: {name}.").format(name=unit.name)
        return None
    return edit_refusal(actor, unit)


def ensure_can_edit_plan(actor: User | None, plan_or_unit: Plan | AdminUnit) -> None:
    unit = plan_or_unit.unit if isinstance(plan_or_unit, Plan) else plan_or_unit
    refusal = plan_edit_refusal(actor, unit)
    if refusal is not None:
        raise PermissionDenied(refusal)


def task_report_refusal(actor: User | None, task: Task) -> str | None:
    """Why ``actor`` may not report progress on ``task``, or ``None``."""
    if actor is None:
        return None
    agencies = [*task.lead_agencies.all(), *task.coordinating_agencies.all()]
    if AgencyMember.objects.filter(user=actor, agency__in=agencies).exists():
        return None
    if plan_edit_refusal(actor, task.plan.unit) is None:
        return None
    return _(
        "Chỉ cán bộ của cơ quan chủ trì, phối hợp hoặc cán bộ quản lý kế hoạch mới báo cáo được nhiệm vụ này."
    )


def ensure_can_report_task(actor: User | None, task: Task) -> None:
    refusal = task_report_refusal(actor, task)
    if refusal is not None:
        raise PermissionDenied(refusal)
