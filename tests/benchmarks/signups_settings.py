"""Settings of the signup benchmark's gunicorn: the test settings, with its own urlconf.

django-tenants routes store hosts through ROOT_URLCONF (the platform host keeps
PUBLIC_SCHEMA_URLCONF), so the baseline endpoint answers on the benchmark store's host.
"""

from saas.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.benchmarks.signups_urls"
