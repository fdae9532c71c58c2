"""`/healthz` for load balancers and monitors, and the error pages that must answer in the client's format."""

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import TooManyFieldsSent
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext, override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ..forms import FilterError
from ..middleware import NulInAddress
from . import sdmx
from .data import bad_export_request
from .data import bad_request as bad_json_request

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache():
    token = secrets.token_hex(8)
    cache.set("healthz", token, 10)
    return cache.get("healthz") == token


CHECKS = {"database": _database, "cache": _cache}


@never_cache
@require_safe
def healthz(request):
    """200 {"status": "ok", "checks": {...}} when the database and the cache answer; 503 otherwise.
    The reason is logged, not shown: the page is public."""
    checks = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = "ok" if check() else "unavailable"
        except Exception:
            logger.exception("healthz: the %s check failed", name)
            checks[name] = "unavailable"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503
    )


def _bad_request_words(exception):
    if isinstance(exception, TooManyFieldsSent):
        return gettext("Too many parameters: at most %(limit)s are accepted.") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    if isinstance(exception, NulInAddress):
        return gettext("The address holds a NUL character, which no address of this site takes.")
    return gettext("The request was not understood.")


def _under_sdmx(path):
    try:
        return resolve(path).url_name.startswith("sdmx-")
    except Resolver404:
        return False


def bad_request(request, exception=None):
    """Django's 400 (a malformed or oversized request, before any view ran, or an address holding a NUL),
    in the format the URL promises: JSON for `.json`, plain text for `.csv`, `.xlsx` and `.zip` (as their
    own 400s are), an SDMX error message under `/sdmx/` (in English, as every SDMX message is), the site's
    page otherwise."""
    path = request.path_info
    if _under_sdmx(path):
        with override("en"):
            return sdmx.bad_request(request, _bad_request_words(exception))
    # In the address's language, and worded as the twins word a bad parameter (views.data).
    message = _bad_request_words(exception)
    if path.endswith(".json"):
        return bad_json_request(FilterError([message]))
    if path.endswith((".csv", ".xlsx", ".zip")):
        return bad_export_request(FilterError([message]))
    return render(request, "400.html", {"errors": [message]}, status=400)


def csrf_failure(request, reason=""):
    """A form sent without its CSRF token, or with one rotated since (a sign-in or sign-out in another
    tab, a page kept open): the site's page in the reader's language saying what to do, not Django's
    bare one (which speaks of DEBUG). The reason is for the log (django.security.csrf logs it), not the page."""
    return render(request, "403_csrf.html", status=403)
