"""Run real servers and workers as other processes against the test database."""

import contextlib
import os

from django.conf import settings


def live_database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def live_environment(**overrides) -> dict:
    """The environment for a subprocess that must see the same database and Redis as the test."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "saas.settings.test",
        "DATABASE_URL": live_database_url(),
        "TEST_DATABASE_NAME": settings.DATABASES["default"]["NAME"],
        "TEST_REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    env.update({key: str(value) for key, value in overrides.items()})
    return env


@contextlib.contextmanager
def real_gunicorn(**overrides):
    """A gunicorn serving the app against the test database; yields its port."""
    from tests.benchmarks.common import gunicorn_server

    with gunicorn_server(workers=3, extra_env=live_environment(**overrides)) as port:
        yield port
