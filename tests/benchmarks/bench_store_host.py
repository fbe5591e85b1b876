"""Store-host latency against the number of stores: `GET /api/store` with 1 store and 2,000.

Two databases copied from the benchmark database after one real store (the probe, made by
`store_create`, with an owner's API token) is in it: "one" keeps just that store, "many" gets
BENCH_STORE_HOST_STORES - 1 more. The extra stores are made at SQL level: the statements of
`tenants.cloning.schema_clone` are recorded once (not run) and replayed per schema over two
connections, with each store's row, primary domain and owner membership, so each schema holds
every table, index and constraint of a real store (a real catalog: ~180 relations per schema).

The two databases are served by a real gunicorn in turns (one, many, one, many, ...) with
persistent connections (CONN_MAX_AGE, as in production), so load from elsewhere on the machine
falls on both alike; p50/p95 are over all the turns' requests of a database. Both databases are
dropped at the end, so the benchmark database keeps nothing of this run.

Run alone: `python -m tests.benchmarks.bench_store_host` (BENCH_DATABASE names the database).
"""

import os
import re
import threading
import time

import psycopg2

from tests.benchmarks import common
from tests.benchmarks.common import LoadResult, Row, gunicorn_server, load

STORES = int(os.environ.get("BENCH_STORE_HOST_STORES", "2000"))
ROUNDS = int(os.environ.get("BENCH_STORE_HOST_ROUNDS", "4"))
REQUESTS = int(os.environ.get("BENCH_STORE_HOST_REQUESTS", "1000"))
WARMUP = 100
CONCURRENCY = 4
PROBE_SLUG = "hostbench-probe"
PLACEHOLDER = "hostbench_placeholder_schema"
# The catalog tables that 2,000 schemas grow; analyzed in both copies before measuring, as
# autovacuum would have done in a database that grew over months.
ANALYZED = [
    *(f"pg_catalog.{name}" for name in ("pg_class", "pg_attribute", "pg_index", "pg_constraint")),
    *(f"pg_catalog.{name}" for name in ("pg_namespace", "pg_depend", "pg_type", "pg_attrdef")),
    *(f"public.{name}" for name in ("tenants_store", "tenants_domain", "accounts_storemembership")),
]


def _server_url() -> str:
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0]


