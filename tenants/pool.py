"""A small pool of spare store schemas, cloned from the template ahead of time.

`store_create` takes one by renaming it (`ALTER SCHEMA ... RENAME`) inside the provisioning
transaction, so a new store costs a few catalog updates instead of a clone (~0.2 s). Rules:

* Takers lock a row of the public table `tenants_spareschema` with `FOR UPDATE SKIP LOCKED`,
  so concurrent sign-ups never wait for each other or get the same schema.
* A spare is taken only when its applied migrations are exactly the template's; otherwise (a
  migration run is between the template and the pool) the store is cloned as before.
* Anything going wrong with the pool falls back to cloning: provisioning never fails on it.
* `store_schema_pool_fill` (Celery task `tenants.tasks.store_schema_pool_fill_task`, queued
  after every take and run by a platform schedule) tops the pool up to
  `STORE_SCHEMA_POOL_SIZE`, replaces spares that no longer match the template and re-registers
  spare schemas whose rows were lost (a test flush truncates the table, not the schemas).

This module speaks SQL only (no model import), so `tenants.models` can call it.
"""

import logging
import uuid

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from saas.tasks import enqueue_on_commit

from .cloning import schema_clone, schema_clone_supported

logger = logging.getLogger(__name__)

POOL_TABLE = "public.tenants_spareschema"
SPARE_PREFIX = "spare_"
FILL_TASK = "tenants.tasks.store_schema_pool_fill_task"
# One filler at a time (session-level advisory lock; any constant unique to this use).
FILL_LOCK_KEY = 720_021_202


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def spare_schema_names() -> list[str]:
    """The spare schemas, oldest first (the migration executor migrates them after the
    template and before the stores)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT schema_name FROM {POOL_TABLE} ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def schema_matches_template(cursor, schema: str) -> bool:
    """Both schemas have exactly the same applied migrations (one query)."""
    template, spare = _quote(settings.TENANT_BASE_SCHEMA), _quote(schema)
    cursor.execute(
        f"""SELECT NOT EXISTS (
              (SELECT app, name FROM {template}.django_migrations
               EXCEPT SELECT app, name FROM {spare}.django_migrations)
              UNION ALL
              (SELECT app, name FROM {spare}.django_migrations
               EXCEPT SELECT app, name FROM {template}.django_migrations))"""
    )
    return cursor.fetchone()[0]


# Every sequence of the spare back to where the template's stands, as in a fresh clone. In
# production a spare was never used, so this changes nothing; a rolled-back transaction
# (a test) leaves rows out but sequences advanced, since sequences are not transactional.
SEQUENCES_RESET = """
SELECT count(setval(sc.oid, coalesce(pg_sequence_last_value(tc.oid), seq.seqstart),
                    pg_sequence_last_value(tc.oid) IS NOT NULL))
FROM pg_class sc
JOIN pg_namespace sn ON sn.oid = sc.relnamespace AND sn.nspname = %s
JOIN pg_sequence seq ON seq.seqrelid = sc.oid
JOIN pg_namespace tn ON tn.nspname = %s
JOIN pg_class tc ON tc.relnamespace = tn.oid AND tc.relname = sc.relname AND tc.relkind = 'S'
WHERE sc.relkind = 'S'
"""


def spare_schema_take(*, target: str) -> bool:
    """Rename a spare schema to `target` in the current transaction; False when there is
    none ready (the caller clones instead). Queues a refill either way."""
    if not settings.STORE_SCHEMA_POOL_SIZE:
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:  # a savepoint
            cursor.execute(
                f"SELECT id, schema_name FROM {POOL_TABLE} ORDER BY id LIMIT 1 "
                "FOR UPDATE SKIP LOCKED"
            )
            row = cursor.fetchone()
            if row is None or not schema_matches_template(cursor, row[1]):
                taken = False
            else:
                spare_id, spare = row
                cursor.execute(f"DELETE FROM {POOL_TABLE} WHERE id = %s", [spare_id])
                cursor.execute(SEQUENCES_RESET, [spare, settings.TENANT_BASE_SCHEMA])
                cursor.execute(f"ALTER SCHEMA {_quote(spare)} RENAME TO {_quote(target)}")
                taken = True
    except DatabaseError as error:
        logger.warning("spare schema pool unusable, cloning %s instead: %s", target, error)
        taken = False
    enqueue_on_commit(FILL_TASK)
    return taken


def _orphans_register(cursor) -> None:
    cursor.execute(
        f"""INSERT INTO {POOL_TABLE} (schema_name, created_at)
            SELECT nspname, now() FROM pg_namespace
            WHERE nspname LIKE %s
              AND nspname NOT IN (SELECT schema_name FROM {POOL_TABLE})
            ORDER BY nspname""",
        [SPARE_PREFIX.replace("_", r"\_") + "%"],
    )


def _stale_drop() -> int:
    """Drop the spares whose migrations differ from the template's (one at a time, skipping
    any that a taker or the migration executor holds)."""
    dropped, last_id = 0, 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, schema_name FROM {POOL_TABLE} WHERE id > %s ORDER BY id LIMIT 1 "
                "FOR UPDATE SKIP LOCKED",
                [last_id],
            )
            row = cursor.fetchone()
            if row is None:
                return dropped
            last_id, schema = row
            if not schema_matches_template(cursor, schema):
                cursor.execute(f"DROP SCHEMA {_quote(schema)} CASCADE")
                cursor.execute(f"DELETE FROM {POOL_TABLE} WHERE id = %s", [last_id])
                dropped += 1


def _spare_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {POOL_TABLE}")
        return cursor.fetchone()[0]


def spare_schema_create() -> str:
    """Clone the template into a new spare schema and register it (one transaction)."""
    name = f"{SPARE_PREFIX}{uuid.uuid4().hex[:16]}"
    with transaction.atomic():
        schema_clone(source=settings.TENANT_BASE_SCHEMA, target=name)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {POOL_TABLE} (schema_name, created_at) VALUES (%s, now())", [name]
            )
    return name


def store_schema_pool_fill(*, size: int | None = None) -> int:
    """Top the pool up to `size` (default STORE_SCHEMA_POOL_SIZE) spares that match the
    template; returns how many were created. Idempotent; a second filler running at the same
    time returns 0 at once."""
    size = settings.STORE_SCHEMA_POOL_SIZE if size is None else size
    template = settings.TENANT_BASE_SCHEMA
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [FILL_LOCK_KEY])
        if not cursor.fetchone()[0]:
            return 0
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [template])
            if cursor.fetchone() is None or not schema_clone_supported(source=template):
                return 0
            _orphans_register(cursor)
        _stale_drop()
        created = 0
        while _spare_count() < size:
            spare_schema_create()
            created += 1
        return created
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [FILL_LOCK_KEY])
