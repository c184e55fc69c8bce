from typing import Any

from django.conf import settings
from django.http import HttpRequest

from komar.accounts.roles import Perm


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Return what the page header needs: the language switch and the user's menu."""
    # settings.LANGUAGES names each language in itself ("English", "ខ្មែរ"), untranslated.
    context: dict[str, Any] = {"language_switch": settings.LANGUAGES}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    return {
        **context,
        "nav_can_see_cases": user.has_role_perm(Perm.CASE_VIEW),
        "nav_can_register": user.has_role_perm(Perm.CHILD_ADD),
        "nav_can_audit": user.has_role_perm(Perm.AUDIT_VIEW),
        "nav_can_manage_users": user.has_role_perm(Perm.USERS_MANAGE),
    }
