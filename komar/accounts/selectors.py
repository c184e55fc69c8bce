from typing import cast

from django.conf import settings
from django.db.models import QuerySet

from komar.accounts.models import Organisation, User
from komar.accounts.roles import TWO_FACTOR_ROLES, Perm


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


def users_assignable_by(user: User) -> QuerySet[User]:
    """Return the users a case may be assigned to by this user: active case staff of
    the user's organisation (and team, for team-scoped roles)."""
    qs = User.objects.filter(is_active=True, organisation_id=user.organisation_id).exclude(  # type: ignore[misc]  # None (no organisation) is a valid lookup
        role__in=["partner_user", "data_officer", "prevention_officer"]
    )
    if not user.has_role_perm(Perm.CASE_CHANGE):
        return qs.none()
    if user.policy.scope in ("own", "team") and user.team_id:
        qs = qs.filter(team_id=user.team_id)
    elif user.policy.scope == "own":
        qs = qs.filter(pk=user.pk)
    return qs.order_by("username")


CASE_ROLES = ("case_worker", "supervisor", "shelter_worker", "lawyer")


def case_staff_of_organisation(user: User) -> QuerySet[User]:
    """Return the active case staff of the user's organisation (for list filters)."""
    return User.objects.filter(
        is_active=True,
        organisation_id=user.organisation_id,  # type: ignore[misc]  # None (no organisation) is a valid lookup
        role__in=CASE_ROLES,
    ).order_by("username")
