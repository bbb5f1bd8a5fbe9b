"""Reuse the small map of the accounts tests (province 97 with communes c1, c2; province 96 with d1)."""

from tests.accounts.conftest import Map, geo_map

__all__ = ["Map", "geo_map"]
