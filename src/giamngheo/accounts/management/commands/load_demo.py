"""``manage.py load_demo``: load the demo data, step by step, idempotently."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.module_loading import import_string

from giamngheo.accounts.demo import demo_logins_table

# Each step is the dotted path of a function ``step(*, write: Callable[[str], None]) -> None`` that
# creates its demo data if missing (running it twice must change nothing) and reports through
# ``write``; a step that also takes ``households`` gets the ``--households`` option. Steps run in
# order, each in its own transaction (services are durable). To add demo data for another context,
# write ``<context>/demo.py`` and append its step here.
STEPS: list[str] = [
    "giamngheo.geo.demo.demo_units_load",
    "giamngheo.geo.demo.demo_units_pre2025_load",
    "giamngheo.accounts.demo.demo_users_load",
    "giamngheo.accounts.demo.demo_scopes_load",
    "giamngheo.registry.demo.demo_households_load",
    "giamngheo.review.demo.demo_rounds_load",
    "giamngheo.review.demo.demo_posting_load",
    "giamngheo.planning.demo.demo_plans_load",
    "giamngheo.support.demo.demo_support_load",
]


class Command(BaseCommand):
    help = "Load the demo data (units, users, a synthetic province with review rounds). Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--households",
            type=int,
            default=20_000,
            help="size of the synthetic demo province (default 20,000 households)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("vi"):
            for dotted in STEPS:
                step: Callable[..., None] = import_string(dotted)
                self.stdout.write(f"• {dotted.rsplit('.', 1)[-1]}")
                kwargs: dict[str, Any] = {"write": lambda line: self.stdout.write(f"    {line}")}
                if "households" in inspect.signature(step).parameters:
                    kwargs["households"] = options["households"]
                step(**kwargs)
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS("Tài khoản mẫu / Demo logins:"))
            self.stdout.write(demo_logins_table())
