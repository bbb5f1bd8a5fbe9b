"""Tests for giamngheo.planning.parsing (the plan-document parser)."""
