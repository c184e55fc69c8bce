"""Helpers of the API tests: clients signed in with a token, and records in and out of
each role's scope."""

from dataclasses import dataclass

from rest_framework.test import APIClient

from komar.accounts.models import User
from komar.accounts.roles import POLICIES, Perm, Role, Scope
from komar.accounts.security import api_token_issue
from komar.cases.models import Case
from komar.cases.tests.factories import CaseFactory
from komar.children.models import Child
from komar.children.tests.factories import ChildFactory

# Where each record of :func:`make_records` sits, and which scopes reach it from a user
# of team A of the host organisation (the case worker of team A owns the first one).
OWN_TEAM, OTHER_TEAM, OTHER_ORG = "own_team", "other_team", "other_org"
PLACES = (OWN_TEAM, OTHER_TEAM, OTHER_ORG)
SCOPE_REACHES: dict[str, set[str]] = {
    Scope.NONE: set(),
    Scope.OWN: {OWN_TEAM},
    Scope.TEAM: {OWN_TEAM},
    Scope.ORGANISATION: {OWN_TEAM, OTHER_TEAM},
    Scope.REFERRED: set(),  # nothing is referred in these tests
    Scope.ALL: {OWN_TEAM, OTHER_TEAM, OTHER_ORG},
}


def api_as(user: User | None = None) -> APIClient:
    """Return an API client that sends ``user``'s token (anonymous without a user)."""
    client = APIClient()
    if user is not None:
        token = api_token_issue(user=user).token
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def role_sees(role: str, place: str, perm: Perm) -> bool:
    """Return True when roles.py lets ``role`` (team A, host) see a record at ``place``."""
    policy = POLICIES[role]
    return perm in policy.perms and place in SCOPE_REACHES[policy.scope]


def role_may(role: str, perm: Perm) -> bool:
    return perm in POLICIES[role].perms


@dataclass
class Records:
    children: dict[str, Child]
    cases: dict[str, Case]


def make_records(world) -> Records:
    """Register a child and open a case in team A (by its case worker), in team B and in
    another organisation."""
    owners = {
        OWN_TEAM: world.user(Role.CASE_WORKER),
        OTHER_TEAM: world.user("case_worker_b"),
        OTHER_ORG: world.user("other_case_worker"),
    }
    children = {place: ChildFactory(actor=owner) for place, owner in owners.items()}
    cases = {
        place: CaseFactory(actor=owner, child=children[place]) for place, owner in owners.items()
    }
    return Records(children=children, cases=cases)
