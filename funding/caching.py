"""Responses cached and revalidated by the live data's generation, so a publish is seen at once everywhere.

`Dataset.version` (and `changed_at`) move inside every publish and withdrawal transaction. Each
request reads them (one primary-key look-up) and keys both the cache entry and the ETag with them:
when a publish commits on any server, every server's next request asks for keys that do not exist
yet, whatever the backend `CACHE_URL` chose (local memory per process, or one Redis for all).
Nothing is ever deleted or invalidated by hand; entries of older generations are evicted by the
backend. A browser revalidates with If-None-Match / If-Modified-Since and gets a 304 until the
data (or the deployed code) changes.

Only anonymous requests are cached: an editor's pages show their name, their links and a sign-out
form with a CSRF token, and a page that carries a message or sets a cookie is never stored.

A precondition (If-None-Match, If-Modified-Since, If-Match...) is answered (304, 412) only for a
request the view answers with a 2xx: RFC 9110 section 13.2.1 has a server ignore preconditions when
the response would be anything else, so a bad parameter gets its 400 (an unknown address its 404, an
SDMX format not offered its 406) whatever ETag the browser holds. Each view names, as `check`, the
step that refuses a request (its parser), which runs only when a precondition would be answered.

An answer written as it is read (SDMX data, from a database cursor) is kept whole, and so cached,
when it is small: `whole_or_streamed` gives a plain response up to KEPT_WHOLE bytes and streams a
longer one, which is then revalidated by its ETag but not kept (a cache entry, and the worker's
memory while it is written, stay bounded however much a query matches).
"""

import datetime
import functools
import hashlib
import itertools
import logging
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.translation import get_language

from .models import Dataset

logger = logging.getLogger(__name__)

# Headers of a cached response worth keeping (the rest are added again by the middleware).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Vary")
# Set on a response kept here (or given from here): the front cache (front_cache) may keep it whole.
FRONT_CACHEABLE = "front_cacheable"
# Set on a 304 that stands for a response sent whole (not streamed): the compression middleware gives
# it the Vary and the ETag that response is sent with (RFC 9110, 15.4.5), as it gives the 200.
STANDS_FOR_WHOLE = "stands_for_whole"
# The largest answer written as it is read that is kept whole (and cached): 1 MiB, some fifteen times
# the largest page; a longer one streams (whole_or_streamed).
KEPT_WHOLE = 1 << 20


def live_generation():
    """(token, changed_at) of the live data: what every cache key and ETag is made from.

    The token joins the version and the time of the change, so a database restored or rebuilt to an
    earlier version number never meets the cache entries of the one it replaced."""
    version, changed_at = _read_generation()
    moment = int(changed_at.timestamp() * 1_000_000) if changed_at else 0
    return f"{version}.{moment:x}", changed_at


@functools.cache
def _generation_sql():
    # Compiled once: building the ORM query was most of what a cached page cost.
    return Dataset.objects.values_list("version", "changed_at").query.sql_with_params()


def _read_generation():
    """(version, changed_at) of the single Dataset row, by one primary-key read in plain SQL."""
    sql, params = _generation_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if len(rows) != 1:
        raise Dataset.DoesNotExist(f"{len(rows)} Dataset rows: the migrations make exactly one")
    version, changed_at = rows[0]
    if isinstance(changed_at, str):  # SQLite without the column's converter
        changed_at = parse_datetime(changed_at)
    if changed_at is not None and timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, datetime.UTC)  # stored in UTC (USE_TZ)
    return version, changed_at


