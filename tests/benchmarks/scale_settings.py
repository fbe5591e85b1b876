"""Settings of the migration benchmark (bench_scale.py): the test settings, plus the two
benchmark tenant apps that `BENCH_SCALE_APPS` names ("ours", "baseline").

Each app holds one additive migration of the same shape (a new table with an index), so the
catalog executor and the standard one each get a fresh migration to apply to every store.
"""

import os

from saas.settings.test import *  # noqa: F403
from saas.settings.test import INSTALLED_APPS, TENANT_APPS

_BENCH_APPS = [
    f"tests.benchmarks.scale_apps.{name}"
    for name in os.environ.get("BENCH_SCALE_APPS", "").split(",")
    if name
]
TENANT_APPS = [*TENANT_APPS, *_BENCH_APPS]
INSTALLED_APPS = [*INSTALLED_APPS, *_BENCH_APPS]
