"""Pieces of the OpenAPI description shared by every endpoint: the error answers."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


_ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(
        response=OpenApiTypes.OBJECT,
        description="Invalid input: an object keyed by field, each with a list of messages; "
        'a nested object\'s errors are nested ({"screening": {"acts": ["..."]}}); errors of '
        'no single field are under "non_field_errors".',
    ),
    401: OpenApiResponse(response=ErrorDetailSerializer, description="Not signed in."),
    403: OpenApiResponse(
        response=ErrorDetailSerializer, description="The caller's role does not allow this."
    ),
    404: OpenApiResponse(
        response=ErrorDetailSerializer,
        description="No such record, or one outside the caller's scope: the two are "
        "indistinguishable.",
    ),
}


def with_errors(responses: dict[int, Any], *codes: int) -> dict[int, Any]:
    """Return ``responses`` with the standard error answers for ``codes`` added."""
    return {**responses, **{code: _ERRORS[code] for code in codes}}
