"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from tcdash.wsgi import refuse_development_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcdash.settings")
application = get_asgi_application()
refuse_development_key()
