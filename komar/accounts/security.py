"""Login security hooks for django-axes and the API tokens."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """Return the account a sign-in attempt is for, so lockout counts per account.

    django-allauth's form names the field "login"; Django's signals name it "username".
    """
    credentials = credentials or {}
    return credentials.get("username") or credentials.get("login") or request.POST.get("login")


def token_expired(token: Token) -> bool:
    """Return True when an API token is older than its allowed lifetime."""
    return token.created < timezone.now() - timedelta(hours=settings.KOMAR_API_TOKEN_HOURS)


def token_issue(user: Any) -> Token:
    """Return the user's API token, replacing one that has expired."""
    token, created = Token.objects.get_or_create(user=user)
    if not created and token_expired(token):
        token.delete()
        token = Token.objects.create(user=user)
    return token


class ExpiringTokenAuthentication(TokenAuthentication):
    """Token authentication whose tokens stop working after KOMAR_API_TOKEN_HOURS."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise AuthenticationFailed(_("The token has expired. Ask for a new one."))
        return user, token
