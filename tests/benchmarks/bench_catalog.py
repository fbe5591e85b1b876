"""Storefront catalogue: 5,000 products in 50 categories beside 50 products (one per category).

Figures: SQL queries per request (in-process, the Django test client) and p50/p95 latency and
throughput through a real gunicorn. "ours" is the big catalogue, "baseline" the small one, so
the ratio shows how the cost grows with the catalogue (queries must not grow at all).
"""

from decimal import Decimal

from tests.benchmarks.common import Row, gunicorn_server, load

BIG = ("bench-catalog-big", 5000, 50)
SMALL = ("bench-catalog-small", 50, 50)
REQUESTS = 300
CONCURRENCY = 4


def _store_with_catalogue(slug: str, products: int, categories: int):
    from django.db import connection
    from django_tenants.utils import tenant_context

    from shared_apps.accounts.models import Seller
    from tenant_apps.catalog.models import Category, Product
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
                    )
                    for index in range(products)
                ),
                batch_size=1000,
            )
    connection.set_schema_to_public()
    return store


def _queries_per_request(host: str) -> tuple[int, int]:
    """(SQL statements, SELECTs) of one catalogue request, and check the answer is complete."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=host)
    client.get("/api/storefront/catalog")  # warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/storefront/catalog")
    assert response.status_code == 200
    connection.set_schema_to_public()
    selects = sum(1 for q in captured.captured_queries if q["sql"].startswith("SELECT"))
    return len(captured.captured_queries), selects


def run() -> list[Row]:
    from tenants.services import store_primary_host

    stores = {name: _store_with_catalogue(*spec) for name, spec in (("big", BIG), ("small", SMALL))}
    hosts = {name: store_primary_host(store.slug) for name, store in stores.items()}
    queries = {name: _queries_per_request(host) for name, host in hosts.items()}

    results = {}
    with gunicorn_server(workers=4) as port:
        for name, host in hosts.items():
            load(port=port, host=host, method="GET", path="/api/storefront/catalog",
                 total=20, concurrency=CONCURRENCY)  # fmt: skip
            results[name] = load(
                port=port,
                host=host,
                method="GET",
                path="/api/storefront/catalog",
                total=REQUESTS,
                concurrency=CONCURRENCY,
            )
            assert results[name].ok == REQUESTS, results[name].statuses
    big, small = results["big"], results["small"]
    note = f"{BIG[1]} vs {SMALL[1]} products"
    return [
        Row("SQL statements per catalogue request", queries["big"][0], queries["small"][0],
            note=note),
        Row("SELECT queries per catalogue request", queries["big"][1], queries["small"][1]),
        Row("catalogue p50 latency", big.percentile(50), small.percentile(50), "ms"),
        Row("catalogue p95 latency", big.percentile(95), small.percentile(95), "ms"),
        Row("catalogue throughput", big.per_second, small.per_second, "req/s",
            note=f"gunicorn 4 workers, {CONCURRENCY} clients"),
    ]  # fmt: skip
