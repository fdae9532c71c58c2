"""Signing in: the sign-in page, and password reset, which is offered only where mail is configured."""

from functools import wraps

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render


class SignInView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "password_reset_offered": settings.EMAIL_CONFIGURED}


def _needs_mail(view):
    """Without mail (EMAIL_HOST unset) a reset would say "we've emailed you" and send nothing:
    the page says reset is not available instead, with status 404."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.EMAIL_CONFIGURED:
            return render(request, "registration/password_reset_unavailable.html", status=404)
        return view(request, *args, **kwargs)

    return wrapped


sign_in = SignInView.as_view()
password_reset = _needs_mail(auth_views.PasswordResetView.as_view())
password_reset_done = _needs_mail(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = _needs_mail(auth_views.PasswordResetConfirmView.as_view())
password_reset_complete = _needs_mail(auth_views.PasswordResetCompleteView.as_view())
