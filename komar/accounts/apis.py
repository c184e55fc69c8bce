"""API of accounts: sign-in and sign-out for API clients, the current user, organisations."""

from allauth.mfa.models import Authenticator
from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, user_logged_in, user_login_failed
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from komar.accounts.models import ApiToken, TokenRevocationReason, User
from komar.accounts.requests import AuthenticatedRequest
from komar.accounts.security import ApiTokenAuthentication, api_token_issue, api_token_revoke
from komar.accounts.selectors import organisations_visible_to, user_requires_two_factor
from komar.accounts.serializers import (
    MeSerializer,
    OrganisationSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from komar.api.pagination import ApiPagination, paginated_response
from komar.api.schema import ErrorDetailSerializer, with_errors
from komar.api.views import ApiView
from komar.core.khmer import ascii_digits


def _locked_out(request: Request) -> exceptions.Throttled:
    """Return the 429 answer for a locked account, saying when to try again."""
    cool_off = get_cool_off(request)
    return exceptions.Throttled(
        wait=cool_off.total_seconds() if cool_off else None,
        detail=_(
            "Too many failed sign-in attempts: this account is locked for now. Try again "
            "later, or ask an administrator to unlock it."
        ),
    )


def _is_locked_out(request: Request) -> bool:
    # django-axes marks the request it was given when it refuses or locks an account.
    return bool(getattr(request, "axes_locked_out", False))


def _check_second_factor(request: Request, *, user: User, username: str, code: str) -> None:
    """Raise unless ``code`` is a current TOTP code of the user's authenticator.

    A wrong code counts as a failed sign-in, so django-axes locks the account after
    repeated guesses exactly as it does for passwords.
    """
    code = ascii_digits(code or "").strip()
    if not code:
        raise serializers.ValidationError(
            {"code": [_("Enter the six-digit code from your authenticator app.")]}
        )
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        raise serializers.ValidationError(
            {"code": [_("Set up two-factor authentication in Komar's web pages first.")]}
        )
    if not authenticator.wrap().validate_code(code):
        user_login_failed.send(
            sender=__name__, credentials={"username": username, "login": username}, request=request
        )
        if _is_locked_out(request):
            raise _locked_out(request)
        raise serializers.ValidationError(
            {
                "code": [
                    _("This code is not valid. Enter the current code from your authenticator app.")
                ]
            }
        )
    authenticator.record_usage()


def _sign_in(request: Request, *, username: str, password: str, code: str = "") -> User:
    """Return the user the credentials prove, or raise the API error that says why not.

    The password is checked by ``authenticate``, so django-axes counts failures and
    refuses a locked account even with the right password.
    """
    user = authenticate(request=request, username=username, password=password)
    if user is None:
        if _is_locked_out(request):
            raise _locked_out(request)
        raise serializers.ValidationError(
            {"non_field_errors": [_("Unable to sign in with this username and password.")]}
        )
    if user_requires_two_factor(user):
        _check_second_factor(request, user=user, username=username, code=code)
    # A successful sign-in: Django records the last login and django-axes clears the
    # account's failures, as for a sign-in on the web pages.
    user_logged_in.send(sender=type(user), request=request, user=user)
    return user


class TokenObtainApi(ApiView):
    """Exchange a username and password, and a TOTP code where required, for a new token."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        summary="Obtain an API token",
        description="Each sign-in issues a new token, shown only in this answer. Send it in "
        "the `Authorization: Token <token>` header until it expires (`expires`); revoke it "
        "with `POST /api/v1/auth/token/revoke/` when done. A password change or deactivation "
        "revokes every token of the account. After repeated failures the account is locked "
        "and this answers 429.",
        request=TokenRequestSerializer,
        responses=with_errors(
            {
                200: TokenSerializer,
                429: OpenApiResponse(
                    response=ErrorDetailSerializer, description="The account is locked."
                ),
            },
            400,
        ),
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client_name = serializer.validated_data.pop("client_name", "")
        user = _sign_in(request, **serializer.validated_data)
        issued = api_token_issue(user=user, label=client_name)
        return Response(
            TokenSerializer({"token": issued.token, "expires": issued.api_token.expires}).data
        )


class TokenRevokeApi(ApiView):
    """Revoke the token this request is signed in with (an API client signs out)."""

    authentication_classes = (ApiTokenAuthentication,)
    # Any signed-in token may end itself, even one whose role has not enrolled a second factor.
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        summary="Revoke this API token",
        description="The token in the `Authorization` header stops working at once.",
        request=None,
        responses=with_errors({204: None}, 401),
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        api_token = request.auth
        assert isinstance(api_token, ApiToken)  # noqa: S101  (ApiTokenAuthentication only)
        api_token_revoke(
            actor=request.user, api_token=api_token, reason=TokenRevocationReason.SIGNED_OUT
        )
        return Response(status=204)


class MeApi(ApiView):
    """The signed-in user."""

    @extend_schema(summary="The signed-in user", responses=with_errors({200: MeSerializer}, 401))
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(MeSerializer(request.user).data)


class OrganisationListApi(ApiView):
    """The organisations the user may see: the host and its partners."""

    pagination_class = ApiPagination

    @extend_schema(
        summary="List organisations",
        responses=with_errors({200: OrganisationSerializer(many=True)}, 401),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        return paginated_response(
            request=request,
            view=self,
            queryset=organisations_visible_to(request.user),
            serializer_class=OrganisationSerializer,
            audit_filters=None,  # organisations hold nothing about children
        )
