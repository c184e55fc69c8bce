"""The language switch: Django's set_language, remembered on the signed-in account."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from komar.accounts.services import user_language_remember


@login_not_required
@require_POST
@csrf_protect
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the page language; for a signed-in user, remember it on the account.

    Django's view only sets a cookie, which the next person at a shared office computer
    would inherit. An unknown language changes nothing: Django's view ignores it and the
    service refuses it.
    """
    response = django_set_language(request)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        user_language_remember(user=user, language=request.POST.get("language", ""))
    return response
