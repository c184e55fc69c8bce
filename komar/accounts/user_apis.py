"""API of user administration: accounts, their lockout, password and second factor.

For roles with ``users.manage`` (others get 403). An account out of the caller's reach
answers 404, like a missing one. The same services as the Users page do the work.
"""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from komar.accounts import services
from komar.accounts.models import User
from komar.accounts.requests import AuthenticatedRequest
from komar.accounts.roles import Perm
from komar.accounts.selectors import user_get_for_manager, users_manageable_by
from komar.accounts.serializers import (
    PasswordCodeSerializer,
    UserCreateSerializer,
    UserFilterSerializer,
    UserSerializer,
    UserUpdateSerializer,
)
from komar.api.pagination import ApiPagination, paginated_response
from komar.api.schema import with_errors
from komar.api.views import ApiView

TAGS = ["users"]


def _require_manager(request: AuthenticatedRequest) -> None:
    # 403 before anything else: a role without the right learns nothing about accounts.
    if not request.user.has_role_perm(Perm.USERS_MANAGE):
        raise PermissionDenied


def _subject(request: AuthenticatedRequest, user_id: str) -> User:
    _require_manager(request)
    return user_get_for_manager(actor=request.user, user_id=user_id)


class UserListCreateApi(ApiView):
    pagination_class = ApiPagination

    @extend_schema(
        summary="List the accounts the caller manages",
        description="By username. Audited as one list (or search) event: the filters and "
        "the count, never the text searched for.",
        parameters=[UserFilterSerializer],
        responses=with_errors({200: UserSerializer(many=True)}, 400, 401, 403),
        tags=TAGS,
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        _require_manager(request)
        filters = UserFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return paginated_response(
            request=request,
            view=self,
            queryset=users_manageable_by(request.user, **filters.selector_arguments()),
            serializer_class=UserSerializer,
            audit_filters=filters.validated_data,
        )

    @extend_schema(
        summary="Create an account",
        description="The account has no password yet: ask for a one-time code with "
        "`reset-password/` and hand it to the person.",
        request=UserCreateSerializer,
        responses=with_errors({201: UserSerializer}, 400, 401, 403),
        tags=TAGS,
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        _require_manager(request)
        serializer = UserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_create(actor=request.user, **serializer.service_arguments())
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class UserDetailApi(ApiView):
    @extend_schema(
        summary="Read an account",
        responses=with_errors({200: UserSerializer}, 401, 403, 404),
        tags=TAGS,
    )
    def get(self, request: AuthenticatedRequest, user_id: str) -> Response:
        return Response(UserSerializer(_subject(request, user_id)).data)

    @extend_schema(
        summary="Change an account",
        description="Only the fields given change; `team: null` removes the team. Nobody "
        "changes their own role or deactivates their own account. Audited: a role or team "
        "change, a change of names or language, a deactivation or reactivation, each as "
        "its own event.",
        request=UserUpdateSerializer,
        responses=with_errors({200: UserSerializer}, 400, 401, 403, 404),
        tags=TAGS,
    )
    def patch(self, request: AuthenticatedRequest, user_id: str) -> Response:
        subject = _subject(request, user_id)
        serializer = UserUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(
            actor=request.user, user=subject, **serializer.service_arguments()
        )
        return Response(UserSerializer(user).data)


class UserUnlockApi(ApiView):
    @extend_schema(
        summary="Lift an account's sign-in lockout",
        request=None,
        responses=with_errors({200: UserSerializer}, 400, 401, 403, 404),
        tags=TAGS,
    )
    def post(self, request: AuthenticatedRequest, user_id: str) -> Response:
        subject = _subject(request, user_id)
        services.user_unlock(actor=request.user, user=subject)
        return Response(UserSerializer(subject).data)


class UserResetPasswordApi(ApiView):
    @extend_schema(
        summary="Issue a one-time code for a new password",
        description="The code is in this answer only; it works once, for 24 hours, on the "
        "page 'Set a new password with a code'. The current password stops working and "
        "the person is signed out.",
        request=None,
        responses=with_errors({200: PasswordCodeSerializer}, 400, 401, 403, 404),
        tags=TAGS,
    )
    def post(self, request: AuthenticatedRequest, user_id: str) -> Response:
        subject = _subject(request, user_id)
        issued = services.user_password_reset(actor=request.user, user=subject)
        return Response(PasswordCodeSerializer(issued).data)


class UserResetTwoFactorApi(ApiView):
    @extend_schema(
        summary="Remove an account's second factor",
        description="For a person who lost their authenticator: they sign in with their "
        "password and enrol again.",
        request=None,
        responses=with_errors({200: UserSerializer}, 400, 401, 403, 404),
        tags=TAGS,
    )
    def post(self, request: AuthenticatedRequest, user_id: str) -> Response:
        subject = _subject(request, user_id)
        services.user_two_factor_reset(actor=request.user, user=subject)
        return Response(UserSerializer(subject).data)
