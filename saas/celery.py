"""Celery app: Redis broker; tenant-schemas-celery runs each task in the schema it came from.

A task queued inside a store (or a beat PeriodicTask whose headers carry `_schema_name`) runs
with that store's schema active.
"""

import os

from tenant_schemas_celery.app import CeleryApp

# Production unless told otherwise (see manage.py).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings.production")

app = CeleryApp("saas")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
