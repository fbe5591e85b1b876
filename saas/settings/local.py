"""Development: console e-mail and SMS, debug pages.

Never the default: manage.py, wsgi.py, asgi.py and celery.py default to production, so this
module runs only when DJANGO_SETTINGS_MODULE=saas.settings.local says so (make run does).
"""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, SECRET_KEY, SIMPLE_JWT, env
from .secret_key import secret_key_file_read_or_create

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# runserver serves every request on a new thread, and a persistent connection belongs to its
# thread: with CONN_MAX_AGE > 0 each thread that ever served keeps one open for that long, so a
# few concurrent clients exhaust PostgreSQL's max_connections. Close each at the request's end
# (whatever DATABASE_CONN_MAX_AGE says: that is for gunicorn's bounded workers).
# https://docs.djangoproject.com/en/5.2/ref/databases/#persistent-connections
DATABASES["default"]["CONN_MAX_AGE"] = 0

# DJANGO_SECRET_KEY when set; otherwise this checkout's own, made on the first run (mode 600).
SECRET_KEY_FILE = env.path("DJANGO_SECRET_KEY_FILE", default=BASE_DIR / ".local" / "secret_key")
SECRET_KEY = SECRET_KEY or secret_key_file_read_or_create(SECRET_KEY_FILE)
SIMPLE_JWT["SIGNING_KEY"] = SECRET_KEY
