"""Root URLs."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from funding.views import accounts, health

handler400 = "funding.views.health.bad_request"

# English at today's addresses, French and Spanish under /fr/ and /es/ (see funding/languages.py).
urlpatterns = [path("healthz", health.healthz, name="healthz"), path("admin/", admin.site.urls)] + i18n_patterns(
    path("accounts/login/", accounts.sign_in, name="login"),
    path("accounts/password_reset/", accounts.password_reset, name="password_reset"),
    path("accounts/password_reset/done/", accounts.password_reset_done, name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", accounts.password_reset_confirm, name="password_reset_confirm"),
    path("accounts/reset/done/", accounts.password_reset_complete, name="password_reset_complete"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("funding.urls")),
    prefix_default_language=False,
)
if settings.EMAIL_CONFIGURED:
    # The admin's sign-in page offers "Forgotten your password?" when this name exists.
    urlpatterns.insert(1, path("admin/password_reset/", accounts.password_reset, name="admin_password_reset"))
