from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from komar.accounts.requests import AuthenticatedHttpRequest
from komar.accounts.roles import Perm
from komar.cases.selectors import CaseFilters, cases_list


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the user's start page: their open caseload, if their role has one."""
    caseload = None
    if request.user.has_role_perm(Perm.CASE_VIEW):
        caseload = cases_list(user=request.user, filters=CaseFilters()).exclude(status="closed")[
            :10
        ]
    return render(request, "core/home.html", {"caseload": caseload})
