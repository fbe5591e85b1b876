"""Widget signups against a bare DRF endpoint on the same gunicorn, 32 concurrent clients.

"ours" is `POST /api/widget/signups` (key lookup, origin check, both throttle counters, one
INSERT … ON CONFLICT per new e-mail: one Redis call and one SQL statement once a worker knows
the site); "baseline" is a DRF view on the same store host that parses the same JSON body and
answers 201 without touching the database. The baseline route exists only in this benchmark's
gunicorn, which runs tests.benchmarks.signups_settings (its ROOT_URLCONF,
tests.benchmarks.signups_urls, adds the route to the real store routes; connections persist as
in production). Lost signups = 2xx answers minus rows stored: the run fails unless it is 0.
Goal: ours ≥ 85% of the baseline's throughput.
"""

import json
import time

from tests.benchmarks.common import LoadResult, Row, gunicorn_server, load

SLUG = "bench-signups"
ORIGIN = "https://bench-shop.example"
BASELINE_PATH = "/bench/bare-signup"  # routed by tests.benchmarks.signups_urls
REQUESTS = 3000
WARMUP = 200
CONCURRENCY = 32
WORKERS = 4
ROUNDS = 3


def _bench_store():
    from django.db import connection
    from django_tenants.utils import tenant_context

    from shared_apps.accounts.models import Seller
    from tenant_apps.signups.models import Signup, WidgetSite
    from tenant_apps.signups.services import widget_site_update
    from tenants.models import Store
    from tenants.services import store_create

    store = Store.objects.filter(slug=SLUG).first()
    if store is None:
        owner = Seller.objects.create_user(email=f"{SLUG}@bench.example.com")
        store = store_create(owner=owner, name=SLUG, slug=SLUG)
    with tenant_context(store):
        Signup.objects.all().delete()
        site = WidgetSite.objects.order_by("id").first()
        widget_site_update(site=site, allowed_origins=[ORIGIN], is_active=True)
    connection.set_schema_to_public()
    return store, site


def _rows_stored(store, prefix: str) -> int:
    from django.db import connection
    from django_tenants.utils import tenant_context

    from tenant_apps.signups.models import Signup

    with tenant_context(store):
        count = Signup.objects.filter(email__startswith=prefix).count()
    connection.set_schema_to_public()
    return count


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


def run() -> list[Row]:
    from tenants.services import store_primary_host

    store, site = _bench_store()
    host = store_primary_host(store.slug)
    headers = {"Content-Type": "application/json", "Origin": ORIGIN, "X-Site-Key": site.key}
    extra_env = {
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.signups_settings",
        # The counters still run on every request; the limits are out of the way of the load.
        "SIGNUP_THROTTLE_PER_IP": "100000000/min",
        "SIGNUP_THROTTLE_PER_SITE": "100000000/min",
    }
    run_id = str(int(time.time()))

    def body_for(prefix):
        return lambda i: json.dumps({"email": f"{prefix}{i}@example.com"}).encode()

    def measure(path, prefix, total):
        return load(
            port=port,
            host=host,
            method="POST",
            path=path,
            total=total,
            concurrency=CONCURRENCY,
            headers=headers,
            body_for=body_for(prefix),
        )

    prefix = f"bench-{run_id}-"
    baseline_rounds, our_rounds = [], []
    with gunicorn_server(workers=WORKERS, extra_env=extra_env) as port:
        measure(BASELINE_PATH, "warm-b-", WARMUP)
        measure("/api/widget/signups", f"warm-{run_id}-", WARMUP)
        # Interleaved rounds, so a burst of load from elsewhere hits both sides alike.
        for round_number in range(ROUNDS):
            baseline_rounds.append(measure(BASELINE_PATH, "bare-", REQUESTS // ROUNDS))
            our_rounds.append(
                measure("/api/widget/signups", f"{prefix}{round_number}-", REQUESTS // ROUNDS)
            )
    baseline, ours = _merged(baseline_rounds), _merged(our_rounds)

    stored = _rows_stored(store, prefix)
    answered = ours.statuses.get(201, 0) + ours.statuses.get(200, 0)
    lost = answered - stored
    assert baseline.ok == REQUESTS, baseline.statuses
    assert ours.ok == REQUESTS, ours.statuses
    assert lost == 0, f"{answered} signups answered 2xx but {stored} rows stored"
    note = f"gunicorn {WORKERS} sync workers, {CONCURRENCY} clients, {REQUESTS} requests"
    return [
        Row("signup throughput", ours.per_second, baseline.per_second, "req/s", note=note),
        Row("signup p50 latency", ours.percentile(50), baseline.percentile(50), "ms"),
        Row("signup p99 latency", ours.percentile(99), baseline.percentile(99), "ms"),
        Row("signups answered 2xx", answered, baseline.ok),
        Row("signups lost (2xx answers - rows stored)", lost, 0, note=f"{stored} rows stored"),
    ]
