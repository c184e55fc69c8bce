"""Komar's own versions of pages Django would otherwise show in English: the CSRF
failure and the admin refusal."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain a refused form in the user's language (settings.CSRF_FAILURE_VIEW).

    Django's own page is in English and speaks of cookies, DEBUG and origins. The
    reason stays out of the page: it helps an attacker more than a case worker.
    """
    return render(request, "403_csrf.html", status=403)


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """Refuse Django's admin to a signed-in user who is not staff, in their language.

    Anonymous visitors and staff get the admin's own sign-in (which sends staff on).
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and not user.is_staff:
        return render(request, "403_admin.html", status=403)
    return admin.site.login(request)
