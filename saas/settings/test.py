"""Tests: real PostgreSQL and Redis; in-memory e-mail and SMS outboxes."""

from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, SIMPLE_JWT, env


def redis_database(url: str, number: int) -> str:
    """The same Redis server as `url`, database `number`."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{number}"))


DEBUG = False
# A fixed value that signs nothing outside the test database.
SECRET_KEY = "test-only-secret-key-never-used-outside-the-test-suite-4f9c1d7e2b8a"
SIMPLE_JWT["SIGNING_KEY"] = SECRET_KEY
SAAS_PLATFORM_EXTRA_HOSTS = ["127.0.0.1", "testserver"]
ALLOWED_HOSTS = ["localhost", ".localhost", "127.0.0.1", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
# Where a worker started by a test writes its mail (file backend), for the test to read.
EMAIL_FILE_PATH = env("TEST_EMAIL_FILE_PATH", default="/tmp/seller-suite-test-mail")
SMS_BACKEND = "shared_apps.accounts.sms.LocmemSmsBackend"
# Off in tests unless a test serving a real server turns it on for its black-box calls.
OTP_FIXED_CODE = env("TEST_OTP_FIXED_CODE", default="")
# Tasks run in-process unless a test starts a real worker (which reads the environment).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Parallel checkouts can share one PostgreSQL server: each names its own test database.
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_seller_suite")}
# Persistent connections only where a test asks (the outage test checks reconnecting).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("TEST_DATABASE_CONN_MAX_AGE", default=0)
# Tests use their own Redis database (cache, throttles, broker) on the server that REDIS_URL names
# (the one scripts/services.sh found or started); parallel checkouts set TEST_REDIS_URL each.
REDIS_URL = env("TEST_REDIS_URL", default=redis_database(REDIS_URL, 15))
CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
CELERY_BROKER_URL = REDIS_URL
# The session setup fills the spare schema pool, and a rolled-back test returns the spare it
# took: most stores made by tests cost a rename instead of a clone.
STORE_SCHEMA_POOL_SIZE = env.int("TEST_STORE_SCHEMA_POOL_SIZE", default=4)
# Uploads made by tests (product images, the demo store's) stay out of the development media.
MEDIA_ROOT = env("TEST_MEDIA_ROOT", default="/tmp/seller-suite-test-media")
