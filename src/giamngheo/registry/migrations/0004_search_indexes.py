"""Indexes for search on a full registry: household code (``UPPER(code)``, every database) and a
trigram index (pg_trgm, GIN) on ``Member.full_name_search`` (PostgreSQL only).

Name search is a substring match (``full_name_search LIKE '%nguyen van a%'``); a btree cannot serve it,
so on a million households a search over a province or the whole country read all 3.6 million members.
PostgreSQL answers ``LIKE '%…%'`` from a ``gin_trgm_ops`` index when the pattern has at least three
characters (a commune's search goes through the commune's members instead, see
``registry.selectors.household_search``). SQLite has no such index: nothing is done there.

Creating the extension needs a role allowed to (pg_trgm is a trusted extension since PostgreSQL 13:
the database owner may). The index is built without ``CONCURRENTLY`` (a migration runs in a
transaction): on 3.6 million members it took 15 s, during which members cannot be written.
"""

from __future__ import annotations

import django.db.models.functions.text
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

INDEX_NAME = "registry_member_name_trgm_idx"


def create_trigram_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON registry_member USING gin (full_name_search gin_trgm_ops)"
    )


def drop_trigram_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")  # the extension may serve others: kept


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_member_updated_event"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="household",
            index=models.Index(
                django.db.models.functions.text.Upper("code"), name="registry_hh_code_upper_idx"
            ),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
