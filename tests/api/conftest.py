"""Fixtures of the API tests (the data is built in ``tests/api/factories.py``)."""

from __future__ import annotations

import pytest

from tests.api.factories import World, make_world


@pytest.fixture
def world() -> World:
    return make_world()
