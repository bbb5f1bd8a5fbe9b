"""``manage.py coverage_store``: store again the households of approved rounds that coverage reads."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from giamngheo.support.services.coverage import coverage_rebuild


class Command(BaseCommand):
    help = (
        "Store again, for every approved periodic review round, the households the support coverage "
        "counts (class, village, needs); run after loading rounds in bulk or correcting approved data. "
        "Lưu lại danh sách hộ của các đợt rà soát đã phê duyệt dùng để tính độ bao phủ hỗ trợ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default="", help="two-digit province code (default: all)")
        parser.add_argument("--year", type=int, default=0, help="only the rounds of this year")

    def handle(self, *args: Any, province: str, year: int, **options: Any) -> None:
        started = time.perf_counter()
        count = coverage_rebuild(province_code=province or None, year=year or None)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Đã lưu lại {count} đợt rà soát trong {elapsed:.1f} s.")
