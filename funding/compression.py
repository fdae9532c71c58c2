"""Gzip for public pages and JSON only, so a secret in a page is never compressed (BREACH); each
body compressed once.

BREACH recovers a secret from the compressed size of responses that reflect attacker-chosen text
next to it. The secrets tcdash puts in a page are the CSRF token (forms of signed-in editors and the
sign-in form) and what only an editor sees; so a response is compressed only when the visitor is
not signed in and the page used no CSRF token. Streamed exports are left alone: they are written
in large blocks already and compressing them would cost the server more than it saves on loopback.

A public page is served from the cache (caching.cached_by_release) the same, byte for byte, to every
visitor until the next publish, and compressing it was most of what such a request cost: about 1 ms
for the 70 KB of `/`, against a few tenths for the rest of the request. So each body is compressed
once and kept, by its digest, in a small per-process table. Django's GZipMiddleware pads each
compressed body with random bytes (Heal The BREACH) so that its size reveals nothing; the pages
compressed here hold no secret, which is what lets the same body be compressed the same way each time.
"""

import hashlib

from django.conf import settings
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

from .caching import STANDS_FOR_WHOLE, KeptInProcess

# Bodies kept compressed, per process: the pages and JSON of a few generations in a few languages.
KEPT_BODIES = 512


class PublicGZipMiddleware(GZipMiddleware):
    """GZipMiddleware for public, unstreamed responses (as its process_response, whose steps these
    are), each distinct body compressed once."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self._compressed = KeptInProcess(KEPT_BODIES)  # digest of a body -> the body compressed

    def process_response(self, request, response):
        # CsrfViewMiddleware (below this one) sets its cookie on every response whose page used the token.
        if response.streaming or settings.CSRF_COOKIE_NAME in response.cookies:
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        if response.status_code == 304:
            return self._not_modified(request, response)
        # Django's own steps for a response that is not streamed: not worth it under 200 bytes, never
        # twice, Vary: Accept-Encoding, only when asked for, only when smaller, and the ETag made weak.
        if len(response.content) < 200 or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = self.compressed(response.content)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response

    @staticmethod
    def _not_modified(request, response):
        """A 304 carries the Vary and the ETag of the response it stands for (RFC 9110, 15.4.5): for a
        page sent whole (caching.STANDS_FOR_WHOLE), Vary: Accept-Encoding, and the ETag made weak when
        the request takes gzip, as process_response gives them to that page's 200."""
        if not getattr(response, STANDS_FOR_WHOLE, False):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        etag = response.get("ETag")
        if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) and etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        return response

    def compressed(self, body):
        """`body` gzipped (level 6, no timestamp), from the table when it was compressed before."""
        return self._compressed.get(hashlib.blake2b(body, digest_size=16).digest(), lambda: compress_string(body))
