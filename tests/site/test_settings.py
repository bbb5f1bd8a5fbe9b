import runpy
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

import giamngheo.site.settings as settings_module

SETTINGS_FILE = settings_module.__file__


def _load(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> dict[str, Any]:
    for name in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIAMNGHEO_VAR_DIR", str(tmp_path / "var"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS_FILE)


def test_sqlite_in_var_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = _load(monkeypatch, tmp_path)
    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(tmp_path / "var" / "giamngheo.sqlite3")
    assert settings["STATIC_ROOT"] == tmp_path / "var" / "static"
    assert settings["STATIC_ROOT"].is_dir()
    assert settings["DEBUG"] is True


def test_base_dir_is_the_repository_root() -> None:
    assert (settings_module.BASE_DIR / "pyproject.toml").is_file()
    assert (settings_module.BASE_DIR / "manage.py").is_file()


def test_postgresql_from_database_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = _load(monkeypatch, tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/giamngheo")
    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["HOST"], database["PORT"]) == (
        "giamngheo",
        "postgres",
        "127.0.0.1",
        5432,
    )


def test_production_needs_a_secret_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        _load(monkeypatch, tmp_path, DEBUG="0")
    settings = _load(monkeypatch, tmp_path, DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="giamngheo.example")
    assert settings["DEBUG"] is False
    assert settings["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "giamngheo.example"]
    assert settings["STORAGES"]["staticfiles"]["BACKEND"].startswith("whitenoise.")


def test_vietnamese_first() -> None:
    assert settings_module.LANGUAGE_CODE == "vi"
    assert [code for code, _name in settings_module.LANGUAGES] == ["vi", "en"]
    assert settings_module.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings_module.AUTH_USER_MODEL == "accounts.User"
