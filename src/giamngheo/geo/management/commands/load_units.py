"""``manage.py load_units [--pre2025]``: load the administrative units from the pinned packages."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from giamngheo.geo.services import unit_mappings_load, units_load_2025, units_load_pre2025


class Command(BaseCommand):
    help = (
        "Load the 34 provinces and 3,321 communes of 1 July 2025 (vietnam-provinces); with --pre2025 also "
        "the 63 provinces, 696 districts and 10,035 communes before that date and the old → new commune "
        "mapping (vietnamadminunits). Safe to run again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--pre2025",
            action="store_true",
            help="also load the pre-2025 three-tier units and the old → new commune mapping",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = units_load_2025(actor=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['provinces']} provinces ({counts['provinces_created']} created), "
                f"{counts['communes']} communes ({counts['communes_created']} created): "
                f"{counts['commune']} xã, {counts['ward']} phường, {counts['special_zone']} đặc khu."
            )
        )
        if not options["pre2025"]:
            return
        old = units_load_pre2025(actor=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"Pre-2025: {old['provinces']} provinces ({old['provinces_created']} created), "
                f"{old['districts']} districts ({old['districts_created']} created), "
                f"{old['communes']} communes ({old['communes_created']} created): "
                f"{old['commune']} xã, {old['ward']} phường, {old['township']} thị trấn."
            )
        )
        mapping = unit_mappings_load(actor=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"Old → new mapping: {mapping['mappings']} pairs ({mapping['created']} created, "
                f"{mapping['removed']} removed), {mapping['old_units']} old units "
                f"({mapping['split']} split) into {mapping['new_units']} new communes."
            )
        )
        if mapping["unresolved"]:
            self.stderr.write(
                self.style.WARNING(
                    f"{mapping['unresolved']} pairs skipped: their new commune is not among the 2025 units "
                    "(see the audit row unit_mappings.loaded)."
                )
            )
