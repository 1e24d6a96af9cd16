"""On PostgreSQL the throttle counters (config_throttlecounter) become an UNLOGGED table: no WAL
is written for them, so counting a request no longer waits for a WAL flush to disk at its commit
(every API request counts one). After a crash of the database server the table comes back
empty, which only forgives the requests of the current window; standbys do not get it, and
counters are read on the primary only. SQLite keeps its counters in a file of its own."""

from django.db import migrations

TABLE = "config_throttlecounter"


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET UNLOGGED")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("config", "0002_idempotency_fingerprint_hmac")]

    operations = [migrations.RunPython(unlogged, logged)]
