"""Development: console e-mail and SMS, debug pages.

Never the default: manage.py, wsgi.py, asgi.py and celery.py default to production, so this
module runs only when DJANGO_SETTINGS_MODULE=saas.settings.local says so (make run does).
"""

from .base import *  # noqa: F403
from .base import BASE_DIR, SECRET_KEY, SIMPLE_JWT, env
from .secret_key import secret_key_file_read_or_create

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# DJANGO_SECRET_KEY when set; otherwise this checkout's own, made on the first run (mode 600).
SECRET_KEY_FILE = env.path("DJANGO_SECRET_KEY_FILE", default=BASE_DIR / ".local" / "secret_key")
SECRET_KEY = SECRET_KEY or secret_key_file_read_or_create(SECRET_KEY_FILE)
SIMPLE_JWT["SIGNING_KEY"] = SECRET_KEY
