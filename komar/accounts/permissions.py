"""Permission checks of the web views."""

from django.core.exceptions import PermissionDenied

from komar.accounts.requests import AuthenticatedHttpRequest
from komar.accounts.roles import Perm


def require_perm(request: AuthenticatedHttpRequest, perm: Perm) -> None:
    """Refuse the request (403) unless the user's role grants ``perm``."""
    if not request.user.has_role_perm(perm):
        raise PermissionDenied
