"""Sign-in throttling (django-axes): the client's address, and the page a paused sign-in gets."""

from django.conf import settings
from django.shortcuts import render


def client_ip(request):
    """The client's address: REMOTE_ADDR, or behind the trusted proxy (SECURE_PROXY_SSL_HEADER set)
    the last address in X-Forwarded-For, the one that proxy appended (earlier ones the client may
    have written itself)."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request, original_response=None, credentials=None):
    """429 with a page saying why and for how long, at /accounts/login/ and /admin/login/ alike."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
        "password_reset_offered": settings.EMAIL_CONFIGURED,
    }
    return render(request, "registration/locked_out.html", context, status=429)
