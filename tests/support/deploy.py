"""Production settings run in subprocesses, against the test database and Redis."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ROOT_DOMAIN = "localhost"  # the test database has the platform on this host
# Settings checks need no database: point them at none, so they cannot touch one.
NO_DATABASE_URL = "postgres://nobody@127.0.0.1:1/none"


def strong_secret() -> str:
    return secrets.token_urlsafe(64)


def production_env(**overrides: str) -> dict:
    """The environment of a production process: every value explicit, nothing from make."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SAAS_", "OTP_", "CELERY_", "TEST_", "TWILIO_", "SMS_"))
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
        # Production's SMS backend is Twilio; check --deploy wants its settings (accounts.E003).
        TWILIO_ACCOUNT_SID="AC" + "0" * 32,
        TWILIO_AUTH_TOKEN="deploy-test-auth-token",
        TWILIO_FROM="+15005550006",
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
