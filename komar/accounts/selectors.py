from typing import cast

from django.conf import settings
from django.db.models import QuerySet

from komar.accounts.models import Organisation, User
from komar.accounts.roles import TWO_FACTOR_ROLES


def user_requires_two_factor(user: User) -> bool:
    """Return True when the user's role must sign in with a second factor."""
    return bool(settings.KOMAR_REQUIRE_2FA) and user.role in TWO_FACTOR_ROLES


def user_has_two_factor(user: User) -> bool:
    """Return True when the user has an active TOTP authenticator."""
    from allauth.mfa.models import Authenticator

    # allauth ships no type information, so exists() is Any to the checker.
    return cast(
        bool, Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """Return the organisations the user may see: every active one.

    Partners must be visible to choose a referral's receiver; an organisation's
    record holds nothing about children.
    """
    return Organisation.objects.filter(is_active=True)
