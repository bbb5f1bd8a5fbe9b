#!/usr/bin/env python
"""Django's command-line utility for giamngheo (``python manage.py help``)."""

import os
import sys
from pathlib import Path


def main() -> None:
    try:
        import giamngheo  # noqa: F401  (installed, e.g. ``pip install -e .``)
    except ImportError:
        sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
