"""Shared by the CSV import commands: open the file and print the row errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

from django.core.management.base import CommandError

from giamngheo.geo.services import ImportRejected

T = TypeVar("T")


def run_import(path: str, do_import: Callable[[IO[str]], T], write: Callable[[str], None]) -> T:
    """Open ``path`` as UTF-8 (a BOM from Excel is fine) and import it; on errors list them and fail."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as file:
            return do_import(file)
    except ImportRejected as rejected:
        for error in rejected.errors:
            write(f"Dòng {error.row}, cột {error.column or '-'}, giá trị “{error.value}”: {error.message}")
        raise CommandError(rejected.message) from rejected
    except OSError as exc:
        raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}") from exc
