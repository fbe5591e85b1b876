"""ASGI entry point (the deployment serves WSGI through gunicorn; this is for ASGI servers)."""

import os

from django.core.asgi import get_asgi_application

# Production unless told otherwise (see manage.py).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings.production")

application = get_asgi_application()
