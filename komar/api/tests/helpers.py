"""Helpers of the API tests: clients signed in with a token, and a few records to work on.

Who may see what is tested against literal tables in ``komar.access.tests.matrix``,
never against expectations computed from ``accounts/roles.py``."""

from dataclasses import dataclass

from rest_framework.test import APIClient

from komar.accounts.models import User
from komar.accounts.roles import Role
from komar.accounts.security import api_token_issue
from komar.cases.models import Case
from komar.cases.tests.factories import CaseFactory
from komar.children.models import Child
from komar.children.tests.factories import ChildFactory

# Where each record of :func:`make_records` sits (the case worker of team A owns the first).
OWN_TEAM, OTHER_TEAM, OTHER_ORG = "own_team", "other_team", "other_org"


def api_as(user: User | None = None) -> APIClient:
    """Return an API client that sends ``user``'s token (anonymous without a user)."""
    client = APIClient()
    if user is not None:
        token = api_token_issue(user=user).token
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


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
