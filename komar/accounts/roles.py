"""Roles, their permissions and their record scope.

A role grants permissions (what a user may do) and a scope (which records it may do it
to). The matrix lives here, in one place, so that the access chokepoints of every app
read the same rules.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASE_WORKER = "case_worker", _("Case worker")
    SHELTER_WORKER = "shelter_worker", _("Shelter worker")
    LAWYER = "lawyer", _("Lawyer")
    PREVENTION_OFFICER = "prevention_officer", _("Prevention officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    DATA_OFFICER = "data_officer", _("Data officer")
    PARTNER_USER = "partner_user", _("Partner user")
    ADMINISTRATOR = "administrator", _("Administrator")


class Scope(models.TextChoices):
    NONE = "none", _("No records")
    OWN = "own", _("Own caseload")
    TEAM = "team", _("Team")
    ORGANISATION = "organisation", _("Organisation")
    ALL = "all", _("All organisations")
    REFERRED = "referred", _("Referred to the organisation")


class Perm(models.TextChoices):
    CHILD_VIEW = "child.view", _("See children")
    CHILD_ADD = "child.add", _("Register children")
    CHILD_CHANGE = "child.change", _("Change children")
    CASE_VIEW = "case.view", _("See cases")
    CASE_ADD = "case.add", _("Open new cases")
    CASE_CHANGE = "case.change", _("Change cases")
    AUDIT_VIEW = "audit.view", _("See access logs and change history")
    USERS_MANAGE = "users.manage", _("Manage users")


@dataclass(frozen=True)
class RolePolicy:
    scope: Scope
    perms: frozenset[Perm]


_CASEWORK = frozenset(
    {
        Perm.CHILD_VIEW,
        Perm.CHILD_ADD,
        Perm.CHILD_CHANGE,
        Perm.CASE_VIEW,
        Perm.CASE_ADD,
        Perm.CASE_CHANGE,
    }
)
_READ = frozenset({Perm.CHILD_VIEW, Perm.CASE_VIEW})

POLICIES: dict[str, RolePolicy] = {
    Role.CASE_WORKER: RolePolicy(Scope.OWN, _CASEWORK),
    # Shelter staff and lawyers work on the cases of their team; they read, the case
    # worker writes.
    Role.SHELTER_WORKER: RolePolicy(Scope.TEAM, _READ),
    Role.LAWYER: RolePolicy(Scope.TEAM, _READ),
    # Prevention officers and data officers work with programmes and anonymised
    # figures, never with a child's identifying record.
    Role.PREVENTION_OFFICER: RolePolicy(Scope.NONE, frozenset()),
    Role.SUPERVISOR: RolePolicy(Scope.TEAM, _CASEWORK | {Perm.AUDIT_VIEW}),
    Role.DATA_OFFICER: RolePolicy(Scope.NONE, frozenset()),
    # A partner sees only what was referred to its organisation, with consent.
    Role.PARTNER_USER: RolePolicy(Scope.REFERRED, _READ),
    Role.ADMINISTRATOR: RolePolicy(
        Scope.ORGANISATION, _READ | {Perm.AUDIT_VIEW, Perm.USERS_MANAGE}
    ),
}

# Roles that must use a second factor when KOMAR_REQUIRE_2FA is on.
TWO_FACTOR_ROLES = frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR})
