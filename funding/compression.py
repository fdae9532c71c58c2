"""Gzip for public pages and JSON only, so a secret in a page is never compressed (BREACH).

BREACH recovers a secret from the compressed size of responses that reflect attacker-chosen text
next to it. The secrets tcdash puts in a page are the CSRF token (forms of signed-in editors and the
sign-in form) and what only an editor sees; so a response is compressed only when the visitor is
not signed in and the page used no CSRF token. Streamed exports are left alone: they are written
in large blocks already and compressing them would cost the server more than it saves on loopback.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        # CsrfViewMiddleware (below this one) sets its cookie on every response whose page used the token.
        if response.streaming or settings.CSRF_COOKIE_NAME in response.cookies:
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        return super().process_response(request, response)
