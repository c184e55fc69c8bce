"""Permission checks that hold for every API endpoint, before any record is touched."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from komar.accounts.selectors import user_has_two_factor, user_requires_two_factor


class TwoFactorEnrolled(BasePermission):
    """Refuse users whose role must use a second factor until they have enrolled one.

    The web pages send such users to enrolment; the API is exempt from that redirect,
    so without this check a password-only session would reach records through it.
    """

    message = _("Set up two-factor authentication in Komar's web pages first.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return True  # IsAuthenticated answers for anonymous callers
        return not user_requires_two_factor(user) or user_has_two_factor(user)
