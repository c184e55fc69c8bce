from collections.abc import Iterable
from typing import cast

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from komar.accounts.models import Organisation, Team, User
from komar.accounts.roles import TWO_FACTOR_ROLES, Perm
from komar.core.khmer import ascii_digits, normalize_khmer


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


# --- user administration ---------------------------------------------------------------


def organisations_managed_by(actor: User) -> QuerySet[Organisation]:
    """Return the organisations whose accounts ``actor`` may manage.

    An administrator manages the accounts of their own organisation; an administrator
    of the host organisation also those of the partner organisations.
    """
    if not actor.has_role_perm(Perm.USERS_MANAGE) or actor.organisation is None:
        return Organisation.objects.none()
    if actor.organisation.is_host:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk=actor.organisation.pk)


def users_in_reach_of(actor: User) -> QuerySet[User]:
    """Return the accounts ``actor`` may manage, whatever the filters.

    Accounts of the organisations the actor manages (:func:`organisations_managed_by`),
    except those with Django-admin rights (staff, superuser), which are left to
    superusers: resetting such an account's password would hand its rights to the
    actor. Accounts without an organisation (made on the command line) are not managed
    here.
    """
    qs = User.objects.filter(organisation__in=organisations_managed_by(actor))
    if not actor.is_superuser:
        qs = qs.filter(is_staff=False, is_superuser=False)
    return qs


def user_in_reach(*, actor: User, user: User) -> bool:
    """Return True when ``actor`` may manage the account ``user``."""
    return user.pk is not None and users_in_reach_of(actor).filter(pk=user.pk).exists()


def users_manageable_by(
    user: User,
    *,
    q: str = "",
    role: str = "",
    team_id: int | None = None,
    is_active: bool | None = None,
) -> QuerySet[User]:
    """Return the accounts ``user`` may manage that pass the filters, by username.

    ``q`` matches the username and both full names, in any letter case; Khmer digits
    match ASCII ones.
    """
    qs = users_in_reach_of(user).select_related("organisation", "team")
    text = normalize_khmer(ascii_digits(q or ""))
    if text:
        qs = qs.filter(
            Q(username__icontains=text)
            | Q(full_name__icontains=text)
            | Q(full_name_km__icontains=text)
        )
    if role:
        qs = qs.filter(role=role)
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs.order_by(Lower("username"), "pk")


def user_get_for_manager(*, actor: User, user_id: object) -> User:
    """Return the account ``user_id`` for ``actor`` to manage.

    A malformed id, a missing account and one out of the actor's reach raise the same
    Http404: the answer must not reveal which accounts exist elsewhere.
    """
    text = ascii_digits(str(user_id)).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise Http404
    user = users_in_reach_of(actor).select_related("organisation", "team").filter(pk=int(text))
    found = user.first()
    if found is None:
        raise Http404
    return found


def teams_assignable_by(actor: User) -> QuerySet[Team]:
    """Return the teams ``actor`` may put the accounts they manage in."""
    return (
        Team.objects.filter(organisation__in=organisations_managed_by(actor))
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def usernames_locked_out(usernames: Iterable[str]) -> set[str]:
    """Return, in lower case, which of ``usernames`` django-axes locks out right now.

    An account is locked when its failed sign-ins from one address reached the limit
    within the cool-off time (Komar counts failures per account and address).
    """
    from axes.models import AccessAttempt

    wanted = {name.lower() for name in usernames}
    if not wanted:
        return set()
    attempts = AccessAttempt.objects.annotate(name=Lower("username")).filter(
        name__in=wanted, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return set(attempts.values_list("name", flat=True))


def user_is_locked_out(user: User) -> bool:
    """Return True when django-axes refuses the account's sign-in from some address."""
    return bool(usernames_locked_out([user.username]))
