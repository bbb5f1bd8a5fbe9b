"""Fixtures for the standards pages: results workbooks go to a temporary VAR_DIR; a signed-in officer."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from pytest_django.fixtures import SettingsWrapper

from tests.accounts.factories import user_factory


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


@pytest.fixture
def officer(client: Client) -> Client:
    client.force_login(user_factory())
    return client
