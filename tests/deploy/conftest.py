"""Fixtures of the deploy tests; their helpers are in tests/support/deploy.py."""

import pytest
from django.conf import settings
from django.db import connection

from tests.support.live import database_url


@pytest.fixture(scope="module")
def production_db_env(django_db_setup) -> dict:
    """A production environment on the test database, where the session made the platform and
    the stores alpha and beta (committed, so another process sees them). The module needs the
    django_db mark, or pytest-django would not create the test database."""
    assert connection.settings_dict["NAME"] == settings.DATABASES["default"]["TEST"]["NAME"]
    return {"DATABASE_URL": database_url(connection.settings_dict)}
