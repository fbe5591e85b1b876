"""Stock at order placing: orders per second on one hot product whose stock is tracked, beside
the same product untracked, through a real gunicorn, in one run.

Every order is `POST /api/orders` for a cart of 1 unit of the hot product (carts are made
beforehand, in-process; each order has its own address, so the only row all orders want is the
product's). "ours" is the product with stock tracked (its row locked, checked and decremented
in the order's transaction), "baseline" the same product with stock = null (the row is still
locked: prices are read under the lock either way). The two run in ROUNDS interleaved rounds
(their order swapped each round) so a drift of the shared machine weighs on both; each tracked
round starts with exactly as many units as orders, so every order is placed and the stock
ends at 0.

A sold-out burst follows: SALE_UNITS units, SALE_ORDERS concurrent orders. Units oversold =
units in the orders of the product minus the units it was given (must be 0), and the final
stock must equal what was given minus what was ordered.

Run alone: `python -m tests.benchmarks bench_stock` (BENCH_DATABASE names the database).
"""

import json
import os

from tests.benchmarks.common import LoadResult, Row, gunicorn_server, load

SLUG = "bench-stock"
REQUESTS = int(os.environ.get("BENCH_STOCK_REQUESTS", "300"))
WARMUP = 30
SALE_UNITS = 40
SALE_ORDERS = 120
CONCURRENCY = 8
ROUNDS = 3
WORKERS = 4


def _bench_store():
    from django.db import connection
    from django_tenants.utils import tenant_context

    from shared_apps.accounts.models import Seller
    from tenant_apps.catalog.models import Category, Product
    from tenant_apps.orders.authentication import customer_token_pair
    from tenant_apps.orders.models import Address, Cart, Customer, Order
    from tenants.models import Store
    from tenants.services import store_create

    store = Store.objects.filter(slug=SLUG).first()
    if store is None:
        owner = Seller.objects.create_user(email=f"{SLUG}@bench.example.com")
        store = store_create(owner=owner, name=SLUG, slug=SLUG)
    with tenant_context(store):
        # A run starts from an empty shop: orders point at products and buyers (PROTECT).
        Order.objects.all().delete()
        Cart.objects.all().delete()
        Address.objects.all().delete()
        Product.objects.all().delete()
        category, _ = Category.objects.get_or_create(name="Hot")
        product = Product.objects.create(
            category=category, name="Hot sauce", mrp="120.00", sale_price="99.00"
        )
        buyer, _ = Customer.objects.get_or_create(mobile="+919800001234")
        access = customer_token_pair(customer=buyer, schema_name=store.schema_name)["access"]
    connection.set_schema_to_public()
    return store, product, access


def _carts(store, product, count: int) -> list[str]:
    """`count` carts of 1 unit of the product; their tokens."""
    from django.db import connection
    from django_tenants.utils import tenant_context

    from tenant_apps.orders.services import cart_create, cart_line_set

    tokens = []
    with tenant_context(store):
        for _ in range(count):
            cart = cart_create()
            cart_line_set(cart=cart, product_id=product.pk, quantity=1)
            tokens.append(cart.token)
    connection.set_schema_to_public()
    return tokens


def _stock_set(store, product, stock: int | None) -> None:
    from django.db import connection
    from django_tenants.utils import tenant_context

    from tenant_apps.catalog.models import Product

    with tenant_context(store):
        Product.objects.filter(pk=product.pk).update(stock=stock)
    connection.set_schema_to_public()


def _orders(*, port, host, access, tokens, tag: str) -> LoadResult:
    def body(index: int) -> bytes:
        address = {"line1": f"{tag} {index} Road", "city": "Pune", "pincode": "411001",
                   "phone": "9811111111"}  # fmt: skip
        return json.dumps({"cart_token": tokens[index], "address": address}).encode()

    return load(
        port=port, host=host, method="POST", path="/api/orders", total=len(tokens),
        concurrency=CONCURRENCY, body_for=body,
        headers={"Authorization": f"Bearer {access}", "Content-Type": "application/json"},
    )  # fmt: skip


def _units(store, product) -> tuple[int, int | None]:
    """(units in the product's orders, the product's stock now)."""
    from django.db import connection
    from django.db.models import Sum
    from django_tenants.utils import tenant_context

    from tenant_apps.catalog.models import Product
    from tenant_apps.orders.models import OrderLine

    with tenant_context(store):
        ordered = OrderLine.objects.filter(product=product).aggregate(n=Sum("quantity"))["n"]
        stock = Product.objects.get(pk=product.pk).stock
    connection.set_schema_to_public()
    return ordered or 0, stock


