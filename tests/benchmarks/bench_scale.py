"""How cost grows with the number of stores.

* `migrate_schemas --tenant` over 200 stores: the standard executor against the
  multiprocessing one (nothing to apply, so this is the fixed per-schema cost).
* Request latency on one store host with 1 store against 1,000 stores in the database:
  the tenant lookup is one indexed query, so it should be flat.

The stores made here are removed at the start of the next run (removing 1,000 schemas takes a
while, and the figures are printed first).
"""

import os
import subprocess
import sys
import time

from tests.benchmarks.common import ROOT, Row, gunicorn_server, load

MIGRATE_STORES = int(os.environ.get("BENCH_SCALE_MIGRATE_STORES", "200"))
MANY_STORES = int(os.environ.get("BENCH_SCALE_STORES", "1000"))
REQUESTS = 2000


def _stores_create(count: int, prefix: str, owner) -> list:
    from tenants.services import store_create

    return [
        store_create(owner=owner, name=f"{prefix} {n} {time.time_ns()}", slug=f"{prefix}-{n}")
        for n in range(count)
    ]


def _migrate_seconds(executor: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "--tenant", f"--executor={executor}",
         "-v", "0"],
        cwd=ROOT, env={**os.environ, "TENANT_MULTIPROCESSING_MAX_PROCESSES": "2"}, check=True,
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


def run() -> list[Row]:
    from shared_apps.accounts.models import Seller
    from shared_apps.accounts.services import api_token_create
    from tenants.models import Store
    from tenants.services import store_delete

    owner, _ = Seller.objects.get_or_create(mobile="+919855500001")
    key = api_token_create(seller=owner, name="bench")[1]
    for leftover in Store.objects.filter(slug__startswith="scale-"):
        store_delete(store=leftover)
    probe = _stores_create(1, "scale-probe", owner)[0]
    baseline_count = Store.objects.count()
    one_p50, one_p95 = _store_latency(probe, key)

    _stores_create(MIGRATE_STORES, "scale-m", owner)
    tenants = Store.objects.count() - 1
    standard = _migrate_seconds("standard")
    multiprocessing = _migrate_seconds("multiprocessing")

    _stores_create(MANY_STORES - MIGRATE_STORES - 1, "scale-l", owner)
    many = Store.objects.count()
    many_p50, many_p95 = _store_latency(probe, key)

    return [
        Row(f"migrate_schemas --tenant, {tenants} schemas: multiprocessing vs standard",
            multiprocessing, standard, unit="s"),
        Row(f"GET /api/store p50: {many} stores vs {baseline_count} (1 store + platform)",
            many_p50, one_p50, unit="ms"),
        Row(f"GET /api/store p95: {many} stores vs {baseline_count}", many_p95, one_p95, unit="ms"),
    ]  # fmt: skip
