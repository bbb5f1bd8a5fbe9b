"""Where the jobs' result files live: ``VAR_DIR/jobs`` (next to ``VAR_DIR/exports`` of the standards page).

A file is named ``<job id>-<random>.<extension>`` so that its name cannot be guessed; the name the user
downloads it under is kept on the job (``result_name``). Files are written to a temporary name and renamed,
so a half-written file is never served.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from giamngheo.jobs.kinds import JobOutput

_SAFE_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,10}$")


@dataclass(frozen=True, slots=True)
class StoredResult:
    name: str  # the file's name in ``jobs_dir()``
    size: int


def jobs_dir() -> Path:
    return Path(settings.VAR_DIR) / "jobs"


def result_path(name: str) -> Path | None:
    """The stored file called ``name``, or ``None`` when it is gone (or the name is not one of ours)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = jobs_dir() / name
    return path if path.is_file() else None


def store_output(job_id: int, output: JobOutput) -> StoredResult:
    """Put ``output`` under ``jobs_dir()`` and tell its file name and size."""
    directory = jobs_dir()
    directory.mkdir(parents=True, exist_ok=True)
    suffix = Path(output.filename).suffix
    name = f"{job_id}-{secrets.token_urlsafe(16)}{suffix if _SAFE_SUFFIX.match(suffix) else ''}"
    target = directory / name
    partial = directory / f".{name}.part"
    if isinstance(output.content, Path):
        shutil.copyfile(output.content, partial)
        output.content.unlink(missing_ok=True)
    else:
        partial.write_bytes(output.content)
    os.replace(partial, target)
    return StoredResult(name=name, size=target.stat().st_size)


def remove_result(name: str) -> None:
    path = result_path(name)
    if path is not None:
        path.unlink(missing_ok=True)
