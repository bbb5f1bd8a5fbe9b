"""The examples in the parser's docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "giamngheo.planning.parsing",
    "giamngheo.planning.parsing.agencies",
    "giamngheo.planning.parsing.tasks",
    "giamngheo.planning.parsing.text",
    "giamngheo.planning.parsing.timeframes",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
