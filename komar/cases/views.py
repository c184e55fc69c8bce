from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from komar.access.chokepoint import Purpose, read_purpose
from komar.accounts.permissions import require_perm
from komar.accounts.requests import AuthenticatedHttpRequest
from komar.accounts.roles import Perm
from komar.audit.reads import audit_list
from komar.audit.selectors import events_for_record
from komar.cases import services
from komar.cases.forms import CaseFilterForm, CaseForm, ConfirmForm, ScreeningForm
from komar.cases.models import Case
from komar.cases.selectors import (
    COUNT_CAP,
    DEFAULT_SORT,
    case_get_for_user,
    case_screenings,
    case_staff_of_organisation,
    cases_counts,
    cases_list,
    child_open_cases,
    users_assignable_by,
)
from komar.children.selectors import child_get_for_user
from komar.core.exceptions import ConfirmationRequired
from komar.geo.selectors import province_choices

PAGE_SIZE = 25


def _screening_errors(error: ValidationError) -> ValidationError:
    """Return a service's ``screening.<field>`` errors keyed by the screening form's fields
    (``screening`` alone, an error of the whole screening, becomes a non-field error)."""
    out: dict[str, list[str]] = {}
    for key, texts in error.message_dict.items():
        if key == "screening":
            out.setdefault("__all__", []).extend(texts)
        elif key.startswith("screening."):
            out.setdefault(key.removeprefix("screening."), []).extend(texts)
    return ValidationError(out)


class _CountedPaginator(Paginator):
    """A paginator told its count (already read, capped, by :func:`cases_counts`)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


# The sortable columns of the case table, in the table's order (the child's name is
# encrypted and cannot be sorted by the database).
_SORTABLE_COLUMNS = (
    ("number", _lazy("Case")),
    ("status", _lazy("Stage")),
    ("risk", _lazy("Risk")),
    ("screening", _lazy("Screening")),
    ("worker", _lazy("Case worker")),
    ("opened", _lazy("Opened")),
    ("updated", _lazy("Updated")),
)


def _sort_links(request: AuthenticatedHttpRequest, current: str) -> dict[str, dict[str, str]]:
    """Return, per sortable column, the link that sorts by it and how it is sorted now.

    A first click sorts ascending (dates: newest first), a second one reverses.
    """
    current = current or DEFAULT_SORT
    links: dict[str, dict[str, str]] = {}
    for key, label in _SORTABLE_COLUMNS:
        first = f"-{key}" if key in ("opened", "updated") else key
        if current == key:
            state, target = "ascending", f"-{key}"
        elif current == f"-{key}":
            state, target = "descending", key
        else:
            state, target = "none", first
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = "" if target == DEFAULT_SORT else target
        if not query["sort"]:
            del query["sort"]
        links[key] = {"label": str(label), "state": state, "url": f"?{query.urlencode()}"}
    return links


@login_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the cases the user may see, filtered and sorted, with counts by stage and risk
    and a name search in either script."""
    require_perm(request, Perm.CASE_VIEW)
    form = CaseFilterForm(
        request.GET or None,
        provinces=province_choices(),
        workers=case_staff_of_organisation(request.user),
    )
    filters = form.to_filters()
    cases = cases_list(user=request.user, filters=filters)
    counts = cases_counts(cases)
    page = _CountedPaginator(cases, PAGE_SIZE, count=counts.total).get_page(request.GET.get("page"))
    audit_list(actor=request.user, model=Case, filters=asdict(filters), count=counts.total)
    template = (
        "cases/_case_results.html" if request.headers.get("HX-Request") else "cases/case_list.html"
    )
    filtered = any(v for k, v in asdict(filters).items() if k != "sort")
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "cases": page.object_list,
            "counts": counts,
            "count_cap": COUNT_CAP,
            "sort_links": _sort_links(request, filters.sort),
            "filtered": filtered,
            "sorted": bool(filters.sort),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@transaction.atomic
