"""Pagination of the API's lists."""

from collections.abc import Mapping
from typing import Any, cast

from django.db.models import QuerySet
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from komar.accounts.models import User
from komar.audit.reads import audit_list


class ApiPagination(LimitOffsetPagination):
    """Pages of 50 by default and of at most 200: a list is never a bulk export."""

    max_limit = 200


class CappedPagination(ApiPagination):
    """Count at most ``cap`` matches: past it, ``count`` is the cap and ``count_capped``
    is true. An exact count over a scope of a million records is the slowest part of a
    list; nobody pages through more than the cap."""

    cap = 1_000
    capped = False

    def get_count(self, queryset: Any) -> int:
        if isinstance(queryset, QuerySet):
            count = int(queryset.order_by()[: self.cap + 1].count())
        else:
            count = len(queryset)
        self.capped = count > self.cap
        return min(count, self.cap)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data = {"count_capped": self.capped, **response.data}
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"True when more than {self.cap} records match: `count` is then "
            f"{self.cap} and the pages stop there; narrow the filters.",
        }
        return out


def paginated_response(
    *,
    request: Request,
    view: APIView,
    queryset: QuerySet[Any],
    serializer_class: type[BaseSerializer],
    audit_filters: Mapping[str, Any] | None,
    paginator: ApiPagination | None = None,
) -> Response:
    """Return one page of ``queryset`` with the count and the links to the next pages.

    A list of protected records states its filters in ``audit_filters`` and is audited
    as one list or search event (its filters and result count, never a name); only
    lists of unprotected things (organisations, a record's own history, already
    audited) pass None. ``paginator``: another way to count (a capped count).
    """
    paginator = paginator or ApiPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    if audit_filters is not None:
        # ApiView lets only signed-in users in; the paginator has counted the matches.
        audit_list(
            actor=cast(User, request.user),
            model=queryset.model,
            filters=audit_filters,
            count=paginator.count or 0,
        )
    serializer = serializer_class(page, many=True, context={"request": request})
    return paginator.get_paginated_response(serializer.data)
