"""Spare schemas: a store from the pool is a fresh clone in all but name, and the pool never
makes provisioning fail."""

import psycopg2
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import override_settings
from django_celery_beat.models import PeriodicTask

from saas.tasks import QueuedTask
from tenants.pool import (
    FILL_TASK,
    POOL_TABLE,
    spare_schema_names,
    store_schema_pool_fill,
)
from tenants.services import PLATFORM_POOL_FILL_TASK_NAME, store_create
from tenants.tasks import store_schema_pool_fill_task
from tests.support.stores import in_store


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def schema_exists(schema: str) -> bool:
    return bool(_rows("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema]))


def structure(schema: str) -> dict:
    """Columns, constraints, indexes and sequences (positions included),
    and the applied migrations, with the schema's name taken out."""
    queries = {
        "columns": """SELECT table_name, column_name, data_type, is_nullable, column_default,
                             is_identity, identity_generation, character_maximum_length
                      FROM information_schema.columns WHERE table_schema = %s""",
        "constraints": """SELECT tc.table_name, tc.constraint_name, tc.constraint_type,
                                 pg_get_constraintdef(con.oid)
                          FROM information_schema.table_constraints tc
                          JOIN pg_namespace n ON n.nspname = tc.constraint_schema
                          JOIN pg_constraint con ON con.connamespace = n.oid
                           AND con.conname = tc.constraint_name
                          WHERE tc.constraint_schema = %s AND tc.constraint_type <> 'CHECK'""",
        "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s",
        # (information_schema.sequences leaves identity sequences out: pg_sequence has them.)
        "sequences": """SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart,
                               s.seqincrement, s.seqmax, s.seqcycle, pg_sequence_last_value(c.oid)
                        FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
                        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s""",
        "migrations": "SELECT app, name FROM {schema}.django_migrations",
    }
    result = {}
    for key, sql in queries.items():
        rows = _rows(sql.format(schema=connection.ops.quote_name(schema)), [schema])
        result[key] = repr(sorted(rows, key=repr)).replace(f"{schema}.", "<schema>.")
    return result


@pytest.fixture
def pool_full(db):
    """The session's spares, with the pool topped up inside this test's transaction."""
    store_schema_pool_fill()
    assert len(spare_schema_names()) == 4
    return spare_schema_names()


def test_a_store_from_the_pool_is_identical_to_a_fresh_clone(pool_full, seller_a):
    pooled = store_create(owner=seller_a, name="From pool")
    with override_settings(STORE_SCHEMA_POOL_SIZE=0):
        cloned = store_create(owner=seller_a, name="From clone")

    # The oldest spare became the store's schema; the cloned store took none.
    assert spare_schema_names() == pool_full[1:]
    assert not schema_exists(pool_full[0])
    assert schema_exists(pooled.schema_name) and schema_exists(cloned.schema_name)
    pooled_structure, cloned_structure = (
        structure(pooled.schema_name),
        structure(cloned.schema_name),
    )
    assert pooled_structure == cloned_structure
    assert pooled_structure == structure("store_template") | {
        "sequences": pooled_structure["sequences"]  # the store's set-up added a widget site
    }
    assert "FOREIGN KEY" in pooled_structure["constraints"]
    assert "signups_widgetsite_id_seq" in pooled_structure["sequences"]


def test_a_store_from_the_pool_shares_nothing_with_the_one_taken_before(pool_full, seller_a):
    first = store_create(owner=seller_a, name="First")
    with in_store(first):
        first_type = ContentType.objects.create(app_label="pool", model="first")
        first_count = ContentType.objects.count()

    second = store_create(owner=seller_a, name="Second")
    with in_store(second):
        assert not ContentType.objects.filter(app_label="pool").exists()
        second_type = ContentType.objects.create(app_label="pool", model="second")
        second_count = ContentType.objects.count()
    with in_store(first):
        third_type = ContentType.objects.create(app_label="pool", model="third")

    assert first.schema_name != second.schema_name
    assert second_count == first_count  # the template's rows, plus one of its own
    # Independent sequences: each store numbers from where the template stops.
    assert second_type.pk == first_type.pk
    assert third_type.pk == first_type.pk + 1


def test_a_spare_handed_back_by_a_rollback_starts_like_a_fresh_one(pool_full, seller_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        store = store_create(owner=seller_a, name="Rolled back")
        with in_store(store):
            gone = ContentType.objects.create(app_label="pool", model="gone")
        raise RuntimeError("roll back")

    assert spare_schema_names() == pool_full
    store = store_create(owner=seller_a, name="After rollback")
    with in_store(store):
        assert not ContentType.objects.filter(app_label="pool").exists()
        again = ContentType.objects.create(app_label="pool", model="again")
    # The sequence went back to the template's position (sequences ignore rollbacks).
    assert again.pk == gone.pk


def test_an_empty_pool_falls_back_to_cloning(db, seller_a):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {POOL_TABLE}")

    store = store_create(owner=seller_a, name="No spare")

    assert schema_exists(store.schema_name)
    assert structure(store.schema_name)["migrations"] == structure("store_template")["migrations"]


def test_a_spare_behind_the_template_is_not_taken_and_the_refill_replaces_it(pool_full, seller_a):
    stale = pool_full[0]
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{stale}".django_migrations WHERE app = %s', ["signups"])

    store = store_create(owner=seller_a, name="Not the stale one")

    assert spare_schema_names() == pool_full  # cloned instead; nothing was taken
    assert structure(store.schema_name)["migrations"] == structure("store_template")["migrations"]
    assert store_schema_pool_fill() == 1
    assert not schema_exists(stale)
    assert spare_schema_names()[:3] == pool_full[1:]
    assert len(spare_schema_names()) == 4


def test_a_spare_locked_by_another_taker_is_skipped(db, seller_a):
    # The committed spares of the session (topping up here would lock them in this
    # test's transaction).
    pool_full = spare_schema_names()
    assert len(pool_full) == 4
    database = connection.settings_dict
    other = psycopg2.connect(
        dbname=database["NAME"], host=database["HOST"], port=database["PORT"] or 5432,
        user=database["USER"], password=database["PASSWORD"],
    )  # fmt: skip
    try:
        with other.cursor() as cursor:  # another sign-up holds the oldest spare
            cursor.execute(f"SELECT schema_name FROM {POOL_TABLE} ORDER BY id LIMIT 1 FOR UPDATE")
            assert cursor.fetchone()[0] == pool_full[0]
            store = store_create(owner=seller_a, name="Second taker")
    finally:
        other.rollback()
        other.close()

    assert spare_schema_names() == [pool_full[0], *pool_full[2:]]
    assert not schema_exists(pool_full[1])
    assert schema_exists(store.schema_name)


def test_a_broken_pool_never_fails_provisioning(pool_full, seller_a):
    # A registered spare whose schema is gone: the take fails inside its savepoint.
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA "{pool_full[0]}" CASCADE')

    store = store_create(owner=seller_a, name="Despite the pool")

    assert schema_exists(store.schema_name)
    assert structure(store.schema_name)["migrations"] == structure("store_template")["migrations"]


def test_taking_a_spare_queues_a_refill_after_commit(
    pool_full, seller_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        store_create(owner=seller_a, name="Queues a refill")

    assert [c for c in callbacks if isinstance(c, QueuedTask)] == [QueuedTask(FILL_TASK)]


def test_the_refill_registers_lost_spares_and_tops_the_pool_up(pool_full):
    with connection.cursor() as cursor:  # a test flush truncates the table, not the schemas
        cursor.execute(f"DELETE FROM {POOL_TABLE}")

    with override_settings(STORE_SCHEMA_POOL_SIZE=5):
        created = store_schema_pool_fill_task()

    names = spare_schema_names()
    assert created == 1
    assert sorted(names[:4]) == sorted(pool_full)
    assert len(names) == 5 and all(schema_exists(name) for name in names)
    assert structure(names[4])["migrations"] == structure("store_template")["migrations"]


def test_the_platform_refills_the_pool_every_ten_minutes(db):
    task = PeriodicTask.objects.get(name=PLATFORM_POOL_FILL_TASK_NAME)

    assert task.task == FILL_TASK
    assert (task.crontab.minute, task.crontab.hour) == ("*/10", "*")
    assert task.headers == "{}"  # no store schema: it runs in the public schema
