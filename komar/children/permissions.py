"""Who may see which children: the child's policy under the one scope rule."""

from django.db.models import Q

from komar.access.policy import RecordPolicy, scope_q
from komar.accounts.models import User
from komar.accounts.roles import Perm

# A child is held by the organisation that registered it and by the user who did; the
# case worker of any of its cases sees it through a case-assignment grant.
CHILD_POLICY = RecordPolicy(
    perm=Perm.CHILD_VIEW,
    organisation="organisation",
    holders=("registered_by",),
    grant_field="child",
)


def child_scope_q(user: User) -> Q:
    """Return the filter of the children the user's role lets them see."""
    return scope_q(user, CHILD_POLICY)


def can_change_child(user: User) -> bool:
    """Return True when the user's role may change children it can see."""
    return user.has_role_perm(Perm.CHILD_CHANGE)
