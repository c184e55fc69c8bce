"""The API's base view, and the views of the API itself (not of any app's records)."""

from collections.abc import Sequence

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from komar.api.parsers import JSONParser
from komar.api.permissions import TwoFactorEnrolled


class ApiView(APIView):
    """The base of Komar's API views: signed-in users who have enrolled the second
    factor their role requires, and a parser that a deeply nested body cannot break."""

    parser_classes = (JSONParser,)
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated, TwoFactorEnrolled)


@extend_schema(exclude=True)
class NotFoundApi(ApiView):
    """Answer a JSON 404 for any address under the API that names no endpoint."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def http_method_not_allowed(  # type: ignore[override]  # as in DRF's stubs: APIView passes its Request
        self, request: Request, *args: object, **kwargs: object
    ) -> Response:
        # It has no handler, so every method lands here: an unknown address is unknown
        # whatever is done to it.
        raise Http404

    def options(self, request: Request, *args: object, **kwargs: object) -> Response:  # type: ignore[override]  # as in DRF's stubs: APIView passes its Request
        raise Http404
