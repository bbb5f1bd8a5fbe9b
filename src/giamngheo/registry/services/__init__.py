"""Writes for the registry. Each service runs in one durable transaction, checks the actor's territory
first, and leaves an audit row and a household event."""

from giamngheo.registry.services.composition import household_merge, household_split
from giamngheo.registry.services.households import (
    HOUSEHOLD_UPDATABLE_FIELDS,
    STALE_VERSION_MESSAGE,
    household_create,
    household_record_moved_out,
    household_set_head,
    household_update,
)
from giamngheo.registry.services.members import (
    MEMBER_UPDATABLE_FIELDS,
    STALE_MEMBER_MESSAGE,
    member_add,
    member_move,
    member_record_death,
    member_record_migration,
    member_update,
)

__all__ = [
    "HOUSEHOLD_UPDATABLE_FIELDS",
    "MEMBER_UPDATABLE_FIELDS",
    "STALE_MEMBER_MESSAGE",
    "STALE_VERSION_MESSAGE",
    "household_create",
    "household_merge",
    "household_record_moved_out",
    "household_set_head",
    "household_split",
    "household_update",
    "member_add",
    "member_move",
    "member_record_death",
    "member_record_migration",
    "member_update",
]
