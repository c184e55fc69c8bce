"""Web pages of user administration, and the public page where a person sets a new
password with the one-time code an administrator handed them.

Administration pages are for roles with ``users.manage``; others get 403. An account
out of the administrator's reach answers 404, like a missing one.
"""

from collections.abc import Callable

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import password_validation, user_login_failed
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from komar.accounts import services
from komar.accounts.forms import (
    SetPasswordWithCodeForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from komar.accounts.models import User
from komar.accounts.permissions import require_perm
from komar.accounts.requests import AuthenticatedHttpRequest
from komar.accounts.roles import Perm
from komar.accounts.selectors import (
    organisations_managed_by,
    teams_assignable_by,
    user_get_for_manager,
    user_has_two_factor,
    user_is_locked_out,
    usernames_locked_out,
    users_manageable_by,
)
from komar.audit.reads import audit_list

PAGE_SIZE = 50


def _manages_partners(user: User) -> bool:
    """Return True when the administrator manages more than one organisation."""
    return organisations_managed_by(user).count() > 1


@login_required
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the accounts the administrator manages, filtered; audited as one list event."""
    require_perm(request, Perm.USERS_MANAGE)
    several = _manages_partners(request.user)
    form = UserFilterForm(
        request.GET or None, teams=teams_assignable_by(request.user), grouped=several
    )
    filters = form.to_filters()
    users = users_manageable_by(request.user, **filters)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_list(actor=request.user, model=User, filters=filters, count=page.paginator.count)
    locked = usernames_locked_out(u.username for u in page.object_list)
    rows = [(u, u.username.lower() in locked) for u in page.object_list]
    return render(
        request,
        "accounts/users/user_list.html",
        {"form": form, "page": page, "rows": rows, "show_organisation": several},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create an account; the person then needs a one-time code to set a password."""
    require_perm(request, Perm.USERS_MANAGE)
    several = _manages_partners(request.user)
    form = UserCreateForm(
        request.POST or None,
        organisations=organisations_managed_by(request.user).filter(is_active=True),
        teams=teams_assignable_by(request.user),
        grouped=several,
        initial={"organisation": request.user.organisation_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _(
                    "The account %(username)s is created. Reset its password to get a "
                    "one-time code for the person."
                )
                % {"username": user.username},
            )
            return redirect("users:edit", user_id=user.pk)
    return render(request, "accounts/users/user_form.html", {"form": form, "subject": None})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: AuthenticatedHttpRequest, user_id: str) -> HttpResponse:
    """Change an account's role, team, names, language and whether it is active."""
    require_perm(request, Perm.USERS_MANAGE)
    subject = user_get_for_manager(actor=request.user, user_id=user_id)
    form = UserEditForm(
        request.POST or None,
        initial=UserEditForm.initial_from(subject),
        teams=teams_assignable_by(request.user).filter(organisation_id=subject.organisation_id),  # type: ignore[misc]  # an account in reach has an organisation
        grouped=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=subject, **form.service_arguments())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("users:edit", user_id=subject.pk)
    context = {
        "form": form,
        "subject": subject,
        "is_self": subject.pk == request.user.pk,
        "locked": user_is_locked_out(subject),
        "has_two_factor": user_has_two_factor(subject),
    }
    return render(request, "accounts/users/user_form.html", context)


# --- actions: each asks for confirmation (GET), then acts (POST) -----------------------


def _confirm_or_act(
    request: AuthenticatedHttpRequest,
    user_id: str,
    *,
    action: str,
    act: Callable[[User], object],
    done: str,
) -> HttpResponse:
    require_perm(request, Perm.USERS_MANAGE)
    subject = user_get_for_manager(actor=request.user, user_id=user_id)
    if request.method == "POST":
        try:
            act(subject)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
        return redirect("users:edit", user_id=subject.pk)
    return render(
        request,
        "accounts/users/user_confirm.html",
        {"subject": subject, "action": action, "locked": user_is_locked_out(subject)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_unlock(request: AuthenticatedHttpRequest, user_id: str) -> HttpResponse:
    """Lift an account's sign-in lockout."""
    return _confirm_or_act(
        request,
        user_id,
        action="unlock",
        act=lambda subject: services.user_unlock(actor=request.user, user=subject),
        done=_("The account is unlocked: the person can sign in again."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_reset_two_factor(request: AuthenticatedHttpRequest, user_id: str) -> HttpResponse:
    """Remove an account's second factor, for a person who lost their phone."""
    return _confirm_or_act(
        request,
        user_id,
        action="reset_two_factor",
        act=lambda subject: services.user_two_factor_reset(actor=request.user, user=subject),
        done=_(
            "The second factor is removed. The person signs in with their password and "
            "sets up a new authenticator app."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_deactivate(request: AuthenticatedHttpRequest, user_id: str) -> HttpResponse:
    """Deactivate an account: the person is signed out and cannot sign in."""
    return _confirm_or_act(
        request,
        user_id,
        action="deactivate",
        act=lambda subject: services.user_set_active(
            actor=request.user, user=subject, active=False
        ),
        done=_("The account is deactivated and the person is signed out."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_reactivate(request: AuthenticatedHttpRequest, user_id: str) -> HttpResponse:
    """Reactivate an account."""
    return _confirm_or_act(
        request,
        user_id,
        action="reactivate",
        act=lambda subject: services.user_set_active(actor=request.user, user=subject, active=True),
        done=_("The account is active again."),
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def user_reset_password(request: AuthenticatedHttpRequest, user_id: str) -> HttpResponse:
    """Issue a one-time code for the person to set a new password; show it once."""
    require_perm(request, Perm.USERS_MANAGE)
    subject = user_get_for_manager(actor=request.user, user_id=user_id)
    if request.method == "POST":
        try:
            issued = services.user_password_reset(actor=request.user, user=subject)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("users:edit", user_id=subject.pk)
        # Shown in this answer only (never stored, never cached): reloading asks again.
        return render(
            request,
            "accounts/users/user_password_code.html",
            {"subject": subject, "issued": issued, "locked": user_is_locked_out(subject)},
        )
    return render(
        request,
        "accounts/users/user_confirm.html",
        {"subject": subject, "action": "reset_password", "locked": user_is_locked_out(subject)},
    )


# --- the public page: a new password with a one-time code ------------------------------


def _code_failed(request: HttpRequest, username: str) -> None:
    """Count a wrong code as a failed sign-in of the account, as a wrong password is."""
    user_login_failed.send(
        sender=__name__,
        credentials={"username": username, "login": username},
        request=request,
    )


@login_not_required
@never_cache
@sensitive_post_parameters("code", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def set_password_with_code(request: HttpRequest) -> HttpResponse:
    """Let a person who is not signed in set a new password with a one-time code.

    The page is open to anyone, so it is guarded like the sign-in page: a wrong code
    counts as a failed sign-in of the account, and a locked account is refused.
    """
    form = SetPasswordWithCodeForm(request.POST or None)
    locked = False
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        credentials = {"username": username, "login": username}
        locked = not AxesProxyHandler.is_allowed(request, credentials)
        if not locked:
            try:
                with transaction.atomic():
                    services.user_password_set_with_code(
                        username=username,
                        code=form.cleaned_data["code"],
                        new_password1=form.cleaned_data["new_password1"],
                        new_password2=form.cleaned_data["new_password2"],
                    )
            except ValidationError as error:
                if any(
                    getattr(e, "code", None) == services.INVALID_CODE
                    for e in error.error_dict.get("code", [])
                ):
                    _code_failed(request, username)
                    locked = bool(getattr(request, "axes_locked_out", False))
                form.add_service_errors(error)
            else:
                # As after a successful sign-in: this address's failures are forgiven.
                AxesProxyHandler.reset_attempts(
                    ip_address=getattr(request, "axes_ip_address", None), username=username
                )
                messages.success(request, _("Your new password is set. Sign in with it now."))
                return redirect("account_login")
    status = 429 if locked else 200
    return render(
        request,
        "accounts/set_password_with_code.html",
        {
            "form": form,
            "locked": locked,
            "password_rules": password_validation.password_validators_help_texts(),
        },
        status=status,
    )
