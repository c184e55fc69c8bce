from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from komar.access.chokepoint import RecordRefused, record_refusal


class RefusedReadMiddleware:
    """Audit a refused read that happened inside a view's transaction, once that
    transaction has been rolled back (the page still answers the same 404)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, RecordRefused):
            record_refusal(exception)