def _admin(sql: str) -> None:
    """Run `sql` outside a transaction on the server's `postgres` database."""
    conn = psycopg2.connect(_server_url() + "/postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def _database_copy(*, source: str, target: str) -> None:
    from django.db import connections

    connections.close_all()  # CREATE DATABASE ... TEMPLATE needs the source without sessions
    _admin(f'DROP DATABASE IF EXISTS "{target}"')
    for _attempt in range(20):
        try:
            _admin(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
            return
        except psycopg2.errors.ObjectInUse:
            time.sleep(0.5)  # another process of ours is still closing its connection
    raise RuntimeError(f"{source} is in use by another session; cannot copy it")


def clone_statements(*, source: str) -> list[str]:
    """The SQL that `schema_clone` runs to copy `source`, for a schema named PLACEHOLDER.

    Recorded through Django's execute wrapper: the template is read, nothing is created.
    """
    from django.db import connection, transaction

    from tenants.cloning import schema_clone

    recorded = []

    def record(execute, sql, params, many, context):
        if PLACEHOLDER not in sql:
            return execute(sql, params, many, context)  # schema_clone reading the template
        assert params is None or not params, sql
        recorded.append(sql)
        return None

    with connection.execute_wrapper(record), transaction.atomic():
        schema_clone(source=source, target=PLACEHOLDER)
    return recorded


def _schemas_create(*, url: str, names: list[str], script: str) -> None:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            for name in names:
                # One store per transaction, as provisioning does: a foreign key to a public
                # table locks that table until the commit, and the other connection waits.
                cursor.execute(script.replace(PLACEHOLDER, name))
                conn.commit()
    finally:
        conn.close()


def _stores_insert(*, url: str, count: int, owner_id: int) -> None:
    """The stores' rows (every field the model has, at its default), domains and owners."""
    from django.db import connections

    from shared_apps.accounts.models import StoreMembership
    from tenants.models import Domain, Store
    from tenants.services import store_primary_host

    alias = "hostbench"
    connections.settings[alias] = {**connections.settings["default"], "NAME": url.rsplit("/")[-1]}
    try:
        slugs = [f"hostbench-{n}" for n in range(1, count + 1)]
        stores = Store.objects.using(alias).bulk_create(
            [
                Store(schema_name=f"store_{slug.replace('-', '_')}", name=slug, slug=slug,
                      owner_id=owner_id)
                for slug in slugs
            ],
            batch_size=500,
        )  # fmt: skip
        Domain.objects.using(alias).bulk_create(
            [Domain(domain=store_primary_host(s.slug), tenant=s, is_primary=True) for s in stores],
            batch_size=500,
        )
        StoreMembership.objects.using(alias).bulk_create(
            [
                StoreMembership(store=s, seller_id=owner_id, role=StoreMembership.Role.OWNER)
                for s in stores
            ],
            batch_size=500,
        )
    finally:
        connections[alias].close()
        del connections.settings[alias]


def stores_bulk_create(*, url: str, count: int, owner_id: int) -> float:
    """`count` stores in the database at `url`, made from the template's recorded clone SQL.

    Returns the seconds it took.
    """
    from django.conf import settings

    started = time.perf_counter()
    script = ";\n".join(clone_statements(source=settings.TENANT_BASE_SCHEMA))
    names = [f"store_hostbench_{n}" for n in range(1, count + 1)]
    halves = [names[0::2], names[1::2]]  # two connections: the machine has two cores
    threads = [
        threading.Thread(
            target=_schemas_create, kwargs={"url": url, "names": half, "script": script}
        )
        for half in halves
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _stores_insert(url=url, count=count, owner_id=owner_id)
    return time.perf_counter() - started


def _analyze(url: str) -> None:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE " + ", ".join(ANALYZED))
    finally:
        conn.close()


def _counts(url: str) -> tuple[int, int]:
    """(stores, schemas) in the database at `url`; stores count the platform and template."""
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM tenants_store")
            (stores,) = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'store\\_%'")
            (schemas,) = cursor.fetchone()
    finally:
        conn.close()
    return stores, schemas


def _turn(*, url: str, host: str, key: str, persistent: bool) -> LoadResult:
    """One gunicorn on database `url`: warm its connections, then measure.

    Not `persistent`: a new database connection per request (CONN_MAX_AGE=0), so every
    request pays for a new backend loading the catalog entries it needs.
    """
    extra_env = {"DATABASE_URL": url, "TEST_DATABASE_CONN_MAX_AGE": "60" if persistent else "0"}
    headers = {"X-API-Token": key}
    total = REQUESTS if persistent else REQUESTS // 4
    with gunicorn_server(workers=2, extra_env=extra_env) as port:
        arguments = {"port": port, "host": host, "method": "GET", "path": "/api/store"}
        load(**arguments, total=WARMUP, concurrency=CONCURRENCY, headers=headers)
        result = load(**arguments, total=total, concurrency=CONCURRENCY, headers=headers)
    assert result.ok == total, result.statuses
    return result


def latencies_in_turns(
    *, urls: dict, host: str, key: str, persistent: bool = True
) -> dict[str, LoadResult]:
    """Every database of `urls` served ROUNDS times in turns; the requests pooled per name."""
    pooled = {name: LoadResult(0, {}, 0.0, []) for name in urls}
    for _ in range(ROUNDS):
        for name, url in urls.items():
            result = _turn(url=url, host=host, key=key, persistent=persistent)
            total = pooled[name]
            total.requests += result.requests
            total.seconds += result.seconds
            total.latencies.extend(result.latencies)
            for status, n in result.statuses.items():
                total.statuses[status] = total.statuses.get(status, 0) + n
    return pooled


def _probe_create():
    """The probe store (a real `store_create`) and an API token of its owner."""
    from shared_apps.accounts.models import Seller
    from shared_apps.accounts.services import api_token_create
    from tenants.models import Store
    from tenants.services import store_create, store_delete

    for leftover in Store.objects.filter(slug__startswith="hostbench-"):
        store_delete(store=leftover)
    owner, _ = Seller.objects.get_or_create(mobile="+919855500021")
    bulk_owner, _ = Seller.objects.get_or_create(mobile="+919855500022")
    token, key = api_token_create(seller=owner, name="hostbench")
    probe = store_create(owner=owner, name="Host bench probe", slug=PROBE_SLUG)
    return probe, token, key, bulk_owner


def run() -> list[Row]:
    from django.db import connection

    from tenants.services import store_delete

    probe, token, key, bulk_owner = _probe_create()
    host = probe.get_primary_domain().domain
    source = connection.settings_dict["NAME"]
    names = {"one": f"{source}_hostbench_one", "many": f"{source}_hostbench_many"}
    urls = {name: f"{_server_url()}/{database}" for name, database in names.items()}
    try:
        for database in names.values():
            _database_copy(source=source, target=database)
        made = stores_bulk_create(url=urls["many"], count=STORES - 1, owner_id=bulk_owner.pk)
        for url in urls.values():
            _analyze(url)
        counts = {name: _counts(url) for name, url in urls.items()}
        results = latencies_in_turns(urls=urls, host=host, key=key)
        cold = latencies_in_turns(urls=urls, host=host, key=key, persistent=False)
    finally:
        for database in names.values():
            _admin(f'DROP DATABASE IF EXISTS "{database}"')
        store_delete(store=probe)
        token.delete()
    many, one = counts["many"][1], counts["one"][1]  # schemas: the template and the stores
    note = f"{many - 1} stores made in {made:.0f} s; {ROUNDS} turns x {REQUESTS} requests each"
    return [
        Row(f"GET /api/store p50: {many - 1} stores vs {one - 1}",
            results["many"].percentile(50), results["one"].percentile(50), unit="ms", note=note),
        Row(f"GET /api/store p95: {many - 1} stores vs {one - 1}",
            results["many"].percentile(95), results["one"].percentile(95), unit="ms"),
        Row("GET /api/store req/s (4 clients, 2 workers)",
            results["many"].per_second, results["one"].per_second),
        Row("GET /api/store p50, a new connection per request", cold["many"].percentile(50),
            cold["one"].percentile(50), unit="ms"),
        Row("GET /api/store p95, a new connection per request", cold["many"].percentile(95),
            cold["one"].percentile(95), unit="ms"),
    ]  # fmt: skip


def _database_name_checked(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"BENCH_DATABASE must be a plain lower-case name, not {name!r}")
    return name


if __name__ == "__main__":
    common.BENCH_DATABASE = _database_name_checked(
        os.environ.get("BENCH_DATABASE", common.BENCH_DATABASE)
    )
    common.django_setup()
    common.print_table("bench_store_host", run())
