"""`migrate_schemas` with the catalog executor: stores at different states end up exactly
as migrated as the template; stores with nothing to apply are not visited."""

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.migration_executors.standard import StandardExecutor

from tenants.migration_executor import CatalogExecutor, migration_executor_get
from tenants.pool import spare_schema_names, store_schema_pool_fill
from tests.tenants.test_pool import structure


def content_types(schema: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app_label, model FROM "{schema}".django_content_type ORDER BY 1, 2')
        return cursor.fetchall()


def migrate_back(schema: str, app_label: str, target: str) -> None:
    """Unapply migrations for real in one schema (Django's standard path)."""
    call_command(
        "migrate_schemas", app_label, target, schema_name=schema, executor="standard",
        interactive=False, verbosity=0,
    )  # fmt: skip


def test_migrate_schemas_uses_the_catalog_executor_unless_told_otherwise():
    assert migration_executor_get() is CatalogExecutor
    assert migration_executor_get("standard") is StandardExecutor


@pytest.mark.django_db(transaction=True)
def test_stores_at_different_states_are_migrated_to_the_template(make_store, capsys):
    up_to_date = make_store("Up to date").schema_name
    one_behind = make_store("One behind").schema_name
    one_behind_too = make_store("One behind too").schema_name
    several_behind = make_store("Several behind").schema_name
    store_schema_pool_fill()
    spare = spare_schema_names()[0]
    migrate_back(one_behind, "signups", "0001")
    migrate_back(one_behind_too, "signups", "0001")
    migrate_back(several_behind, "conversations", "0001")
    migrate_back(several_behind, "orders", "0001")
    migrate_back(spare, "traffic", "0001")
    template = {**structure("store_template"), "types": content_types("store_template")}
    assert structure(one_behind)["migrations"] != template["migrations"]
    capsys.readouterr()

    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=1)

    output = capsys.readouterr().out
    assert " 4 behind " in output
    # The first schema of a group migrates through Django, the next replays its statements.
    assert f"[catalog:{one_behind}] Applied signups.0002_refused_origins\n" in output
    assert f"[catalog:{one_behind_too}] Applied signups.0002_refused_origins (replayed)" in output
    assert f"[catalog:{spare}] Applied traffic.0002_share_token" in output
    assert f"[catalog:{up_to_date}]" not in output
    for schema in (up_to_date, one_behind, one_behind_too, several_behind, spare):
        migrated = {**structure(schema), "types": content_types(schema)}
        for key in ("columns", "constraints", "indexes", "migrations", "types"):
            assert migrated[key] == template[key], (schema, key)

    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=1)
    assert " 0 behind " in capsys.readouterr().out
