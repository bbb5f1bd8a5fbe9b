"""``manage.py import_units FILE``: import pre-2025 three-tier units from CSV (all rows or none)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from giamngheo.geo.management.commands._csv import run_import
from giamngheo.geo.models import Generation
from giamngheo.geo.services import UNITS_CSV_COLUMNS, units_import_csv


class Command(BaseCommand):
    help = f"Import pre-2025 units from a UTF-8 CSV with columns: {', '.join(UNITS_CSV_COLUMNS)}."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--generation", default=Generation.PRE_2025, choices=[Generation.PRE_2025])

    def handle(self, *args: Any, **options: Any) -> None:
        counts = run_import(
            options["file"],
            lambda file: units_import_csv(file=file, generation=options["generation"], actor=None),
            self.stderr.write,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['provinces']} provinces, {counts['districts']} districts, "
                f"{counts['communes']} communes imported ({counts['created']} created)."
            )
        )
