from typing import Any

from django.http import HttpRequest

from komar.accounts.roles import Perm


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Return what the page header needs to show the user's menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_see_cases": user.has_role_perm(Perm.CASE_VIEW),
        "nav_can_register": user.has_role_perm(Perm.CHILD_ADD),
    }
