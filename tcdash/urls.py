"""Root URLs."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

# English at today's addresses, French and Spanish under /fr/ and /es/ (see funding/languages.py).
urlpatterns = [path("admin/", admin.site.urls)] + i18n_patterns(
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("funding.urls")),
    prefix_default_language=False,
)
