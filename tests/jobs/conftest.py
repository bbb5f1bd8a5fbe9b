"""Jobs run inline (no thread) unless a test starts the real worker; result files go to ``tmp_path``."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import SettingsWrapper

import tests.jobs.sample_kinds  # noqa: F401  (registers the test kinds)
from tests.accounts.conftest import Map, geo_map

__all__ = ["Map", "geo_map"]


@pytest.fixture(autouse=True)
def _jobs_inline(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.JOBS_WORKER = "inline"
    settings.VAR_DIR = tmp_path
