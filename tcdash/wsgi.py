"""WSGI entry point (gunicorn in `make serve`, and runserver): Django's application behind the front
cache, which answers a repeated anonymous GET with the finished response (funding.front_cache)."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application


def refuse_development_key():
    """Serving with DEBUG off and the development key would let anyone forge sessions: stop."""
    if not settings.DEBUG and not settings.SECRET_KEY_FROM_ENVIRONMENT:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Serving with DEBUG off needs a secret key of your own, e.g.\n"
            "  export SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\"\n"
            "(the same on every server and across restarts), or DEBUG=1 for local development only."
        )


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcdash.settings")
django_application = get_wsgi_application()
refuse_development_key()

from funding.front_cache import FrontCache  # noqa: E402 (the app registry is ready only now)

application = FrontCache(django_application)
