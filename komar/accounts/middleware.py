from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from komar.accounts.selectors import user_has_two_factor, user_requires_two_factor


class RequireTwoFactorMiddleware:
    """Send administrators and supervisors without a TOTP device to enrol one.

    While enrolment is pending they can reach only the enrolment, logout and language
    pages; every other page redirects, so no record is shown before the second factor.
    """

    ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and user_requires_two_factor(user)
            and not user_has_two_factor(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
