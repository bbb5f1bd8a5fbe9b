"""Household registry (sổ hộ): households, members, their events; search and duplicate checks."""
