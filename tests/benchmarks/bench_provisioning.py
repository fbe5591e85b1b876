"""Store provisioning through store_create: cloned template vs migrate-from-zero.

Goal: median <= 0.5 s per store with the cloned template on a 2-core machine.
"""

import os
import statistics
import time

from tests.benchmarks.common import Row

STORES_PER_MODE = int(os.environ.get("BENCH_PROVISIONING_STORES", "5"))


def _provision(count: int, prefix: str) -> list[float]:

    from shared_apps.accounts.models import Seller
    from tenants.models import Store
    from tenants.services import store_create, store_delete

    owner, _ = Seller.objects.get_or_create(mobile="+919855500000")
    samples = []
    for number in range(count):
        name = f"{prefix} {number} {time.time_ns()}"
        started = time.perf_counter()
        store = store_create(owner=owner, name=name)
        samples.append(time.perf_counter() - started)
        store_delete(store=Store.objects.get(pk=store.pk))
    return samples


def run() -> list[Row]:
    from django.test import override_settings

    cloned = _provision(STORES_PER_MODE, "bench clone")
    # Without the template the same service migrates every new schema from zero.
    with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
        migrated = _provision(STORES_PER_MODE, "bench migrate")
    return [
        Row(
            "store_create median, cloned template vs migrate from zero",
            statistics.median(cloned),
            statistics.median(migrated),
            unit="s",
            note=f"{STORES_PER_MODE} stores each; goal <= 0.5 s",
        )
    ]
