from dataclasses import asdict

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from komar.accounts.requests import AuthenticatedHttpRequest
from komar.audit.forms import AuditFilterForm
from komar.audit.models import AuditEvent
from komar.audit.reads import audit_list
from komar.audit.selectors import events_visible_to

PAGE_SIZE = 50


@login_required
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show what the people the user answers for did: views, searches, changes, refusals."""
    form = AuditFilterForm(request.GET or None)
    filters = form.to_filters()
    events = events_visible_to(user=request.user, filters=filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_list(
        actor=request.user, model=AuditEvent, filters=asdict(filters), count=page.paginator.count
    )
    return render(request, "audit/access_log.html", {"form": form, "page": page})