def _merged(results: list[LoadResult]) -> LoadResult:
    statuses: dict = {}
    for result in results:
        for status, count in result.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    return LoadResult(
        requests=sum(r.requests for r in results),
        statuses=statuses,
        seconds=sum(r.seconds for r in results),
        latencies=[latency for r in results for latency in r.latencies],
    )


def _rounds(*, port, host, store, product, access, carts) -> tuple[dict, int]:
    """ROUNDS rounds of each mode, interleaved (and their order swapped every round) so a
    drift of the shared machine weighs on both. Returns the results and the units the
    tracked rounds took (each tracked round is given exactly its orders' units)."""
    per_round = REQUESTS // ROUNDS
    results: dict = {"tracked": [], "untracked": []}
    taken = 0
    for number in range(ROUNDS):
        modes = ("tracked", "untracked") if number % 2 == 0 else ("untracked", "tracked")
        for mode in modes:
            tokens = carts[mode][number * per_round : (number + 1) * per_round]
            _stock_set(store, product, per_round if mode == "tracked" else None)
            before, _ = _units(store, product)
            results[mode].append(
                _orders(port=port, host=host, access=access, tokens=tokens, tag=f"{mode}{number}")
            )
            after, stock = _units(store, product)
            if mode == "tracked":
                # Exactly what was given minus what was ordered is left: 0.
                assert stock == per_round - (after - before) == 0, (stock, after - before)
                taken += after - before
    return {mode: _merged(runs) for mode, runs in results.items()}, taken


def run() -> list[Row]:
    from tenants.services import store_primary_host

    store, product, access = _bench_store()
    host = store_primary_host(store.slug)
    warm, tracked_carts, untracked_carts, sale_carts = (
        _carts(store, product, n) for n in (WARMUP, REQUESTS, REQUESTS, SALE_ORDERS)
    )
    with gunicorn_server(workers=WORKERS) as port:
        _stock_set(store, product, None)
        _orders(port=port, host=host, access=access, tokens=warm, tag="warm")
        carts = {"tracked": tracked_carts, "untracked": untracked_carts}
        results, tracked_units = _rounds(
            port=port, host=host, store=store, product=product, access=access, carts=carts
        )
        tracked, untracked = results["tracked"], results["untracked"]

        _stock_set(store, product, SALE_UNITS)
        ordered_before_sale, _ = _units(store, product)
        sale = _orders(port=port, host=host, access=access, tokens=sale_carts, tag="s")
        ordered_end, stock_end = _units(store, product)

    sale_units = ordered_end - ordered_before_sale
    # Oversold: units in orders beyond the units the product was given, in each tracked phase.
    oversold = max(0, tracked_units - REQUESTS) + max(0, sale_units - SALE_UNITS)
    print(
        f"tracked {tracked.per_second:.1f} orders/s, untracked {untracked.per_second:.1f} "
        f"orders/s, ratio {tracked.per_second / untracked.per_second:.2f}; sold-out burst: "
        f"{sale.statuses.get(201, 0)} of {SALE_ORDERS} placed for {SALE_UNITS} units, "
        f"units oversold {oversold}, final stock {stock_end}"
    )
    assert tracked.statuses == {201: REQUESTS}, tracked.statuses
    assert untracked.statuses == {201: REQUESTS}, untracked.statuses
    assert sale.statuses == {201: SALE_UNITS, 409: SALE_ORDERS - SALE_UNITS}, sale.statuses
    assert tracked_units == REQUESTS, tracked_units
    # The stock left is exactly what was given minus what was ordered.
    assert stock_end == SALE_UNITS - sale_units == 0, stock_end
    assert oversold == 0, oversold
    note = f"gunicorn {WORKERS} workers, {CONCURRENCY} clients, {REQUESTS} orders each"
    note += f" in {ROUNDS} interleaved rounds"
    return [
        Row("orders placed per second, one hot product", tracked.per_second,
            untracked.per_second, "orders/s", note=note + "; baseline = stock untracked"),
        Row("order p50 latency", tracked.percentile(50), untracked.percentile(50), "ms"),
        Row("order p95 latency", tracked.percentile(95), untracked.percentile(95), "ms"),
        Row("units oversold (tracked, incl. sold-out burst)", oversold, 0, "units",
            note=f"{SALE_ORDERS} orders for {SALE_UNITS} units: "
                 f"{sale.statuses.get(201, 0)} placed, {sale.statuses.get(409, 0)} refused"),
    ]  # fmt: skip
