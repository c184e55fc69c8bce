"""API of cases: list and filter, open, read, change and screen, and the case's history.

Every read of one case goes through ``case_get_for_user``, which audits the view and
answers the same 404 for a missing and a forbidden case.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from komar.access.chokepoint import Purpose, RecordRefused, record_refusal
from komar.accounts.requests import AuthenticatedRequest
from komar.accounts.roles import Perm
from komar.api.pagination import ApiPagination, CappedPagination, paginated_response
from komar.api.schema import with_errors
from komar.api.views import ApiView
from komar.audit.selectors import events_for_record
from komar.audit.serializers import AuditEventSerializer
from komar.cases.selectors import CaseFilters, case_get_for_user, case_screenings, cases_list
from komar.cases.serializers import (
    CaseCreateSerializer,
    CaseFilterSerializer,
    CaseSerializer,
    CaseSummarySerializer,
    CaseUpdateSerializer,
)
from komar.cases.services import case_open, case_update
from komar.children.selectors import child_get_for_user

TAGS = ["cases"]


class CaseListCreateApi(ApiView):
    pagination_class = CappedPagination

    @extend_schema(
        summary="List and filter cases",
        description="The cases the caller may see, newest opened first or in the order "
        "`sort` asks. Counts stop at 1,000 (`count_capped`): narrow the filters.",
        parameters=[CaseFilterSerializer],
        responses=with_errors({200: CaseSummarySerializer(many=True)}, 400, 401),
        tags=TAGS,
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        filters = CaseFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        params = dict(filters.validated_data)
        cases = cases_list(user=request.user, filters=CaseFilters(q=params.pop("search"), **params))
        return paginated_response(
            request=request,
            view=self,
            queryset=cases,
            serializer_class=CaseSummarySerializer,
            audit_filters=filters.validated_data,
            paginator=CappedPagination(),
        )

    @extend_schema(
        summary="Open a case",
        description="Opens a case for a child the caller may see, with an optional first "
        "screening. A child the caller cannot see is refused exactly like one that does "
        "not exist.",
        request=CaseCreateSerializer,
        responses=with_errors({201: CaseSerializer}, 400, 401, 403),
        tags=TAGS,
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        if not request.user.has_role_perm(Perm.CASE_ADD):
            raise PermissionDenied
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            # One transaction: the child is read to be referenced by the new case.
            with transaction.atomic():
                child = child_get_for_user(
                    user=request.user,
                    child_id=serializer.validated_data["child"],
                    purpose=Purpose.REFERENCE,
                )
                case = case_open(actor=request.user, child=child, data=serializer.to_input())
        except RecordRefused as refused:
            record_refusal(refused)
            # Same answer for a missing and a forbidden child: do not reveal it exists.
            raise serializers.ValidationError({"child": [_("Unknown child.")]}) from None
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetailApi(ApiView):
    @extend_schema(
        summary="Read a case",
        description="Audited: each read writes one view event.",
        responses=with_errors({200: CaseSerializer}, 401, 404),
        tags=TAGS,
    )
    def get(self, request: AuthenticatedRequest, case_id: str) -> Response:
        case = case_get_for_user(user=request.user, case_id=case_id, purpose=Purpose.VIEW)
        return Response(CaseSerializer(case).data)

    @extend_schema(
        summary="Change a case, or record a new screening",
        description="Only the fields given change; a `screening` object records a new "
        "screening. Audited: one view event (the answer shows the case) and one change "
        "event.",
        request=CaseUpdateSerializer,
        responses=with_errors({200: CaseSerializer}, 400, 401, 403, 404),
        tags=TAGS,
    )
    def patch(self, request: AuthenticatedRequest, case_id: str) -> Response:
        serializer = CaseUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # One transaction: a refused or invalid change leaves no view event behind.
        with transaction.atomic():
            # The answer shows the case: a view, then the change.
            case = case_get_for_user(user=request.user, case_id=case_id, purpose=Purpose.VIEW)
            case = case_update(actor=request.user, case=case, data=serializer.to_input())
        return Response(CaseSerializer(case).data)


class CaseAuditApi(ApiView):
    pagination_class = ApiPagination

    @extend_schema(
        summary="A case's history: who viewed or changed it, when, from where",
        description="For roles that may see access logs. A case the caller cannot see "
        "answers 404; a case they can see without that right, 403. Includes the events "
        "of the case's screenings.",
        responses=with_errors({200: AuditEventSerializer(many=True)}, 401, 403, 404),
        tags=TAGS,
    )
    def get(self, request: AuthenticatedRequest, case_id: str) -> Response:
        # 404 before 403: only those who see the case learn that it exists. A refusal
        # by role leaves no history event behind.
        with transaction.atomic():
            case = case_get_for_user(user=request.user, case_id=case_id, purpose=Purpose.HISTORY)
            if not request.user.has_role_perm(Perm.AUDIT_VIEW):
                raise PermissionDenied
        return paginated_response(
            request=request,
            view=self,
            queryset=events_for_record(obj=case, related=list(case_screenings(case))),
            serializer_class=AuditEventSerializer,
            audit_filters=None,  # the history read is audited above
        )
