"""HTTP hardening that holds for every page and every API answer.

- A Content-Security-Policy on every response: only Komar's own scripts, styles, fonts
  and images, no inline script, no framing (``settings.KOMAR_CSP``).
- ``Cache-Control: no-store`` on everything Django answers: pages and API answers show
  children, and a shared office PC or a proxy must not keep a copy. Only static files
  (answered by whitenoise before this middleware) stay cacheable.
- A request body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` answers 413 before anything reads
  it: JSON under ``/api/``, a page in the user's language elsewhere.
- Every view needs a signed-in user unless it is marked ``login_not_required``, so a
  new page is private by default.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.i18n import set_language

API_PREFIX = "/api/"


def content_security_policy(directives: dict[str, str]) -> str:
    """Return the header value of a policy given as directive → sources."""
    return "; ".join(f"{name} {sources}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Give every response Komar's Content-Security-Policy unless it set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy(settings.KOMAR_CSP)
        return response


class NoStoreMiddleware:
    """Forbid browsers and proxies to store any answer Django gives.

    The rule is deliberately wider than "pages that show a child": every page and API
    answer is marked, signed in or not, because a rule by content would have to be
    remembered by each new view. Static files never reach this middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose body is larger than Django would read.

    Django refuses such a body only when a view reads it, and then as a 400; DRF reads
    the stream without any limit. Refusing on the declared length, before any reading,
    covers both. A body sent without a length is read as empty by Django's WSGI request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and self.declared_length(request) > limit:
            return self.refuse(request, limit)
        return self.get_response(request)

    @staticmethod
    def declared_length(request: HttpRequest) -> int:
        try:
            return int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 0  # Django reads a malformed length as no body at all

    @staticmethod
    def refuse(request: HttpRequest, limit: int) -> HttpResponse:
        size = f"{limit / 1024 / 1024:.1f}".rstrip("0").rstrip(".")
        if request.path.startswith(API_PREFIX):
            return JsonResponse(
                {
                    "detail": _("The request is too large: send at most %(size)s MB.")
                    % {"size": size}
                },
                status=413,
            )
        response = TemplateResponse(request, "413.html", {"size": size}, status=413)
        response.render()
        return response


# Views that must answer signed-out visitors but are not marked by their library:
# the language switch on the sign-in page.
OPEN_VIEWS: frozenset[Callable[..., Any]] = frozenset({set_language})


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, with the few open views Django leaves unmarked.

    django-allauth marks its sign-in, password-reset and second-factor pages, Django
    its admin sign-in page, and DRF every API view (the API answers 401 in JSON itself).
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if view_func in OPEN_VIEWS:
            return None
        response: HttpResponseBase | None = super().process_view(
            request, view_func, view_args, view_kwargs
        )
        return response
