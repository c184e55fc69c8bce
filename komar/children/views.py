from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from komar.access.chokepoint import Purpose, read_purpose
from komar.accounts.permissions import require_perm
from komar.accounts.requests import AuthenticatedHttpRequest
from komar.accounts.roles import Perm
from komar.audit.selectors import events_for_record
from komar.children import services
from komar.children.forms import ChildForm, GuardianFormSet, guardians_from
from komar.children.selectors import child_consent_history, child_get_for_user, child_guardians


@login_required
@require_http_methods(["GET", "POST"])
def child_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Register a child: identity, birth, village, guardians, consents."""
    require_perm(request, Perm.CHILD_ADD)
    form = ChildForm(request.POST or None)
    guardians = GuardianFormSet(request.POST or None, prefix="guardians")
    if request.method == "POST" and form.is_valid() and guardians.is_valid():
        try:
            child = services.child_register(
                actor=request.user, data=form.to_input(guardians=guardians_from(guardians))
            )
        except ValidationError as error:
            form.add_service_errors(error, aliases={"guardians": "__all__"})
        else:
            messages.success(request, _("The child is registered. Open a case to screen it."))
            return redirect("children:detail", child_id=child.pk)
    return render(
        request, "children/child_form.html", {"form": form, "guardians": guardians, "child": None}
    )


@login_required
def child_detail(request: AuthenticatedHttpRequest, child_id: str) -> HttpResponse:
    """Show a child's record; the view is audited by the chokepoint."""
    child = child_get_for_user(user=request.user, child_id=child_id, purpose=Purpose.VIEW)
    can_audit = request.user.has_role_perm(Perm.AUDIT_VIEW)
    context = {
        "child": child,
        "guardians": child_guardians(child),
        "consents": child_consent_history(child)[:20],
        "can_change": request.user.has_role_perm(Perm.CHILD_CHANGE),
        "can_open_case": request.user.has_role_perm(Perm.CASE_ADD),
        "audit_events": events_for_record(obj=child)[:100] if can_audit else None,
    }
    return render(request, "children/child_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@transaction.atomic
def child_edit(request: AuthenticatedHttpRequest, child_id: str) -> HttpResponse:
    """Change a child's record."""
    require_perm(request, Perm.CHILD_CHANGE)
    child = child_get_for_user(
        user=request.user, child_id=child_id, purpose=read_purpose(request.method, Purpose.EDIT)
    )
    initial_guardians = [
        {
            "name": g.name,
            "relationship": g.relationship,
            "phone": g.phone,
            "is_primary_contact": g.is_primary_contact,
        }
        for g in child_guardians(child)
    ]
    form = ChildForm(request.POST or None, initial=ChildForm.initial_from(child))
    guardians = GuardianFormSet(request.POST or None, prefix="guardians", initial=initial_guardians)
    if request.method == "POST" and form.is_valid() and guardians.is_valid():
        try:
            services.child_update(
                actor=request.user,
                child=child,
                data=form.to_input(guardians=guardians_from(guardians)),
            )
        except ValidationError as error:
            form.add_service_errors(error, aliases={"guardians": "__all__"})
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("children:detail", child_id=child.pk)
    return render(
        request, "children/child_form.html", {"form": form, "guardians": guardians, "child": child}
    )