@functools.cache
def code_digest():
    """A digest of the deployed code, templates and static files: a deploy changes every key and ETag,
    and two servers running the same code agree on them."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder in ("funding", "templates", "static", "tcdash", "locale"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".html", ".js", ".css", ".svg", ".po"}:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _cacheable_request(request):
    # "messages" is the cookie django.contrib.messages keeps a pending message in.
    if request.method not in ("GET", "HEAD") or "messages" in request.COOKIES:
        return False
    return not request.user.is_authenticated


def _validators(request, *, by_accept=False):
    """(generation, ETag, Last-Modified) of the live data. With `by_accept` (a view whose answer is chosen
    by the Accept header: SDMX), the ETag names the header too, so that each representation has a tag of
    its own (RFC 9110, 8.8.3) and a copy held in one format never revalidates a request for another."""
    generation, changed_at = live_generation()
    etag = f'"{generation}-{code_digest()}"'
    if by_accept:
        accept = hashlib.sha256(request.headers.get("Accept", "").encode()).hexdigest()[:8]
        etag = f'"{generation}-{code_digest()}-{accept}"'
    last_modified = int(changed_at.timestamp()) if changed_at else None  # HTTP dates are whole seconds
    return generation, etag, last_modified


def _revalidated(response, etag, last_modified):
    response.headers.setdefault("ETag", etag)
    if last_modified is not None:
        response.headers.setdefault("Last-Modified", http_date(last_modified))
    # Browsers may keep the response, but ask every time (a cheap 304 while nothing was published).
    patch_cache_control(response, no_cache=True)
    return response


def _precondition_answer(request, etag, last_modified, check, args, kwargs):
    """The 304 (or 412) that the request's preconditions ask for, or None: None too when `check`, the
    view's own refusal of a bad request, raises, since only a 2xx may be replaced by a 304 (RFC 9110,
    13.2.1), and the view then gives its own answer (400, 404, 406)."""
    answer = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if answer is None:
        return None
    try:
        check(request, *args, **kwargs)
    except Exception:  # whatever refuses the request (FilterError, SdmxError, Http404): the view answers it
        return None
    return _revalidated(answer, etag, last_modified)


def conditional_by_release(*, check):
    """ETag and Last-Modified from the live generation, and a 304 without running the view when the
    browser's copy is still the live one. For responses too large to keep in the cache (exports).

    `check(request, *args, **kwargs)` is the view's refusal of a bad request: it raises where the view
    answers other than 2xx (its parser, which the view calls too), and then no 304 is given."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            _, etag, last_modified = _validators(request)
            answer = _precondition_answer(request, etag, last_modified, check, args, kwargs)
            if answer is not None:
                return answer
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            return _revalidated(response, etag, last_modified)

        return wrapped

    return decorator


