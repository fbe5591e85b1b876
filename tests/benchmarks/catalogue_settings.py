"""Settings of the catalogue benchmark's second gunicorn: the test settings with the storefront
cache off (tenant_apps/catalog/cache.py), to measure what a miss costs beside a hit."""

from saas.settings.test import *  # noqa: F403

STOREFRONT_CACHE = False