def case_open(request: AuthenticatedHttpRequest, child_id: str) -> HttpResponse:
    """Open a case for a child and screen it against the trafficking definition."""
    require_perm(request, Perm.CASE_ADD)
    child = child_get_for_user(
        user=request.user,
        child_id=child_id,
        purpose=read_purpose(request.method, Purpose.REFERENCE),
    )
    form = CaseForm(
        request.POST or None,
        assignable=users_assignable_by(request.user),
        opening=True,
        initial={"assigned_to": request.user.pk},
    )
    screening = ScreeningForm(request.POST or None, prefix="screening")
    confirm = ConfirmForm(request.POST or None, prefix="confirm")
    confirmation: ConfirmationRequired | None = None
    valid = form.is_valid() and screening.is_valid() and confirm.is_valid()
    if request.method == "POST" and valid:
        data = form.to_input(
            # A first screening is optional: nothing ticked means "not screened yet".
            screening=None if screening.found_nothing() else screening.to_input()
        )
        data.reason = confirm.cleaned_data["reason"] if confirm.cleaned_data["confirm"] else ""
        try:
            case = services.case_open(actor=request.user, child=child, data=data)
        except ValidationError as error:
            form.add_service_errors(error)
            confirm.add_service_errors(error)
            screening.add_service_errors(_screening_errors(error))
        except ConfirmationRequired as required:
            confirmation = required
        else:
            messages.success(request, _("Case %(number)s is open.") % {"number": case.number})
            return redirect(case)
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "screening": screening,
            "confirm": confirm,
            "confirmation": confirmation,
            "open_cases": child_open_cases(user=request.user, child=child),
            "child": child,
            "case": None,
        },
    )


@login_required
def case_detail(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    """Show a case with its screenings; the view is audited by the chokepoint."""
    case = case_get_for_user(user=request.user, case_id=case_id, purpose=Purpose.VIEW)
    can_audit = request.user.has_role_perm(Perm.AUDIT_VIEW)
    screenings = list(case_screenings(case)[:20])
    context = {
        "case": case,
        "screening": screenings[0] if screenings else None,
        "earlier_screenings": screenings[1:],
        "can_change": request.user.has_role_perm(Perm.CASE_CHANGE),
        "audit_events": events_for_record(obj=case, related=screenings)[:100]
        if can_audit
        else None,
    }
    return render(request, "cases/case_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@transaction.atomic
def case_edit(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    """Change a case's stage, risk, worker and formal identification."""
    require_perm(request, Perm.CASE_CHANGE)
    case = case_get_for_user(
        user=request.user, case_id=case_id, purpose=read_purpose(request.method, Purpose.EDIT)
    )
    initial = {
        "intake_source": case.intake_source,
        "intake_date": case.intake_date,
        "assigned_to": case.assigned_to_id,
        "risk_level": case.risk_level,
        "status": case.status,
        "formal_identification_date": case.formal_identification_date,
        "formal_identification_by": case.formal_identification_by,
    }
    form = CaseForm(
        request.POST or None,
        assignable=users_assignable_by(request.user),
        opening=False,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(actor=request.user, case=case, data=form.to_input())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(case)
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "screening": None, "child": case.child, "case": case},
    )


@login_required
@require_http_methods(["GET", "POST"])
@transaction.atomic
def case_screen(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    """Record a new screening of a case."""
    require_perm(request, Perm.CASE_CHANGE)
    case = case_get_for_user(
        user=request.user, case_id=case_id, purpose=read_purpose(request.method, Purpose.EDIT)
    )
    last = case_screenings(case).first()
    screening = ScreeningForm(
        request.POST or None, prefix="screening", initial=ScreeningForm.initial_from(last)
    )
    confirm = ConfirmForm(request.POST or None, prefix="confirm")
    confirmation: ConfirmationRequired | None = None
    if request.method == "POST" and screening.is_valid() and confirm.is_valid():
        try:
            services.screening_record(
                actor=request.user,
                case=case,
                data=screening.to_input(),
                confirm_result_change=confirm.cleaned_data["confirm"],
                reason=confirm.cleaned_data["reason"],
            )
        except ValidationError as error:
            screening.add_service_errors(_screening_errors(error))
            confirm.add_service_errors(error)
        except ConfirmationRequired as required:
            confirmation = required
        else:
            messages.success(request, _("The screening is recorded."))
            return redirect(case)
    return render(
        request,
        "cases/screening_form.html",
        {
            "screening": screening,
            "confirm": confirm,
            "confirmation": confirmation,
            "last": last,
            "case": case,
        },
    )
