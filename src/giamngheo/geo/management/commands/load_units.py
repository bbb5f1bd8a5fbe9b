"""``manage.py load_units``: load the 2025 administrative units from the pinned package."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from giamngheo.geo.services import units_load_2025


class Command(BaseCommand):
    help = "Load the 34 provinces and 3,321 communes of 1 July 2025 (vietnam-provinces). Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = units_load_2025(actor=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['provinces']} provinces ({counts['provinces_created']} created), "
                f"{counts['communes']} communes ({counts['communes_created']} created): "
                f"{counts['commune']} xã, {counts['ward']} phường, {counts['special_zone']} đặc khu."
            )
        )
