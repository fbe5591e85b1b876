"""Production settings run in subprocesses, against the test database and Redis."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ROOT_DOMAIN = "localhost"  # the test database has the platform on this host
# Settings checks need no database: point them at none, so they cannot touch one.
NO_DATABASE_URL = "postgres://nobody@127.0.0.1:1/none"


def strong_secret() -> str:
    return secrets.token_urlsafe(64)


def database_url_of(settings_dict: dict) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


def production_env(**overrides: str) -> dict:
    """The environment of a production process: every value explicit, nothing from make."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SAAS_", "OTP_", "CELERY_", "TEST_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="saas.settings.production",
        DJANGO_SECRET_KEY=strong_secret(),
        OTP_FIXED_CODE="",
        SAAS_ROOT_DOMAIN=PRODUCTION_ROOT_DOMAIN,
        SAAS_PLATFORM_EXTRA_HOSTS="127.0.0.1",
        DATABASE_URL=NO_DATABASE_URL,
        REDIS_URL=settings.REDIS_URL,
        CELERY_BROKER_URL=settings.REDIS_URL,
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def production_db_env(django_db_setup) -> dict:
    """A production environment on the test database, where the session made the platform and
    the stores alpha and beta (committed, so another process sees them). The module needs the
    django_db mark, or pytest-django would not create the test database."""
    assert connection.settings_dict["NAME"] == settings.DATABASES["default"]["TEST"]["NAME"]
    return {"DATABASE_URL": database_url_of(connection.settings_dict)}
