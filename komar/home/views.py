"""The start page: each user's work, composed from the apps that hold it.

``home`` sits above every domain app, so that ``core`` stays the ground floor.
"""

from dataclasses import asdict

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from komar.accounts.requests import AuthenticatedHttpRequest
from komar.accounts.roles import Perm
from komar.audit.reads import audit_list
from komar.cases.models import Case
from komar.cases.selectors import CaseFilters, open_caseload

CASELOAD_SIZE = 10


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the user's start page: their open caseload, if their role has one."""
    caseload = None
    if request.user.has_role_perm(Perm.CASE_VIEW):
        filters = CaseFilters()
        caseload = list(open_caseload(user=request.user, filters=filters)[:CASELOAD_SIZE])
        # The start page lists children's cases: one list event, like any other list.
        audit_list(
            actor=request.user,
            model=Case,
            filters={**asdict(filters), "open": True},
            count=len(caseload),
        )
    return render(request, "home/home.html", {"caseload": caseload})
