"""Demo plans (kế hoạch mẫu) for ``manage.py load_demo``: the agencies of the demo province and communes,
and two plans imported through the same services as the import page.

- Quảng Ngãi (51, 2025) — a 2026–2030 province plan written for the demo in the style of the real plans
  (``data/demo/ke-hoach-quang-ngai-2026-2030.md``): a poor-rate cut of 1–1,5 points a year (2–3 in the
  mountain areas), tasks for Sở Nông nghiệp và Môi trường, the bank, Sở Y tế …, a six-monthly report,
  funding by source;
- Huyện Kon Rẫy (614, pre-2025, of the former Kon Tum, now in Quảng Ngãi) — the real district plan of
  2022 (``data/demo/plan-kon-ray-2022.md``, a public administrative document), period 2022–2030, its
  parent left as text (the district party committee's plan it implements).

Every row the parser reads is kept. The agencies' starting lists (``agencies_seed``) go first, so the old
plan's "Phòng LĐ-TB&XH" resolves to the district's labour office and the province plan's agencies to the
province's departments. Idempotent: a plan is imported only if its unit has no plan from that file; the
seeding adds only what is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Final

from giamngheo.geo.models import AdminUnit, Generation, Level
from giamngheo.planning.models import Plan
from giamngheo.planning.services.agencies import agencies_seed
from giamngheo.planning.services.importing import draft_from_text, plan_import_save
from giamngheo.registry.demo import DEMO_COMMUNES

DATA: Final = Path(__file__).resolve().parent / "data" / "demo"
PROVINCE_CODE: Final = "51"  # Quảng Ngãi (2025)
DISTRICT_CODE: Final = "614"  # Huyện Kon Rẫy (pre-2025, former Kon Tum)
PROVINCE_FILE: Final = "ke-hoach-quang-ngai-2026-2030.md"
DISTRICT_FILE: Final = "plan-kon-ray-2022.md"
DISTRICT_START: Final = dt.date(2022, 1, 1)


def _import(unit: AdminUnit, name: str, *, start: dt.date | None = None) -> Plan | None:
    """Import the demo file ``name`` as a plan of ``unit`` unless it is there already."""
    if Plan.objects.filter(unit=unit, source_name=name).exists():
        return None
    draft = draft_from_text(unit=unit, text=(DATA / name).read_text(encoding="utf-8"), source_name=name)
    header = draft.header if start is None else replace(draft.header, period_start=start)
    result = plan_import_save(
        unit=unit,
        actor=None,
        header=header,
        targets=draft.targets,
        tasks=draft.tasks,
        deadlines=draft.deadlines,
        funding=draft.funding,
        source_name=name,
        source_text=draft.source_text,
    )
    return result.plan


def demo_plans_load(*, write: Callable[[str], None]) -> None:
    """Seed the agencies of Quảng Ngãi, its demo communes and Huyện Kon Rẫy; import the two demo plans.

    A ``load_demo`` step, after the review rounds. Does nothing if the units are not loaded.
    """
    province = AdminUnit.objects.filter(
        generation=Generation.Y2025, level=Level.PROVINCE, code=PROVINCE_CODE
    ).first()
    district = AdminUnit.objects.filter(
        generation=Generation.PRE_2025, level=Level.DISTRICT, code=DISTRICT_CODE
    ).first()
    if province is None:
        write("Plans: skipped, the 2025 units are not loaded.")
        return
    communes = AdminUnit.objects.filter(
        generation=Generation.Y2025, level=Level.COMMUNE, code__in=[c.code for c in DEMO_COMMUNES]
    ).order_by("code")
    agencies = len(agencies_seed(unit=province, actor=None))
    for commune in communes:
        agencies += len(agencies_seed(unit=commune, actor=None))
    if district is not None:
        agencies += len(agencies_seed(unit=district, actor=None))
    plans = [_import(province, PROVINCE_FILE)]
    if district is not None:
        plans.append(_import(district, DISTRICT_FILE, start=DISTRICT_START))
    imported = [p for p in plans if p is not None]
    write(
        f"Plans: {len(imported)} imported ({', '.join(p.unit.name for p in imported) or 'none'}), "
        f"{agencies} agencies added."
    )
