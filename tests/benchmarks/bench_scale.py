"""How cost grows with the number of stores.

* `migrate_schemas --tenant` over BENCH_SCALE_MIGRATE_STORES (2,000) stores, our catalog
  executor (tenants/migration_executor.py) against django-tenants' standard one, and the
  multiprocessing one for reference:
  - nothing to apply (the fixed per-schema cost); goal: ours <= 1/20 of standard;
  - one new additive tenant migration applied to every store; goal: ours <= 1/4 of standard.
    Each executor gets a migration of its own of the same shape (tests/benchmarks/scale_apps/:
    a new table with an index, in an app that tests/benchmarks/scale_settings.py installs).
* Request latency on one store host with 1 store against all of them in the database:
  the tenant lookup is one indexed query, so it should be flat.

The stores are made at SQL level (the template's clone statements, one round trip a store,
and bulk-created Store rows), which takes a few minutes for 2,000. They and the benchmark
apps' tables are removed at the start of the next run (removing 2,000 schemas takes a while,
and the figures are printed first).
"""

import os
import subprocess
import sys
import time

from tests.benchmarks.common import ROOT, Row, gunicorn_server, load

MIGRATE_STORES = int(os.environ.get("BENCH_SCALE_MIGRATE_STORES", "2000"))
WITH_MULTIPROCESSING = os.environ.get("BENCH_SCALE_MULTIPROCESSING", "1") == "1"
# Keep the stores of the previous run when there are as many (the migration figures only).
REUSE = os.environ.get("BENCH_SCALE_REUSE", "0") == "1"
REQUESTS = 2000
PREFIX = "scale-"
BENCH_APPS = ("bench_scale_ours", "bench_scale_baseline")


def _stores_create(count: int, prefix: str, owner) -> list:
    from tenants.services import store_create

    return [
        store_create(owner=owner, name=f"{prefix} {n} {time.time_ns()}", slug=f"{prefix}-{n}")
        for n in range(count)
    ]


def _stores_clone(count: int, prefix: str) -> None:
    """`count` stores cloned from the template at SQL level (no domains, no schedules)."""
    from django.conf import settings
    from django.db import connection

    from tenants.cloning import schema_clone_plan, schema_clone_statements
    from tenants.models import Store

    template = settings.TENANT_BASE_SCHEMA
    plan = schema_clone_plan(source=template)
    stores = []
    with connection.cursor() as cursor:
        for number in range(count):
            slug = f"{prefix}-{number}"
            schema = "store_" + slug.replace("-", "_")
            cursor.execute(";\n".join(schema_clone_statements(plan, template, schema)))
            stores.append(Store(schema_name=schema, name=slug, slug=slug))
    Store.objects.bulk_create(stores, batch_size=500)


def _leftovers_remove() -> None:
    from django.conf import settings
    from django.db import connection

    from tenants.models import Domain, Store
    from tenants.pool import spare_schema_names

    leftovers = list(Store.objects.filter(slug__startswith=PREFIX))
    with connection.cursor() as cursor:
        for store in leftovers:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{store.schema_name}" CASCADE')
        # The benchmark apps' tables in the template and the spares (the stores are gone).
        for schema in [settings.TENANT_BASE_SCHEMA, *spare_schema_names()]:
            for app in BENCH_APPS:
                cursor.execute(f'DROP TABLE IF EXISTS "{schema}"."{app}_benchnote"')
                cursor.execute(f'DELETE FROM "{schema}".django_migrations WHERE app = %s', [app])
                cursor.execute(
                    f'DELETE FROM "{schema}".django_content_type WHERE app_label = %s', [app]
                )
    Domain.objects.filter(tenant__in=leftovers).delete()
    Store.objects.filter(pk__in=[store.pk for store in leftovers]).delete()


def _migrate_seconds(executor: str, bench_apps: str = "") -> float:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.scale_settings",
        "BENCH_SCALE_APPS": bench_apps,
    }
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "--tenant", f"--executor={executor}",
         "-v", "0"],
        cwd=ROOT, env=environment, check=True,
    )  # fmt: skip
    return time.perf_counter() - started


