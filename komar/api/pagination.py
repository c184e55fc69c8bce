"""Pagination of the API's lists."""

from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView


class ApiPagination(LimitOffsetPagination):
    """Pages of 50 by default and of at most 200: a list is never a bulk export."""

    max_limit = 200


def paginated_response(
    *,
    request: Request,
    view: APIView,
    queryset: QuerySet[Any],
    serializer_class: type[BaseSerializer],
) -> Response:
    """Return one page of ``queryset`` with the count and the links to the next pages."""
    paginator = ApiPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    serializer = serializer_class(page, many=True, context={"request": request})
    return paginator.get_paginated_response(serializer.data)
