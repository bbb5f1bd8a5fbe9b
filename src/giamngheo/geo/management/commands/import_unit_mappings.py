"""``manage.py import_unit_mappings FILE``: import old → new commune mappings from CSV (all or none)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from giamngheo.geo.management.commands._csv import run_import
from giamngheo.geo.services import MAPPINGS_CSV_COLUMNS, unit_mappings_import_csv


class Command(BaseCommand):
    help = (
        f"Import old → new commune mappings from a UTF-8 CSV with columns: {', '.join(MAPPINGS_CSV_COLUMNS)}."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = run_import(
            options["file"], lambda file: unit_mappings_import_csv(file=file, actor=None), self.stderr.write
        )
        self.stdout.write(
            self.style.SUCCESS(f"{counts['mappings']} mappings imported ({counts['created']} created).")
        )
