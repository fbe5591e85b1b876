"""Settings shared by every environment; deploy-time values come from the environment.

See https://docs.djangoproject.com/en/5.2/ref/settings/ and
https://django-tenants.readthedocs.io/en/latest/install.html
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
environ.Env.read_env(BASE_DIR / ".local" / "services.env", overwrite=False)

# No default in the repository: local.py makes one per checkout (.local/secret_key), test.py
# has a test-only value, production.py refuses to start without a strong one.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)

# The platform answers on SAAS_ROOT_DOMAIN, every store on <slug>.<SAAS_ROOT_DOMAIN>.
SAAS_ROOT_DOMAIN = env("SAAS_ROOT_DOMAIN", default="localhost")
SAAS_URL_SCHEME = env("SAAS_URL_SCHEME", default="http")
# The port that appears in store links ("" for the default port of the scheme).
SAAS_URL_PORT = env("SAAS_URL_PORT", default="8000")
# Extra host names that reach the platform (health probes by IP, for instance).
SAAS_PLATFORM_EXTRA_HOSTS = env.list("SAAS_PLATFORM_EXTRA_HOSTS", default=["127.0.0.1"])
ALLOWED_HOSTS = [SAAS_ROOT_DOMAIN, f".{SAAS_ROOT_DOMAIN}", *SAAS_PLATFORM_EXTRA_HOSTS]
ALLOWED_HOSTS += env.list("DJANGO_EXTRA_ALLOWED_HOSTS", default=[])

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "shared_apps.accounts",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.admin",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    # Revocable refresh tokens (logout, logout-all): OutstandingToken / BlacklistedToken, in
    # the public schema for sellers and every store's buyers alike (saas/access/jwt.py).
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
]

TENANT_APPS = [
    "django.contrib.contenttypes",
    # Sessions and admin log live in each store schema, so a session made on one store host
    # is unknown on every other.
    "django.contrib.sessions",
    "django.contrib.admin",
    # Only a migration: the store admin log without a database key to the public sellers.
    "tenants.store_admin_log",
    "tenant_apps.signups",
    "tenant_apps.catalog",
    "tenant_apps.orders",
    "tenant_apps.conversations",
    "tenant_apps.analytics",
    "tenant_apps.traffic",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Store"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# New store schemas are cloned from this migrated template instead of migrated from zero.
TENANT_BASE_SCHEMA = "store_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# Spare schemas cloned ahead of time; store_create renames one (tenants/pool.py). 0 turns it off.
STORE_SCHEMA_POOL_SIZE = env.int("STORE_SCHEMA_POOL_SIZE", default=5)
# `migrate_schemas` defaults to our executor (tenants/migration_executor.py): one catalog query
# finds the schemas that are behind, the graph is loaded once. `--executor=standard` still works.
GET_EXECUTOR_FUNCTION = "tenants.migration_executor.migration_executor_get"
TENANT_MIGRATION_EXECUTOR = env("TENANT_MIGRATION_EXECUTOR", default="catalog")
DEFAULT_NOT_FOUND_TENANT_VIEW = "saas.api.views.unknown_host_view"
# Send `SET search_path` once per change of store on a connection instead of before every
# cursor: a dashboard read is then one round trip per query, not two. django-tenants 4 forgets
# the path it set on every set_tenant, rollback, savepoint rollback and close, so a request (which
# always sets its store) or a failed transaction never runs in a schema left from before.
TENANT_LIMIT_SET_CALLS = True

MIDDLEWARE = [
    # Outermost: API paths answer JSON errors even where Django's DEBUG pages would answer.
    "saas.middleware.ApiJsonErrorsMiddleware",
    "saas.middleware.RequestSizeLimitMiddleware",
    "saas.middleware.NulCharacterMiddleware",
    # django-tenants' host -> store lookup, remembered per process (saas/tenant_middleware.py).
    "saas.tenant_middleware.CachedTenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: console views answer a fragment to htmx and the whole page otherwise.
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "saas.urls_tenant"
PUBLIC_SCHEMA_URLCONF = "saas.urls_public"
WSGI_APPLICATION = "saas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "saas.console.context.console",
            ],
            # `money` and the console's tags, in every template without `{% load %}`.
            "builtins": ["saas.console.templatetags"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/seller_suite")
}
# django-tenants' backend, with a health check that polls the socket instead of a round trip.
DATABASES["default"]["ENGINE"] = "saas.postgresql_backend"
# Persistent connections; schema-per-store needs session pooling, never PgBouncer
# transaction pooling (search_path is session state).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database host that does not answer fails the request in seconds (503), not at gunicorn's
# 30 s worker timeout.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        # Prefix every key with the schema so one store's entries never serve another.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
}

AUTH_USER_MODEL = "accounts.Seller"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "/login"
LOGIN_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / ".local" / "media"))

# Request bodies: API bodies are small; uploads (product images) stream to files.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Bodies larger than this are refused with 413 before anything reads them.
REQUEST_MAX_BODY_BYTES = env.int("REQUEST_MAX_BODY_BYTES", default=6 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "saas.api.authentication.SellerJWTAuthentication",
        "saas.api.authentication.ApiTokenAuthentication",
        "saas.api.authentication.CsrfSessionAuthentication",
    ],
    # Fail closed: on a store host a credential counts only for a member of that store.
    "DEFAULT_PERMISSION_CLASSES": ["saas.api.permissions.IsStoreMember"],
    "DEFAULT_PARSER_CLASSES": [
        "saas.api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "saas.api.exception_handler.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "saas.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "saas.api.schema.SellerSuiteAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=30)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=14)),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_CLAIM": "user_id",
    # SIGNING_KEY: each environment's module sets it to its SECRET_KEY.
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Seller Suite API",
    "DESCRIPTION": "Seller tools for online stores. Store endpoints answer on <slug>.<root>.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Docs UI assets come from drf-spectacular-sidecar, served by us (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "saas.api.schema.error_responses_postprocess",
        "saas.api.schema.empty_query_values_postprocess",
        "saas.api.schema.no_nul_characters_postprocess",
    ],
    # Request bodies are documented as JSON, the API's one format. The parsers still read
    # forms where a view takes them (the widget's signup accepts a plain HTML form post), but
    # form encodings cannot say "this field is absent" apart from "this field is empty", so
    # the contract is JSON.
    "PARSER_WHITELIST": ["saas.api.parsers.StrictJSONParser"],
}

# A cart with lines idle this long (and never ordered) is listed as abandoned.
ABANDONED_CART_IDLE_MINUTES = env.int("ABANDONED_CART_IDLE_MINUTES", default=60)

# One-time codes
OTP_LENGTH = 6
OTP_TTL_SECONDS = 5 * 60
OTP_MAX_ATTEMPTS = 5
OTP_RESEND_INTERVAL_SECONDS = env.int("OTP_RESEND_INTERVAL_SECONDS", default=30)
OTP_MAX_SENDS_PER_HOUR = env.int("OTP_MAX_SENDS_PER_HOUR", default=5)
# When set, this code is accepted too (demos and black-box tests). Never in production:
# `check --deploy` fails with accounts.E001.
OTP_FIXED_CODE = env("OTP_FIXED_CODE", default="")

# Rate limits (saas/api/throttles.py; docs/platform.md, "Rate limits"): "<count>/<sec|min|hour|
# day>" in a sliding window, each overridable from the environment under the same name.
THROTTLE_RATE_USERS_CREATE = env("THROTTLE_RATE_USERS_CREATE", default="10/hour")
THROTTLE_RATE_OTP_REQUEST_MOBILE_HOUR = env(
    "THROTTLE_RATE_OTP_REQUEST_MOBILE_HOUR", default="5/hour"
)
THROTTLE_RATE_OTP_REQUEST_MOBILE_DAY = env("THROTTLE_RATE_OTP_REQUEST_MOBILE_DAY", default="10/day")
THROTTLE_RATE_OTP_REQUEST_IP = env("THROTTLE_RATE_OTP_REQUEST_IP", default="30/hour")
THROTTLE_RATE_OTP_VERIFY_IP = env("THROTTLE_RATE_OTP_VERIFY_IP", default="30/hour")
THROTTLE_RATE_OTP_VERIFY_MOBILE = env("THROTTLE_RATE_OTP_VERIFY_MOBILE", default="20/day")
THROTTLE_RATE_STORES_CREATE_SELLER = env("THROTTLE_RATE_STORES_CREATE_SELLER", default="10/day")
THROTTLE_RATE_STORES_CREATE_IP = env("THROTTLE_RATE_STORES_CREATE_IP", default="20/hour")
THROTTLE_RATE_CART_CREATE_IP = env("THROTTLE_RATE_CART_CREATE_IP", default="120/hour")
# Development's default; production.py defaults to Twilio, and `check --deploy` refuses the
# console and in-memory backends (accounts.E002).
SMS_BACKEND = env("SMS_BACKEND", default="shared_apps.accounts.sms.ConsoleSmsBackend")
# Twilio (shared_apps.accounts.sms_twilio.TwilioSmsBackend; docs/platform.md, "SMS"). The
# sender is the messaging service when set, else TWILIO_FROM (an E.164 number or sender ID).
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM = env("TWILIO_FROM", default="")
TWILIO_MESSAGING_SERVICE_SID = env("TWILIO_MESSAGING_SERVICE_SID", default="")
# Where the SDK sends its requests: Twilio, or the local fake of the tests.
TWILIO_API_BASE_URL = env("TWILIO_API_BASE_URL", default="https://api.twilio.com")
TWILIO_TIMEOUT_SECONDS = env.float("TWILIO_TIMEOUT_SECONDS", default=10.0)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Seller Suite <no-reply@localhost>")

# Celery: Redis broker; tenant-schemas-celery runs a task inside the schema it was queued from.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True

GITHUB_API_URL = env("GITHUB_API_URL", default="https://api.github.com")
# Fernet keys of the stored GitHub tokens, comma-separated, newest first: the first encrypts,
# every one decrypts, so keys rotate (docs/traffic.md, "Rotating the GitHub token key").
# TRAFFIC_TOKEN_KEY, the older single-key variable, is still read when this one is unset.
# https://cryptography.io/en/latest/fernet/#cryptography.fernet.MultiFernet
TRAFFIC_TOKEN_KEYS = [
    key
    for key in env.list("TRAFFIC_TOKEN_KEYS", default=[]) or [env("TRAFFIC_TOKEN_KEY", default="")]
    if key
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # Paths such as "Not Found: /users/<key>/repos" are logged as /users/<redacted>/repos.
    "filters": {"chart_keys": {"()": "saas.log_filters.ChartKeyRedactFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["chart_keys"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Customer acquisition (signup widget). Rates are "N/sec|min|hour|day"; counters live in Redis
# and fail open (signups still succeed, with a warning in the log) when Redis is down.
SIGNUP_THROTTLE_PER_IP = env("SIGNUP_THROTTLE_PER_IP", default="20/min")
SIGNUP_THROTTLE_PER_SITE = env("SIGNUP_THROTTLE_PER_SITE", default="600/min")
# How many proxies of ours append to X-Forwarded-For in front of the app (0: the socket
# address is the client). Every throttle reads the client IP with it; SIGNUP_TRUSTED_PROXY_COUNT
# is its older name, still read when TRUSTED_PROXY_COUNT is unset.
TRUSTED_PROXY_COUNT = env.int(
    "TRUSTED_PROXY_COUNT", default=env.int("SIGNUP_TRUSTED_PROXY_COUNT", default=0)
)
SIGNUP_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# DRF's throttles read the client IP with this count (never None: DRF would then trust the
# whole client-sent header). https://www.django-rest-framework.org/api-guide/throttling/
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
# Origins every new store's default widget site allows besides the store's own link; unset,
# it is the sample page's origin when DEBUG is on (`python -m http.server 8081 -d widgets/test`).
SIGNUP_WIDGET_DEFAULT_EXTRA_ORIGINS = env.list("SIGNUP_WIDGET_DEFAULT_EXTRA_ORIGINS", default=None)

# Client conversations: e-mails a store may send to its clients per day (the store's own
# calendar day, in its timezone); beyond it messages wait for the next day (docs/conversations.md).
CONVERSATION_DAILY_MAIL_QUOTA = env.int("CONVERSATION_DAILY_MAIL_QUOTA", default=200)
