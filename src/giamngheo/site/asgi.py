"""ASGI entry point (``uvicorn giamngheo.site.asgi:application``)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.site.settings")

application = get_asgi_application()
