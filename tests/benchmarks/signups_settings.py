"""Settings of the signup benchmark's gunicorn: the test settings, with its own urlconf.

django-tenants routes store hosts through ROOT_URLCONF (the platform host keeps
PUBLIC_SCHEMA_URLCONF), so the baseline endpoint answers on the benchmark store's host.
Database connections persist as in production (base.py: CONN_MAX_AGE 60 s); the test settings'
0 would open a PostgreSQL connection per request and measure mostly that, on both sides.
"""

from saas.settings.test import *  # noqa: F403
from saas.settings.test import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 60

ROOT_URLCONF = "tests.benchmarks.signups_urls"
