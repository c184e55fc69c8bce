"""Who may see which children: the scope rule of the child chokepoint."""

from django.db.models import Q

from komar.accounts.models import User
from komar.accounts.roles import Perm, Scope
from komar.cases.models import Case
from komar.cases.permissions import NOTHING, case_scope_q


def child_scope_q(user: User) -> Q:
    """Return the filter of the children the user's role lets them see.

    A child is visible with any case of theirs the user may see, and, before a case is
    opened, to the user who registered them (own scope), their team (team scope) or
    their organisation (organisation scope).
    """
    if not user.is_authenticated or not user.has_role_perm(Perm.CHILD_VIEW):
        return NOTHING
    scope = user.policy.scope
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.ORGANISATION:
        return Q(organisation_id=user.organisation_id)
    via_case = Q(pk__in=Case.objects.filter(case_scope_q(user)).values("child_id"))
    if scope == Scope.TEAM:
        registered = Q(registered_by_id=user.pk)
        if user.team_id is not None:
            registered |= Q(
                organisation_id=user.organisation_id, registered_by__team_id=user.team_id
            )
        return via_case | registered
    if scope == Scope.OWN:
        return via_case | Q(registered_by_id=user.pk)
    return NOTHING


def can_change_child(user: User) -> bool:
    """Return True when the user's role may change children it can see."""
    return user.has_role_perm(Perm.CHILD_CHANGE)
