"""Production: every secret from the environment, HTTPS only.

Passes `manage.py check --deploy` with no warnings (tests/deploy/test_settings.py).
See https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SAAS_ROOT_DOMAIN, SIMPLE_JWT, env

DEBUG = False
# No default: a missing secret must stop the process, never fall back to a known value.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "Set the DJANGO_SECRET_KEY environment variable (a random value of 50+ characters). "
        "These are the production settings, the default of manage.py, wsgi.py, asgi.py and "
        "celery.py; in development run with DJANGO_SETTINGS_MODULE=saas.settings.local."
    )
# Django's own rule for a weak key (checks W009), refused here rather than warned about.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random value of 50+ characters.")
SIMPLE_JWT["SIGNING_KEY"] = SECRET_KEY

# ALLOWED_HOSTS comes from base: the root domain, every store subdomain (".<root>") and
# SAAS_PLATFORM_EXTRA_HOSTS; custom store domains go in DJANGO_EXTRA_ALLOWED_HOSTS.
SAAS_URL_SCHEME = "https"
SAAS_URL_PORT = env("SAAS_URL_PORT", default="")

# TLS ends at nginx / the ingress, which must overwrite X-Forwarded-Proto on every request
# (deploy/nginx does); otherwise a client could claim HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Probes reach pods over plain HTTP from inside the cluster; a redirect would fail them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# One year, every store subdomain included; preload commits the root domain to HTTPS for good.
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The platform host only. Store hosts need no entry: every form a store host serves posts back
# to that same host, and Django's CSRF check accepts an Origin equal to the request's own
# scheme and host (https, through SECURE_PROXY_SSL_HEADER). A wildcard `https://*.<root>`
# would let a page on any store's host (names chosen by whoever opens a store) send
# cross-origin POSTs that pass the Origin check on every other store and on the platform.
CSRF_TRUSTED_ORIGINS = [f"https://{SAAS_ROOT_DOMAIN}"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-hashed static names (collected at image build), so nginx caches them for a year.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "saas.static_storage.HashedStaticFilesStorage"},
}

# Outgoing mail, e.g. EMAIL_URL=smtp+tls://user:password@smtp.example.com:587
if env("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))

CELERY_TASK_ALWAYS_EAGER = False

# Texts reach phones: Twilio unless told otherwise (TWILIO_* settings, docs/operations.md).
# `check --deploy` fails on the console or in-memory backend (accounts.E002) and on missing
# Twilio settings (accounts.E003).
SMS_BACKEND = env("SMS_BACKEND", default="shared_apps.accounts.sms_twilio.TwilioSmsBackend")

# `migrate_schemas --tenant --executor=multiprocessing` runs this many schemas at once; each
# process holds one database connection (README, "Scaling").
TENANT_MULTIPROCESSING_MAX_PROCESSES = env.int("TENANT_MULTIPROCESSING_MAX_PROCESSES", default=4)
TENANT_MULTIPROCESSING_CHUNKS = env.int("TENANT_MULTIPROCESSING_CHUNKS", default=4)
