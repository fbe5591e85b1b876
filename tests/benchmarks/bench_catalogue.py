"""The shop's first page and its API at 5,000 products beside 50, through a real gunicorn.

Both stores have the same shape (10 categories), one with 500 products in each and one with 5:
the first page shows each category's first products either way, so "ours" (5,000) should cost
what the baseline (50) costs. Figures: p50/p95 latency and throughput of the cached answers
(the goal: p95 within 1.3x), of a revalidation (If-None-Match, 304), and of the same answers
with the storefront cache off (a second gunicorn, tests/benchmarks/catalogue_settings.py), plus
the answers' sizes. A third pair shows the first page of 50 categories (5,000 vs 50 products):
it grows with the categories it shows, not with the products behind them.
"""

import http.client
from decimal import Decimal

from tests.benchmarks.common import Row, gunicorn_server, load, median_ms, p95_ms, timed

BIG = ("bench-front-big", 5000, 10)
SMALL = ("bench-front-small", 50, 10)
WIDE_BIG = ("bench-front-wide-big", 5000, 50)
WIDE_SMALL = ("bench-front-wide-small", 50, 50)
PATHS = {"first page": "/", "first-page API": "/api/storefront/front"}
REQUESTS = 150
ROUNDS = 6  # big and small take turns, so a slow moment of the machine hits both
IN_PROCESS_REPEAT = 300
CONCURRENCY = 4
# Persistent connections as in production (base.py); the test settings' 0 would measure
# PostgreSQL connects on the uncached side.
SERVER_ENV = {"TEST_DATABASE_CONN_MAX_AGE": "60"}


def _store_with_catalogue(slug: str, products: int, categories: int):
    from django.db import connection
    from django_tenants.utils import tenant_context

    from shared_apps.accounts.models import Seller
    from tenant_apps.catalog.models import Category, Product
    from tenant_apps.catalog.services import catalogue_changed
    from tenants.models import Store
    from tenants.services import store_create

    store = Store.objects.filter(slug=slug).first()
    if store is None:
        owner = Seller.objects.create_user(email=f"{slug}@bench.example.com")
        store = store_create(owner=owner, name=slug, slug=slug)
    with tenant_context(store):
        if Product.objects.filter(is_active=True).count() != products:
            Product.objects.all().delete()
            Category.objects.all().delete()
            made = Category.objects.bulk_create(
                Category(name=f"Category {index:02d}") for index in range(categories)
            )
            Product.objects.bulk_create(
                (
                    Product(
                        category=made[index % categories],
                        name=f"Product {index:05d}",
                        description="A fine thing for the bench, described in a sentence.",
                        mrp=Decimal("199.00"),
                        sale_price=Decimal("149.50"),
                        image=f"{store.schema_name}/products/{index:05d}.jpg",
                        stock=None if index % 7 else 0,
                    )
                    for index in range(products)
                ),
                batch_size=1000,
            )
        # bulk_create goes around the services: say so, as they would (outside a transaction
        # the bump is at once).
        catalogue_changed()
    connection.set_schema_to_public()
    return store


def _get(port: int, host: str, path: str, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": host, **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("ETag"), body


def _measure(port: int, hosts: dict, path: str, headers_for=None) -> dict:
    """Latencies of `path` on each host, ROUNDS turns of REQUESTS each, merged per host."""
    results = {}
    for name, host in hosts.items():  # warm: the first answer fills the cache
        load(port=port, host=host, method="GET", path=path, total=20, concurrency=CONCURRENCY,
             headers=headers_for(name) if headers_for else None)  # fmt: skip
    for _ in range(ROUNDS):
        for name, host in hosts.items():
            result = load(port=port, host=host, method="GET", path=path, total=REQUESTS,
                          concurrency=CONCURRENCY,
                          headers=headers_for(name) if headers_for else None)  # fmt: skip
            expected = 304 if headers_for else 200
            assert result.statuses == {expected: REQUESTS}, result.statuses
            if name in results:
                results[name].latencies += result.latencies
                results[name].requests += result.requests
                results[name].seconds += result.seconds
            else:
                results[name] = result
    return results


def _rows(label: str, results: dict, note: str = "") -> list[Row]:
    big, small = results["big"], results["small"]
    return [
        Row(f"{label} p50", big.percentile(50), small.percentile(50), "ms", note=note),
        Row(f"{label} p95", big.percentile(95), small.percentile(95), "ms"),
        Row(f"{label} throughput", big.per_second, small.per_second, "req/s"),
    ]


def _in_process(hosts: dict, path: str, *, cached: bool) -> list[Row]:
    """The same answers in this process (Django's test client): no HTTP, no load generator
    sharing the cores, so the steadiest view of what a request costs."""
    from django.db import connection
    from django.test import Client, override_settings

    samples = {}
    with override_settings(STOREFRONT_CACHE=cached):
        for name, host in hosts.items():
            client = Client(HTTP_HOST=host)
            assert client.get(path).status_code == 200  # warm
            samples[name] = timed(lambda: client.get(path), IN_PROCESS_REPEAT)  # noqa: B023
    connection.set_schema_to_public()
    label = f"{path} in-process {'cached' if cached else 'uncached'}"
    big, small = samples["big"], samples["small"]
    return [
        Row(f"{label} median", median_ms(big), median_ms(small), "ms"),
        Row(f"{label} p95", p95_ms(big), p95_ms(small), "ms"),
    ]


def run() -> list[Row]:
    from tenants.services import store_primary_host

    specs = {"big": BIG, "small": SMALL, "wide-big": WIDE_BIG, "wide-small": WIDE_SMALL}
    stores = {name: _store_with_catalogue(*spec) for name, spec in specs.items()}
    all_hosts = {name: store_primary_host(store.slug) for name, store in stores.items()}
    hosts = {name: all_hosts[name] for name in ("big", "small")}
    rows: list[Row] = []
    note = f"{BIG[1]} vs {SMALL[1]} products, {BIG[2]} categories"
    with gunicorn_server(workers=4, extra_env=SERVER_ENV) as port:
        for label, path in PATHS.items():
            sizes = {name: len(_get(port, host, path)[2]) for name, host in hosts.items()}
            rows.append(Row(f"{label} size", sizes["big"], sizes["small"], "bytes", note=note))
            rows += _rows(f"{label} cached", _measure(port, hosts, path))
        etags = {name: _get(port, host, "/")[1] for name, host in hosts.items()}
        revalidated = _measure(
            port, hosts, "/", headers_for=lambda name: {"If-None-Match": etags[name]}
        )
        rows += _rows("first page 304 (If-None-Match)", revalidated)
        wide = {"big": all_hosts["wide-big"], "small": all_hosts["wide-small"]}
        wide_sizes = {name: len(_get(port, host, "/")[2]) for name, host in wide.items()}
        rows.append(Row("first page size, 50 categories", wide_sizes["big"], wide_sizes["small"],
                        "bytes", note=f"{WIDE_BIG[1]} vs {WIDE_SMALL[1]} products"))  # fmt: skip
        rows += _rows("first page cached, 50 categories", _measure(port, wide, "/"))
    uncached_env = {**SERVER_ENV, "DJANGO_SETTINGS_MODULE": "tests.benchmarks.catalogue_settings"}
    with gunicorn_server(workers=4, extra_env=uncached_env) as port:
        for label, path in PATHS.items():
            rows += _rows(f"{label} uncached", _measure(port, hosts, path), note="cache off")
    for path in PATHS.values():
        rows += _in_process(hosts, path, cached=True) + _in_process(hosts, path, cached=False)
    return rows
