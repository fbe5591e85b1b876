"""A new store's schema is an exact copy of the migrated template."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tenants.cloning import schema_clone_supported
from tenants.services import store_create
from tests.support.stores import in_store


def catalog(schema: str) -> dict:
    """Columns, constraints and indexes (schema name taken out) and row counts."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('search_path', 'pg_catalog', true)")
        cursor.execute(
            # (Positions differ where the template has dropped columns; names and types may not.)
            """SELECT table_name, column_name, data_type, is_nullable,
                      column_default, is_identity, identity_generation
               FROM information_schema.columns WHERE table_schema = %s""",
            [schema],
        )
        columns = sorted(cursor.fetchall())
        cursor.execute(
            """SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid)
               FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s""",
            [schema],
        )
        constraints = sorted(cursor.fetchall())
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s",
            [schema],
        )
        indexes = sorted(cursor.fetchall())
        counts = {}
        for (table,) in {(c[0],) for c in columns}:
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('search_path', 'public', true)")
    text = repr((columns, constraints, indexes)).replace(f"{schema}.", "<schema>.")
    return {"structure": text, "rows": counts}


def test_new_store_schema_equals_the_template(db, seller_a):
    assert schema_clone_supported(source="store_template")

    store = store_create(owner=seller_a, name="Clone check")

    cloned, template = catalog(store.schema_name), catalog("store_template")
    assert cloned["structure"] == template["structure"]
    assert "FOREIGN KEY" in cloned["structure"]
    # The template's rows come along (the store's own set-up then adds its default widget site).
    copied = {table: n for table, n in template["rows"].items() if n}
    assert {"django_content_type", "django_migrations"} <= set(copied)
    assert {table: cloned["rows"][table] for table in copied} == copied
    assert cloned["rows"]["signups_widgetsite"] == 1


def test_cloned_store_has_nothing_left_to_migrate_and_takes_new_rows(db, seller_a):
    store = store_create(owner=seller_a, name="Clone migrate")

    with in_store(store):
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        copied = ContentType.objects.count()
        created = ContentType.objects.create(app_label="clone", model="check")

    assert plan == []
    assert copied > 0
    assert created.pk > copied
