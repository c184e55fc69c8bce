"""Reads of cases. Every read of a case goes through :func:`case_get_for_user`."""

from dataclasses import dataclass

from django.db.models import QuerySet

from komar.access.chokepoint import Purpose, visible_record_get
from komar.accounts.models import User
from komar.accounts.roles import Perm, Role, Scope
from komar.cases.choices import CaseStatus
from komar.cases.models import Case, Screening
from komar.cases.permissions import case_scope_q
from komar.children.models import Child
from komar.children.search import children_matching
from komar.children.selectors import children_visible_to


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Return the cases the user may see."""
    return Case.objects.filter(case_scope_q(user))


def case_get_for_user(*, user: User, case_id: object, purpose: Purpose) -> Case:
    """Return one case the user may see, for a stated purpose (audited as such).

    A missing case and a forbidden one raise the same Http404.
    """
    visible = cases_visible_to(user).select_related(
        "child", "child__village", "assigned_to", "organisation", "opened_by"
    )
    return visible_record_get(visible=visible, pk=case_id, actor=user, purpose=purpose)


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    status: str = ""
    risk_level: str = ""
    province: str = ""
    exploitation_type: str = ""
    assigned_to: int | None = None
    screening_result: str = ""


def cases_list(*, user: User, filters: CaseFilters) -> QuerySet[Case]:
    """Return the cases the user may see that pass the filters, newest first.

    The name query matches the child's names in either script, any spelling variant.
    """
    qs = cases_visible_to(user).select_related("child", "assigned_to", "child__village")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.risk_level:
        qs = qs.filter(risk_level=filters.risk_level)
    if filters.screening_result:
        qs = qs.filter(screening_result=filters.screening_result)
    if filters.province:
        qs = qs.filter(child__village__code__startswith=filters.province)
    if filters.exploitation_type:
        qs = qs.filter(exploitations__type=filters.exploitation_type)
    if filters.assigned_to:
        qs = qs.filter(assigned_to_id=filters.assigned_to)
    if filters.q.strip():
        children = children_matching(children_visible_to(user), filters.q).values("pk")
        qs = qs.filter(child_id__in=children)
    return qs.order_by("-opened_at")


def case_screenings(case: Case) -> QuerySet[Screening]:
    """Return a case's screenings, newest first (the caller holds the case)."""
    return case.screenings.select_related(
        "screened_by", "recruitment_village", "exploitation_village"
    )


def child_cases(*, user: User, child: Child) -> QuerySet[Case]:
    """Return the cases of a child that the user may see."""
    return (
        cases_visible_to(user)
        .filter(child=child)
        .select_related("assigned_to")
        .order_by("-opened_at")
    )


def child_open_cases(*, user: User, child: Child) -> QuerySet[Case]:
    """Return the open cases of a child that the user may see."""
    return child_cases(user=user, child=child).exclude(status=CaseStatus.CLOSED)


# The roles that carry cases: a case is assigned to, and filtered by, one of them.
CASE_ROLES = (Role.CASE_WORKER, Role.SUPERVISOR, Role.SHELTER_WORKER, Role.LAWYER)


def users_assignable_by(user: User) -> QuerySet[User]:
    """Return the users a case may be assigned to by ``user``: active case staff of the
    user's organisation, and of the user's team for own- and team-scoped roles."""
    if not user.has_role_perm(Perm.CASE_CHANGE) or user.organisation_id is None:
        return User.objects.none()
    qs = User.objects.filter(
        is_active=True, organisation_id=user.organisation_id, role__in=CASE_ROLES
    )
    if user.policy.scope in (Scope.OWN, Scope.TEAM) and user.team_id:
        qs = qs.filter(team_id=user.team_id)
    elif user.policy.scope == Scope.OWN:
        qs = qs.filter(pk=user.pk)
    return qs.order_by("username")


def case_staff_of_organisation(user: User) -> QuerySet[User]:
    """Return the active case staff of the user's organisation (for list filters)."""
    if user.organisation_id is None:
        return User.objects.none()
    return User.objects.filter(
        is_active=True, organisation_id=user.organisation_id, role__in=CASE_ROLES
    ).order_by("username")


def open_caseload(*, user: User, filters: CaseFilters) -> QuerySet[Case]:
    """Return the open cases the user may see that pass the filters, newest first."""
    return cases_list(user=user, filters=filters).exclude(status=CaseStatus.CLOSED)
