from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from komar.audit.context import RequestOrigin, reset_origin, set_origin
from komar.audit.models import Channel


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's address, trusting X-Forwarded-For only from known proxies."""
    proxies: int = settings.KOMAR_PROXY_COUNT
    if proxies:
        forwarded: list[str] = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return cast(str | None, request.META.get("REMOTE_ADDR") or None)


class AuditContextMiddleware:
    """Record the client address and channel of each request for audit events."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = Channel.API if request.path.startswith("/api/") else Channel.WEB
        token = set_origin(RequestOrigin(ip=client_ip(request), channel=channel))
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)
