"""Who may see which cases: the scope rule of the case chokepoint."""

from django.db.models import Q

from komar.accounts.models import User
from komar.accounts.roles import Perm, Scope

NOTHING = Q(pk__in=[])


def case_scope_q(user: User) -> Q:
    """Return the filter of the cases the user's role lets them see.

    Own: the cases assigned to the user. Team: the cases assigned to anyone in the
    user's team. Organisation: the cases the user's organisation owns. Referred: cases
    referred to the user's organisation (none exist yet). A role without
    ``case.view`` sees nothing.
    """
    if not user.is_authenticated or not user.has_role_perm(Perm.CASE_VIEW):
        return NOTHING
    scope = user.policy.scope
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.ORGANISATION:
        return Q(organisation_id=user.organisation_id)
    if scope == Scope.TEAM:
        if user.team_id is None:
            return Q(assigned_to_id=user.pk)
        return Q(organisation_id=user.organisation_id, assigned_to__team_id=user.team_id) | Q(
            assigned_to_id=user.pk
        )
    if scope == Scope.OWN:
        return Q(assigned_to_id=user.pk)
    return NOTHING
