"""Shared test settings. Keep this small; per-context fixtures live next to their tests."""

import os

import pytest
from pytest_django.fixtures import SettingsWrapper


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: SettingsWrapper) -> None:
    """PBKDF2 is deliberately slow; tests only need a working hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _jobs_inline(settings: SettingsWrapper) -> None:
    """Background jobs run right after their transaction commits: no worker thread outlives a test
    (``tests/jobs`` starts the real worker where it tests it)."""
    settings.JOBS_WORKER = "inline"


def _uses_database(item: pytest.Item) -> bool:
    from django.test import TransactionTestCase

    cls = getattr(item, "cls", None)
    return (
        item.get_closest_marker("django_db") is not None
        or "_django_db_helper" in getattr(item, "fixturenames", ())
        or (cls is not None and issubclass(cls, TransactionTestCase))
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``GIAMNGHEO_TEST_DB_ONLY=1`` run only the tests that touch the database.

    ``make test`` uses it for its second, PostgreSQL pass: engine tests (pure Polars) give the same
    result whatever the database, so running them twice would only double the time.
    """
    if os.environ.get("GIAMNGHEO_TEST_DB_ONLY") != "1":
        return
    selected = [item for item in items if _uses_database(item)]
    deselected = [item for item in items if not _uses_database(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
