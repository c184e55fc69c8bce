"""API of the access log: what the people a supervisor or administrator answers for did."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from komar.accounts.requests import AuthenticatedRequest
from komar.api.pagination import ApiPagination, paginated_response
from komar.api.schema import with_errors
from komar.api.views import ApiView
from komar.audit.selectors import events_visible_to
from komar.audit.serializers import AuditEventSerializer, AuditFilterSerializer


class AuditEventListApi(ApiView):
    pagination_class = ApiPagination

    @extend_schema(
        summary="The access log",
        description="For supervisors (their team's actions) and administrators (their "
        "organisation's). A search appears with `action` `searched`, its filters and "
        "its result count, never the words searched. Reading the log is itself audited.",
        parameters=[AuditFilterSerializer],
        responses=with_errors({200: AuditEventSerializer(many=True)}, 400, 401, 403),
        tags=["audit"],
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        filters = AuditFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        events = events_visible_to(user=request.user, filters=filters.to_filters())
        return paginated_response(
            request=request,
            view=self,
            queryset=events,
            serializer_class=AuditEventSerializer,
            audit_filters=filters.validated_data,
        )
