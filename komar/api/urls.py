"""The URLs of API version 1, included by the project at ``api/v1/``."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

from komar.accounts import user_apis
from komar.accounts.apis import MeApi, OrganisationListApi, TokenObtainApi, TokenRevokeApi
from komar.api.views import NotFoundApi
from komar.audit.apis import AuditEventListApi
from komar.cases.apis import CaseAuditApi, CaseDetailApi, CaseListCreateApi
from komar.children.apis import ChildAuditApi, ChildDetailApi, ChildListCreateApi
from komar.geo.apis import LocationSearchApi

app_name = "api"

# Record ids are matched as plain text: a malformed id then reaches the chokepoint and
# gets the API's JSON 404, not the site's HTML one.
urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="token"),
    path("auth/token/revoke/", TokenRevokeApi.as_view(), name="token_revoke"),
    path("me/", MeApi.as_view(), name="me"),
    path("organisations/", OrganisationListApi.as_view(), name="organisations"),
    path("users/", user_apis.UserListCreateApi.as_view(), name="users"),
    path("users/<str:user_id>/", user_apis.UserDetailApi.as_view(), name="user"),
    path("users/<str:user_id>/unlock/", user_apis.UserUnlockApi.as_view(), name="user_unlock"),
    path(
        "users/<str:user_id>/reset-password/",
        user_apis.UserResetPasswordApi.as_view(),
        name="user_reset_password",
    ),
    path(
        "users/<str:user_id>/reset-two-factor/",
        user_apis.UserResetTwoFactorApi.as_view(),
        name="user_reset_two_factor",
    ),
    path("children/", ChildListCreateApi.as_view(), name="children"),
    path("children/<str:child_id>/", ChildDetailApi.as_view(), name="child"),
    path("children/<str:child_id>/audit/", ChildAuditApi.as_view(), name="child_audit"),
    path("cases/", CaseListCreateApi.as_view(), name="cases"),
    path("cases/<str:case_id>/", CaseDetailApi.as_view(), name="case"),
    path("cases/<str:case_id>/audit/", CaseAuditApi.as_view(), name="case_audit"),
    path("locations/", LocationSearchApi.as_view(), name="locations"),
    path("audit/", AuditEventListApi.as_view(), name="audit"),
    path(
        "schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"
    ),
    path(
        "docs/",
        # The split view serves its script as a file: no inline script (CSP).
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", permission_classes=[IsAuthenticated]
        ),
        name="docs",
    ),
    # Last: any other address under the API answers a JSON 404.
    re_path(r"^", NotFoundApi.as_view(), name="not_found"),
]
