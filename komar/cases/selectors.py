"""Reads of cases. Every read of a case goes through :func:`case_get_for_user`."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from komar.access.chokepoint import Purpose, visible_record_get
from komar.accounts.models import User
from komar.accounts.roles import Perm, Role, Scope
from komar.cases.choices import CaseStatus, RiskLevel, ScreeningResult
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


# Whose cases a list shows, within what the user may see.
WHOSE_MINE = "mine"
WHOSE_TEAM = "team"

# The orders of the case list: each a column the database can sort (the child's name is
# encrypted, so it cannot be sorted without decrypting every row). Ties: newest first.
CASE_ORDINALS: dict[str, tuple[str, tuple[str, ...]]] = {
    "status": ("status", tuple(CaseStatus.values)),
    "risk": ("risk_level", tuple(RiskLevel.values)),
    "screening": ("screening_result", tuple(ScreeningResult.values)),
}
CASE_SORTS = ("number", "status", "risk", "screening", "worker", "opened", "updated")
DEFAULT_SORT = "-opened"


def case_ordinal(field: str, codes: tuple[str, ...]) -> DbCase:
    """Return the position of a coded field's value in its choices (the form's order)."""
    return DbCase(
        *(When(**{field: code}, then=Value(i)) for i, code in enumerate(codes)),
        default=Value(len(codes)),
        output_field=IntegerField(),
    )


def case_order(sort: str) -> list[Any]:
    """Return the ORDER BY of a sort key (``opened``, ``-risk`` ...); unknown: newest first.

    Ties go the same way as the column (the newest opened first when descending), and
    no ``NULLS`` clause is given (these columns are never null): each order is then the
    forward or backward scan of one index (``access`` migration 0003).
    """
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in CASE_SORTS:
        descending, key = True, "opened"
    terms: list[Any]
    if key in CASE_ORDINALS:
        terms = [case_ordinal(*CASE_ORDINALS[key]), F("opened_at")]
    elif key == "worker":
        terms = [F("assigned_to__full_name"), F("assigned_to__username"), F("opened_at")]
    else:
        terms = [F({"number": "number", "opened": "opened_at", "updated": "updated_at"}[key])]
    return [t.desc() if descending else t.asc() for t in [*terms, F("id")]]


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    status: str = ""
    risk_level: str = ""
    province: str = ""
    exploitation_type: str = ""
    assigned_to: int | None = None
    screening_result: str = ""
    opened_from: date | None = None
    opened_to: date | None = None
    updated_from: date | None = None
    updated_to: date | None = None
    whose: str = ""
    sort: str = ""


def _day_start(day: date) -> datetime:
    """Return the first instant of a day in the current time zone (Asia/Phnom_Penh)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _date_range(
    qs: QuerySet[Case], field: str, start: date | None, end: date | None
) -> QuerySet[Case]:
    # Bounds as instants, not ``__date``: the column's index still serves the filter.
    if start:
        qs = qs.filter(**{f"{field}__gte": _day_start(start)})
    if end:
        qs = qs.filter(**{f"{field}__lt": _day_start(end + timedelta(days=1))})
    return qs


def cases_list(*, user: User, filters: CaseFilters) -> QuerySet[Case]:
    """Return the cases the user may see that pass the filters, in the filters' order
    (newest first by default).

    The name query matches the child's names in either script, any spelling variant.
    ``whose`` narrows to the user's own cases (``mine``) or their team's (``team``).
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
    if filters.whose == WHOSE_MINE or (filters.whose == WHOSE_TEAM and user.team_id is None):
        qs = qs.filter(assigned_to_id=user.pk)
    elif filters.whose == WHOSE_TEAM:
        qs = qs.filter(
            Q(assigned_to__team_id=user.team_id)
            & Q(assigned_to__organisation_id=user.organisation_id)
        )
    qs = _date_range(qs, "opened_at", filters.opened_from, filters.opened_to)
    qs = _date_range(qs, "updated_at", filters.updated_from, filters.updated_to)
    if filters.q.strip():
        children = children_matching(children_visible_to(user), filters.q).values("pk")
        qs = qs.filter(child_id__in=children)
    return qs.order_by(*case_order(filters.sort or DEFAULT_SORT))


# Above this many matching cases, the list says "more than" instead of counting them
# all: an exact count over a scope of a million cases is the slowest part of a page.
COUNT_CAP = 1_000


@dataclass(frozen=True)
class CaseCounts:
    """How many cases a filtered list holds, in all and by stage and by risk.

    ``capped``: more than ``total`` cases match; the counts by stage and risk are then
    left out (they would be those of an arbitrary part of the list).
    """

    total: int
    capped: bool
    by_status: list[tuple[str, str, int]]
    by_risk: list[tuple[str, str, int]]


def cases_counts(cases: QuerySet[Case], *, cap: int = COUNT_CAP) -> CaseCounts:
    """Count a filtered case list by stage and by risk, reading at most ``cap`` + 1 rows."""
    rows = list(cases.order_by().values_list("status", "risk_level")[: cap + 1])
    if len(rows) > cap:
        return CaseCounts(total=cap, capped=True, by_status=[], by_risk=[])
    statuses = Counter(status for status, _ in rows)
    risks = Counter(risk for _, risk in rows)
    return CaseCounts(
        total=len(rows),
        capped=False,
        by_status=[(c, str(label), statuses[c]) for c, label in CaseStatus.choices if statuses[c]],
        by_risk=[(c, str(label), risks[c]) for c, label in RiskLevel.choices if risks[c]],
    )


def case_screenings(case: Case) -> QuerySet[Screening]:
    """Return a case's screenings, newest first (the caller holds the case)."""
    return case.screenings.select_related("screened_by")


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