def _store_latency(store, key: str) -> tuple[float, float]:
    # Persistent connections, as in production: a new connection per request would also pay
    # for loading PostgreSQL's catalog caches, which grow with the number of schemas.
    with gunicorn_server(workers=2, extra_env={"TEST_DATABASE_CONN_MAX_AGE": "60"}) as port:
        host = store.get_primary_domain().domain
        # warm up connections and caches
        load(port=port, host=host, method="GET", path="/api/store", total=50, concurrency=4,
             headers={"X-API-Token": key})  # fmt: skip
        result = load(port=port, host=host, method="GET", path="/api/store", total=REQUESTS,
                      concurrency=4, headers={"X-API-Token": key})  # fmt: skip
    assert result.ok == REQUESTS, result.statuses
    return result.percentile(50), result.percentile(95)


def _migration_rows(schemas: int) -> list[Row]:
    started = time.perf_counter()
    ours_idle = _migrate_seconds("catalog")
    standard_idle = _migrate_seconds("standard")
    multi_idle = _migrate_seconds("multiprocessing") if WITH_MULTIPROCESSING else 0.0
    ours_apply = _migrate_seconds("catalog", "ours")
    standard_apply = _migrate_seconds("standard", "ours,baseline")
    print(f"bench_scale: migration figures took {time.perf_counter() - started:.0f} s")
    rows = [
        Row(f"migrate_schemas --tenant, {schemas} schemas, nothing to apply: catalog vs standard",
            ours_idle, standard_idle, unit="s", note="goal <= 0.05"),
        Row(f"migrate_schemas --tenant, {schemas} schemas, one new migration: catalog vs standard",
            ours_apply, standard_apply, unit="s", note="goal <= 0.25"),
    ]  # fmt: skip
    if WITH_MULTIPROCESSING:
        rows.append(
            Row(f"migrate_schemas --tenant, {schemas} schemas, nothing to apply: catalog vs "
                "multiprocessing (2 processes)", ours_idle, multi_idle, unit="s")
        )  # fmt: skip
    return rows


def run() -> list[Row]:
    from shared_apps.accounts.models import Seller
    from shared_apps.accounts.services import api_token_create
    from tenants.models import Store

    owner, _ = Seller.objects.get_or_create(mobile="+919855500001")
    key = api_token_create(seller=owner, name="bench")[1]
    made = Store.objects.filter(slug__startswith=f"{PREFIX}m-").count()
    reuse = REUSE and made == MIGRATE_STORES
    if not reuse:
        _leftovers_remove()
        _stores_create(1, f"{PREFIX}probe", owner)
    probe = Store.objects.get(slug=f"{PREFIX}probe-0")
    baseline_count = Store.objects.count() - (made if reuse else 0)
    one_p50, one_p95 = (0.0, 0.0) if reuse else _store_latency(probe, key)

    if not reuse:
        started = time.perf_counter()
        _stores_clone(MIGRATE_STORES, f"{PREFIX}m")
        seconds = time.perf_counter() - started
        print(f"bench_scale: {MIGRATE_STORES} stores cloned in {seconds:.0f} s")
    # Catch up first (not timed), in case a migration landed since the set-up.
    _migrate_seconds("catalog")
    schemas = Store.objects.count() - 1
    rows = _migration_rows(schemas)
    if reuse:  # the 1-store latency needs a fresh run
        return rows

    many = Store.objects.count()
    many_p50, many_p95 = _store_latency(probe, key)
    return [
        *rows,
        Row(f"GET /api/store p50: {many} stores vs {baseline_count} (1 store + platform)",
            many_p50, one_p50, unit="ms"),
        Row(f"GET /api/store p95: {many} stores vs {baseline_count}", many_p95, one_p95, unit="ms"),
    ]  # fmt: skip
