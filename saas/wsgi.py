import os

from django.core.wsgi import get_wsgi_application

# Production unless told otherwise (see manage.py).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings.production")

application = get_wsgi_application()
