"""The one scope rule of every protected record: who may see which records.

Each protected entity declares where its owners are (:class:`RecordPolicy`): the
organisation that holds it, the users who hold it personally (the case worker, the
person who registered a child) and which grant column points at it. A role's scope
(``accounts.roles.Scope``) then reads the same way for every entity:

- all: every record;
- organisation: the records of the user's organisation, and those granted to it or to
  any of its users;
- team: the records held by the user or by a member of the user's team, and those
  granted to either;
- own: the records held by the user, and those granted to the user;
- referred: only the records granted to the user's organisation or to the user (a
  partner sees what was referred to it, while the referral lasts and the child's
  consent to disclosure holds);
- none: nothing.

No domain app imports another to decide visibility: a P module that gives a new reason
to see a child writes a grant (``access.services.grant_give``).
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from komar.access.models import Grant
from komar.accounts.models import User
from komar.accounts.roles import Perm, Scope

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class RecordPolicy:
    """Where the owners of a protected entity are.

    ``organisation``: the field of the owning organisation. ``holders``: the fields of
    users who hold the record personally. ``grant_field``: the field of ``Grant`` that
    points at this entity.
    """

    perm: Perm
    organisation: str
    holders: tuple[str, ...]
    grant_field: str


def grants_q(user: User, scope: str) -> Q:
    """Return the filter of the active grants that reach ``user`` under ``scope``."""
    if scope == Scope.ORGANISATION:
        holder = Q(holder_organisation_id=user.organisation_id) | Q(
            holder_user__organisation_id=user.organisation_id
        )
    elif scope == Scope.TEAM and user.team_id is not None:
        holder = Q(holder_user_id=user.pk) | Q(
            holder_user__team_id=user.team_id,
            holder_user__organisation_id=user.organisation_id,
        )
    elif scope == Scope.REFERRED:
        holder = Q(holder_organisation_id=user.organisation_id) | Q(holder_user_id=user.pk)
    else:
        holder = Q(holder_user_id=user.pk)
    consent = Q(needs_disclosure_consent=False) | Q(child__consent_disclosure=True)
    return Q(ended_at__isnull=True) & holder & consent


def scope_q(user: User, policy: RecordPolicy) -> Q:
    """Return the filter of the records of ``policy``'s entity that ``user`` may see."""
    if not user.is_authenticated or not user.has_role_perm(policy.perm):
        return NOTHING
    scope = user.policy.scope
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.NONE:
        return NOTHING
    granted = Q(
        Exists(Grant.objects.filter(grants_q(user, scope), **{policy.grant_field: OuterRef("pk")}))
    )
    if scope == Scope.REFERRED:
        return granted
    own = Q()
    for field in policy.holders:
        own |= Q(**{f"{field}_id": user.pk})
    if scope == Scope.OWN:
        return own | granted
    if scope == Scope.TEAM:
        if user.team_id is None:
            return own | granted
        team = Q()
        for field in policy.holders:
            team |= Q(**{f"{field}__team_id": user.team_id})
        return own | (Q(**{f"{policy.organisation}_id": user.organisation_id}) & team) | granted
    if scope == Scope.ORGANISATION:
        return Q(**{f"{policy.organisation}_id": user.organisation_id}) | granted
    return NOTHING
