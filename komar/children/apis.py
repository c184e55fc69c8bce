"""API of children: list and search, register, read, change, and the record's history.

Every read of one child goes through ``child_get_for_user``, which audits the view and
answers the same 404 for a missing and a forbidden child. Lists are not record views:
they show a summary and write no view event per child.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from komar.access.chokepoint import Purpose
from komar.accounts.requests import AuthenticatedRequest
from komar.accounts.roles import Perm
from komar.api.pagination import ApiPagination, CappedPagination, paginated_response
from komar.api.schema import with_errors
from komar.api.views import ApiView
from komar.audit.selectors import events_for_record
from komar.audit.serializers import AuditEventSerializer
from komar.children.selectors import child_get_for_user, children_search
from komar.children.serializers import (
    ChildFilterSerializer,
    ChildInputSerializer,
    ChildSerializer,
    ChildSummarySerializer,
)
from komar.children.services import child_register, child_update

TAGS = ["children"]


class ChildListCreateApi(ApiView):
    pagination_class = CappedPagination

    @extend_schema(
        summary="List and search children",
        description="The children the caller may see, newest first, or best match first "
        "with `search`. Listing is not audited as a view of each child.",
        parameters=[ChildFilterSerializer],
        responses=with_errors({200: ChildSummarySerializer(many=True)}, 400, 401),
        tags=TAGS,
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        filters = ChildFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        params = dict(filters.validated_data)
        children = children_search(user=request.user, q=params.pop("search"), **params)
        return paginated_response(
            request=request,
            view=self,
            queryset=children,
            serializer_class=ChildSummarySerializer,
            audit_filters=filters.validated_data,
            paginator=CappedPagination(),
        )

    @extend_schema(
        summary="Register a child",
        request=ChildInputSerializer,
        responses=with_errors({201: ChildSerializer}, 400, 401, 403),
        tags=TAGS,
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        serializer = ChildInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        child = child_register(actor=request.user, data=serializer.to_input())
        return Response(ChildSerializer(child).data, status=status.HTTP_201_CREATED)


class ChildDetailApi(ApiView):
    @extend_schema(
        summary="Read a child's record",
        description="Audited: each read writes one view event.",
        responses=with_errors({200: ChildSerializer}, 401, 404),
        tags=TAGS,
    )
    def get(self, request: AuthenticatedRequest, child_id: str) -> Response:
        child = child_get_for_user(user=request.user, child_id=child_id, purpose=Purpose.VIEW)
        return Response(ChildSerializer(child).data)

    @extend_schema(
        summary="Change a child's record",
        description="Only the fields given change; `guardians` replaces the whole list. "
        "Audited: one view event (the answer shows the record) and one change event.",
        request=ChildInputSerializer,
        responses=with_errors({200: ChildSerializer}, 400, 401, 403, 404),
        tags=TAGS,
    )
    def patch(self, request: AuthenticatedRequest, child_id: str) -> Response:
        serializer = ChildInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # One transaction: a refused or invalid change leaves no view event behind.
        with transaction.atomic():
            # The answer shows the record: a view, then the change.
            child = child_get_for_user(user=request.user, child_id=child_id, purpose=Purpose.VIEW)
            child = child_update(actor=request.user, child=child, data=serializer.to_input())
        return Response(ChildSerializer(child).data)


class ChildAuditApi(ApiView):
    pagination_class = ApiPagination

    @extend_schema(
        summary="A child's history: who viewed or changed the record, when, from where",
        description="For roles that may see access logs. A child the caller cannot see "
        "answers 404; a child they can see without that right, 403.",
        responses=with_errors({200: AuditEventSerializer(many=True)}, 401, 403, 404),
        tags=TAGS,
    )
    def get(self, request: AuthenticatedRequest, child_id: str) -> Response:
        # 404 before 403: only those who see the child learn that it exists. A refusal
        # by role leaves no history event behind.
        with transaction.atomic():
            child = child_get_for_user(
                user=request.user, child_id=child_id, purpose=Purpose.HISTORY
            )
            if not request.user.has_role_perm(Perm.AUDIT_VIEW):
                raise PermissionDenied
        return paginated_response(
            request=request,
            view=self,
            queryset=events_for_record(obj=child),
            serializer_class=AuditEventSerializer,
            audit_filters=None,  # the history read is audited above
        )
