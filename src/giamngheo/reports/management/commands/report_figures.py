"""``manage.py report_figures``: recount the stored figures of approved review rounds."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from giamngheo.reports.services import figures_rebuild


class Command(BaseCommand):
    help = (
        "Recount the figures stored for every approved periodic review round (the dashboards, map, forms "
        "and API read them), e.g. after loading rounds in bulk or after correcting approved data. "
        "Tính lại số liệu tổng hợp đã lưu của các đợt rà soát đã phê duyệt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default="", help="two-digit province code (default: all)")
        parser.add_argument("--year", type=int, default=0, help="only the rounds of this year")

    def handle(self, *args: Any, province: str, year: int, **options: Any) -> None:
        started = time.perf_counter()
        count = figures_rebuild(province_code=province or None, year=year or None)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Đã tính lại số liệu của {count} đợt rà soát trong {elapsed:.1f} s.")
