"""The three languages of the Governing Body: a first visit in the browser's language, and the switcher.

English lives at today's addresses (`/expenditure/`), French and Spanish under `/fr/` and `/es/`
(`i18n_patterns` with `prefix_default_language=False`), so every old link keeps working. A browser
that asks for a page at an English address for the first time (no language chosen yet) and prefers
French or Spanish is sent to the same page in that language; from then on the cookie remembers the
language last read, and an English address chosen from the switcher stays English.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers

# Machine-readable addresses answer in English at their own address whatever the browser prefers.
NEVER_REDIRECTED = ("/admin/", "/api/", "/sdmx/", "/static/")


class FirstVisitLanguageMiddleware:
    """After LocaleMiddleware: redirect a first visit to the browser's language, remember the one read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        in_path = translation.get_language_from_path(request.path_info)
        if chosen is None and in_path is None and _is_a_page_request(request):
            preferred = translation.get_language_from_request(request, check_path=False)
            if preferred != settings.LANGUAGE_CODE:
                target = translate_url(request.get_full_path(), preferred)
                if target != request.get_full_path():
                    response = HttpResponseRedirect(target)
                    patch_vary_headers(response, ("Accept-Language", "Cookie"))
                    return response
        response = self.get_response(request)
        current = translation.get_language()
        if (
            _is_a_page_request(request)
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and chosen != current
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, current, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
            )
        if in_path is None and _is_a_page_request(request):
            patch_vary_headers(response, ("Cookie",))
        return response


def _is_a_page_request(request):
    """A browser asking for a page (not a script asking for a file): a GET that accepts HTML."""
    return (
        request.method in ("GET", "HEAD")
        and "text/html" in request.headers.get("Accept", "")
        and not request.path_info.startswith(NEVER_REDIRECTED)
        and not request.path_info.endswith((".json", ".csv", ".xlsx", ".pdf"))
    )


def languages(request):
    """Context: `languages`, the switcher: [{"code", "name", "url", "current"}], the same view and query
    string in each language."""
    current = translation.get_language()
    here = request.get_full_path()
    return {
        "languages": [
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "url": translate_url(here, code),
                "current": code == current,
            }
            for code, _ in settings.LANGUAGES
        ]
    }
