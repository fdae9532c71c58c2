"""The cache in front of Django: a repeated anonymous GET answered before Django's request handling.

`caching.cached_by_release` keeps a view's response under the live generation, and a request found
there skips the view; but it still passed through Django's request handling and its fourteen
middleware, which was nearly all that such a request cost (about 0.4 ms of 0.45 ms, against 0.03 ms
for the generation's read). This WSGI layer, around Django's application (`tcdash.wsgi`), keeps the
finished response, with every header the middleware gave it (the security headers, the language,
Vary, the compression) and the body as sent, and answers the same request with it again while the
live generation (and the deployed code) are the same.

The same request: every input a kept response can depend on is in its key, and an answer is kept
only when it names no other (`storable`):
- the live generation and the code digest (`caching`): a publish or a withdrawal on any server, or a
  deploy, moves every key, as for the view's own cache;
- the method (GET only), scheme (with the proxy's header, SECURE_PROXY_SSL_HEADER), host (with
  X-Forwarded-Host and -Port), path and query string;
- the Accept, Accept-Encoding and Accept-Language headers, and the Cookie header, which may hold the
  language cookie and nothing else: a request with any other cookie (a session, a CSRF token, a
  pending message) is not answered here, so an editor never meets a visitor's page;
- a response is kept only when the view marked it as one it keeps itself (`FRONT_CACHEABLE`, set by
  `cached_by_release`: anonymous, 200, not streamed, no cookie set), the finished response sets no
  cookie (a first visit is given its language cookie, and is not kept), and every header its Vary
  names is one of those in the key.
Conditional requests (If-None-Match and the like), HEAD and static files go to Django as before: the
first are answered with a 304 by `caching`, HEAD's body is removed here (`_without_body`), and
WhiteNoise serves the last without the database.

A database or cache that fails here is logged and the request goes to Django, which answers it as
it would have without this layer. The generation is read on the thread's connection as Django left
it; Django's own request handling opens it, ages it out (CONN_MAX_AGE) and, when a read here failed
on it, finds it broken and opens another.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.http.cookie import parse_cookie

from .caching import FRONT_CACHEABLE, cache_call, code_digest, live_generation

logger = logging.getLogger(__name__)

# The request headers in the key, by their WSGI names, and the same as a Vary header names them.
KEYED_HEADERS = {
    "HTTP_ACCEPT": "accept",
    "HTTP_ACCEPT_ENCODING": "accept-encoding",
    "HTTP_ACCEPT_LANGUAGE": "accept-language",
    "HTTP_COOKIE": "cookie",
}
# A request carrying one of these is answered by Django (caching's 304s, or no caching at all).
PASSED_ON = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_RANGE",
    "HTTP_AUTHORIZATION",
)


def _without_body(response):
    """A HEAD's answer: its status and headers, as Django gives them, and no body. Django leaves removing
    it to the server; gunicorn does, but logs a warning at each one (a monitor's HEAD /healthz every few
    seconds filled the error log), and a streamed export was written whole only to be dropped. Closing
    the response ends Django's request (request_finished) as a server would."""
    close = getattr(response, "close", None)
    if close is not None:
        close()
    return []


class FrontCache:
    """WSGI middleware: `application` with the repeated anonymous GETs answered from the cache."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "HEAD":
            return _without_body(self.application(environ, start_response))
        key = self.key(environ)
        if key is None:
            return self.application(environ, start_response)
        stored = cache_call(cache.get, key)
        if stored is not None:
            status, headers, body = stored
            start_response(status, list(headers))
            return [body]
        answered = []

        def start(status, headers, exc_info=None):
            answered.append((status, headers))
            return start_response(status, headers, exc_info)

        response = self.application(environ, start)
        if answered and storable(response, *answered[-1]):
            status, headers = answered[-1]
            cache_call(cache.set, key, (status, tuple(headers), response.content))
        return response

    def key(self, environ):
        """The cache key of this request, or None when it is not one answered here."""
        if environ.get("REQUEST_METHOD") != "GET" or any(name in environ for name in PASSED_ON):
            return None
        path = environ.get("PATH_INFO", "")
        if path.startswith(settings.STATIC_URL) or path == "/healthz":  # never kept; a probe asks the database once
            return None
        cookie = environ.get("HTTP_COOKIE")
        if cookie and set(parse_cookie(cookie)) - {settings.LANGUAGE_COOKIE_NAME}:
            return None
        try:
            generation, _ = live_generation()
        except Exception:  # the database is down or not migrated: Django answers, as it would anyway
            logger.exception("the live generation could not be read; the request goes to Django")
            return None
        proxy_https = settings.SECURE_PROXY_SSL_HEADER
        seen = (
            environ.get("wsgi.url_scheme"),
            environ.get(proxy_https[0]) if proxy_https else None,  # the scheme as Django reads it
            environ.get("HTTP_X_FORWARDED_HOST"),  # the host and port, where USE_X_FORWARDED_* say so
            environ.get("HTTP_X_FORWARDED_PORT"),
            environ.get("HTTP_HOST"),
            environ.get("SERVER_NAME"),
            environ.get("SERVER_PORT"),
            environ.get("SCRIPT_NAME", ""),
            path,
            environ.get("QUERY_STRING", ""),
            *(environ.get(name) for name in KEYED_HEADERS),
        )
        # repr of a tuple of strings: no two different requests share it (a joined string could).
        address = hashlib.sha256(repr(seen).encode()).hexdigest()[:32]
        return f"front:{generation}:{code_digest()}:{address}"


def storable(response, status, headers):
    """Whether Django's finished answer may be given again to the same request: a response the view
    keeps itself, a 200 that sets no cookie, varying on nothing the key leaves out."""
    if not isinstance(response, HttpResponse) or not getattr(response, FRONT_CACHEABLE, False):
        return False
    if not status.startswith("200 "):
        return False
    keyed = set(KEYED_HEADERS.values())
    for name, value in headers:
        name = name.lower()
        if name == "set-cookie":
            return False
        if name == "vary" and {field.strip().lower() for field in value.split(",")} - keyed:
            return False
    return True
