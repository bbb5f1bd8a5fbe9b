"""Tests for giamngheo.measures."""
