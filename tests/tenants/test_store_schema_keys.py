"""No store schema holds a database key to a public table: each such key would put triggers on
the public table, one pair per store, which every database connection loads (store-host
latency would grow with the number of stores). References to sellers are plain columns."""

from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.db import connection

from tenants.models import SpareSchema
from tests.support.stores import in_store

KEYS_INTO_PUBLIC = """
    SELECT n.nspname, c.relname, con.conname
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_class referenced ON referenced.oid = con.confrelid
    JOIN pg_namespace referenced_schema ON referenced_schema.oid = referenced.relnamespace
    WHERE con.contype = 'f' AND n.nspname = ANY(%s) AND referenced_schema.nspname = 'public'
"""

TRIGGERS_ON_SELLERS = """
    SELECT count(*) FROM pg_trigger
    WHERE tgrelid = 'public.accounts_seller'::regclass AND tgisinternal
"""


def _fetch(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_template_spare_and_store_schemas_hold_no_key_into_public(make_store):
    triggers_before = _fetch(TRIGGERS_ON_SELLERS)[0][0]
    store = make_store("Keys")
    spare_schemas = list(SpareSchema.objects.values_list("schema_name", flat=True))
    schemas = [settings.TENANT_BASE_SCHEMA, store.schema_name, *spare_schemas]

    assert _fetch(KEYS_INTO_PUBLIC, [schemas]) == []
    # A new store adds no trigger to the sellers' table.
    assert _fetch(TRIGGERS_ON_SELLERS)[0][0] == triggers_before
    # The public admin log keeps its key to the sellers.
    assert _fetch(KEYS_INTO_PUBLIC.replace("ANY(%s)", "'public'") + " AND c.relname = %s",
                  ["django_admin_log"])  # fmt: skip


def test_the_store_admin_still_logs_with_its_seller(make_store):
    store = make_store("Admin log")
    with in_store(store):
        LogEntry.objects.create(
            user_id=store.owner.id, object_id="1", object_repr="Tea", action_flag=ADDITION
        )
        entry = LogEntry.objects.get()
        assert (entry.user, entry.object_repr) == (store.owner, "Tea")
