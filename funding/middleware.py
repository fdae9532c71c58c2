"""Rules every URL follows: the HTTP methods a view declares, and the security headers.

`ContentSecurityPolicyMiddleware` is django-csp's, with the header built once per policy.
`AdminNulMiddleware` refuses an admin address holding a NUL character (400).
`MethodNotAllowedMiddleware` answers a method the view does not declare with 405 and an `Allow`
header, before the CSRF middleware could answer it 403 for a missing token. A view declares its
methods with Django's own `require_GET`, `require_safe`, `require_POST` or `require_http_methods`,
or as a class-based view's handlers; the rule needs no list of URLs, so views added later follow it.
A view that declares nothing (the admin's, say) takes GET, HEAD and POST. Nothing here takes PUT,
PATCH, DELETE or any other method. Where a view declares OPTIONS (a class-based view), the answer to
it is written here too, with the same `Allow` as the 405: Django's own `View.options` would list the
methods of its class (the sign-in page's PUT, say), which the 405 refuses.
"""

import json

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

SITE_METHODS = frozenset({"GET", "HEAD", "POST", "OPTIONS"})
UNDECLARED = frozenset({"GET", "HEAD", "POST"})
_declared = {}


def _require_http_methods_list(view):
    """The method list of the innermost `require_http_methods` around `view`, or None."""
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = view.__closure__[code.co_freevars.index("request_method_list")]
            return frozenset(cell.cell_contents)
        view = getattr(view, "__wrapped__", None)
    return None


def declared_methods(view):
    """The HTTP methods `view` answers (upper case), HEAD with GET."""
    if view not in _declared:
        view_class = getattr(view, "view_class", None)
        if view_class is not None:
            methods = {name.upper() for name in view_class.http_method_names if hasattr(view_class, name)}
        else:
            methods = _require_http_methods_list(view) or UNDECLARED
        if "GET" in methods:
            methods = {*methods, "HEAD"}
        _declared[view] = frozenset(methods) & SITE_METHODS
    return _declared[view]


def wants_json(request):
    return request.path_info.endswith(".json")


def allow_header(allowed):
    return ", ".join(sorted(allowed))


def options_answer(allowed):
    """The answer to OPTIONS where a view declares it: the methods it is answered by, no body."""
    response = HttpResponse()
    response["Allow"] = allow_header(allowed)
    response["Content-Length"] = "0"
    return response


def method_not_allowed(request, allowed):
    allow = allow_header(allowed)
    message = _("The method %(method)s is not allowed here; this URL answers %(allow)s.") % {
        "method": request.method,
        "allow": allow,
    }
    if wants_json(request):
        response = HttpResponse(json.dumps({"error": message, "errors": [message]}), content_type="application/json")
    else:
        response = HttpResponse(message + "\n", content_type="text/plain; charset=utf-8")
    response.status_code = 405
    response["Allow"] = allow
    return response


class MethodNotAllowedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        allowed = declared_methods(view_func)
        if request.method not in allowed:
            return method_not_allowed(request, allowed)
        if request.method == "OPTIONS":
            return options_answer(allowed)
        return None


class NulInAddress(SuspiciousOperation):
    """An admin address holding a NUL character (`%00`), which no admin URL takes."""


class AdminNulMiddleware:
    """Refuse an admin address holding a NUL character with the site's 400 (views.health.bad_request).
    The admin's list filters and lookups (`?state__exact=%00`, any model's, ours, auth's and axes')
    pass their values to a query, and PostgreSQL refuses a NUL in any text: a 500. The site's own
    views read every parameter through `forms`, whose 400 names the parameter holding one."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            self.prefix = reverse("admin:index")
        if request.path_info.startswith(self.prefix) and (
            "\x00" in request.path_info or any("\x00" in key + "".join(values) for key, values in request.GET.lists())
        ):
            raise NulInAddress("a NUL character in an admin address")
        return self.get_response(request)


class HealthCheckMiddleware:
    """/healthz answered whatever the request's Host: a load balancer or a container's probe asks by the
    server's address (`Host: 10.0.0.5:8000`), which ALLOWED_HOSTS rightly refuses for every page (a 400
    that marked each healthy server down), and the answer names no host. Before every middleware that
    reads the host (CommonMiddleware, CSRF); after the ones that set the security headers."""

    def __init__(self, get_response):
        from .views.health import healthz  # the views import the app's models: not at settings time

        self.get_response, self.healthz = get_response, healthz

    def __call__(self, request):
        if request.path_info == "/healthz":
            return self.healthz(request)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Permissions-Policy and Cross-Origin-Resource-Policy on every response (Django sets the rest)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the headers built once per policy setting instead of on every
    response (a fifth of what a page served from the cache cost). The policy here is the settings'
    alone: no nonce, no per-view change. A response carrying one of django-csp's per-view attributes
    (`_csp_...`), a request that used its nonce, a policy excluding URL prefixes, and DEBUG (whose
    error pages django-csp exempts) go through django-csp unchanged."""

    HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
    _built = {}

    def process_response(self, request, response):
        policies = [
            getattr(settings, name, None) or {}
            for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        ]
        if (
            settings.DEBUG
            or any(name.startswith("_csp") for name in vars(response))
            or getattr(request, "_csp_nonce", None) is not None
            or any(policy.get("EXCLUDE_URL_PREFIXES") for policy in policies)
        ):
            return super().process_response(request, response)
        key = repr(policies)
        if key not in self._built:
            probe = super().process_response(request, HttpResponse())
            self._built[key] = [(name, probe[name]) for name in self.HEADERS if name in probe]
        for name, value in self._built[key]:
            response.headers.setdefault(name, value)
        return response
