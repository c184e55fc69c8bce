"""Who may see which cases: the case's policy under the one scope rule."""

from django.db.models import Q

from komar.access.policy import RecordPolicy, scope_q
from komar.accounts.models import User
from komar.accounts.roles import Perm

# A case is held by the organisation that opened it and by its assigned case worker;
# partners, shelters and lawyers see it through grants.
CASE_POLICY = RecordPolicy(
    perm=Perm.CASE_VIEW,
    organisation="organisation",
    holders=("assigned_to",),
    grant_field="case",
)


def case_scope_q(user: User) -> Q:
    """Return the filter of the cases the user's role lets them see."""
    return scope_q(user, CASE_POLICY)