def cached_by_release(*, check, by_accept=False):
    """conditional_by_release, and the whole response kept in the cache under the live generation, the
    code digest, the language, the Accept header, the scheme, the host and the full path: a repeated request costs one
    look-up of the generation and one cache read. A cache that cannot be reached is logged and skipped,
    never an error page. Only a 200 is kept, so a request found in the cache is one `check` accepts: its
    precondition is answered without running `check`. `by_accept`: the view chooses its answer by the
    Accept header (Vary: Accept), and its ETag is one a header (_validators)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            generation, etag, last_modified = _validators(request, by_accept=by_accept)
            key = _cache_key(request, generation)
            stored = cache_call(cache.get, key)
            if stored is not None:
                answer = get_conditional_response(request, etag=etag, last_modified=last_modified)
                if answer is not None:
                    setattr(answer, STANDS_FOR_WHOLE, True)
                    return _revalidated(answer, etag, last_modified)
                content, headers = stored
                response = HttpResponse(content)
                for name, value in headers:
                    response.headers[name] = value
                setattr(response, FRONT_CACHEABLE, True)
                return _revalidated(response, etag, last_modified)
            answer = _precondition_answer(request, etag, last_modified, check, args, kwargs)
            if answer is not None:
                setattr(answer, STANDS_FOR_WHOLE, True)  # as the view's answers are but the longest SDMX data
                return answer
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            if response.streaming:  # too long to keep (whole_or_streamed): revalidated only
                return _revalidated(response, etag, last_modified)
            if not response.cookies and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
                headers = [(name, response.headers[name]) for name in KEPT_HEADERS if name in response.headers]
                cache_call(cache.set, key, (response.content, headers))
                setattr(response, FRONT_CACHEABLE, True)
            return _revalidated(response, etag, last_modified)

        return wrapped

    return decorator


def whole_or_streamed(chunks, *, content_type, limit=None):
    """A response of the byte strings `chunks`: an HttpResponse holding them all, which
    cached_by_release keeps, when they come to at most `limit` bytes; else a StreamingHttpResponse
    giving the ones read so far and then the rest as they come, which it does not keep. The first
    `limit` (KEPT_WHOLE when not given) bytes are held in memory either way."""
    limit = KEPT_WHOLE if limit is None else limit
    chunks = iter(chunks)
    head, size = [], 0
    for chunk in chunks:
        head.append(chunk)
        size += len(chunk)
        if size > limit:
            return StreamingHttpResponse(itertools.chain(head, chunks), content_type=content_type)
    return HttpResponse(b"".join(head), content_type=content_type)


def _cache_key(request, generation):
    """The cache key of a response: the live generation, the code digest, and what the answer depends on.
    The active language too: a page's words follow it, whatever decided it (path, cookie); and the
    scheme and host, which the address a page prints for itself begins with. And the Accept header,
    which an answer may be chosen by (SDMX's media types: Vary: Accept)."""
    accept = request.headers.get("Accept", "")
    seen = f"{get_language()}:{accept}:{request.scheme}://{request.get_host()}{request.get_full_path()}"
    address = hashlib.sha256(seen.encode()).hexdigest()[:32]
    return f"response:{generation}:{code_digest()}:{address}"


# After a cache call fails, the cache is left alone for this long: a request makes several calls, and
# a cache server that hangs (it accepts connections but answers nothing) would make every one of them
# wait for the socket's timeout, and log a traceback each.
CACHE_PAUSE_SECONDS = 10
_cache_paused_until = [0.0]  # time.monotonic(); a list, so that every thread of the process shares it


def cache_call(method, *args):
    """`method(*args)` on the cache, or None when the cache cannot be reached: a cache server that is
    down or hangs must not take the site with it. A failure is logged (with its traceback) and the cache
    is skipped for CACHE_PAUSE_SECONDS, then tried again: one slow call and one log entry a pause, not
    one for each of a request's calls (settings._caches bounds the call's wait)."""
    if time.monotonic() < _cache_paused_until[0]:
        return None
    try:
        return method(*args)
    except Exception:
        _cache_paused_until[0] = time.monotonic() + CACHE_PAUSE_SECONDS
        logger.exception("cache %s failed; serving without the cache for %s s", method.__name__, CACHE_PAUSE_SECONDS)
        return None


@receiver(setting_changed)
def _cache_changed(*, setting, **kwargs):
    # Another cache (a test's settings): its server is not the one that failed.
    if setting == "CACHES":
        _cache_paused_until[0] = 0.0


class KeptInProcess:
    """A table kept in this process's memory, bounded: the `limit` entries made last are kept, the
    oldest go first. For what is cheap to make again and must not grow with what visitors ask for
    (the shared cache, Redis, keeps what it is given for a day). Safe across a worker's threads: two
    may make the same entry at once, and one of the two is kept."""

    def __init__(self, limit):
        self.limit = limit
        self._entries = {}  # key -> value, oldest first
        self._lock = threading.Lock()

    def get(self, key, make):
        """The entry of `key`, made by `make()` (and kept) when there is none."""
        found = self._entries.get(key)
        if found is None:
            found = make()
            with self._lock:
                self._entries[key] = found
                while len(self._entries) > self.limit:
                    del self._entries[next(iter(self._entries))]
        return found

    def clear(self):
        with self._lock:
            self._entries.clear()

    def __len__(self):
        return len(self._entries)


def read_by_release(name, read):
    """`read()` for the live generation, kept in the cache under `name`, the generation and the code
    digest: a read of the live data that every page shows (the papers its footer names) costs the
    look-up of the generation while nothing is published, and is read again after a publish on any
    server or a deploy. A cache that cannot be reached is logged and skipped."""
    generation, _ = live_generation()
    key = f"{name}:{generation}:{code_digest()}"
    value = cache_call(cache.get, key)
    if value is None:
        value = read()
        cache_call(cache.set, key, value)
    return value
