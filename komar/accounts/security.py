"""Login security: hooks for django-axes, and the API tokens.

An API token is 32 random bytes, shown once to the client that signed in; Komar keeps
only its SHA-256 digest (``ApiToken``). A digest of a random 256-bit value needs no
salt or slow hash: nobody can guess the value back from it. Each sign-in issues its own
token, which stops working when it expires (``KOMAR_API_TOKEN_HOURS`` after issue), when
its client revokes it, when the user's password changes, or when the user is
deactivated.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from komar.accounts.models import ApiToken, User
from komar.audit import events

TOKEN_BYTES = 32
# Recording each use would write on every API call; once a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)
# Expired and revoked tokens are kept this long (for the token list), then deleted.
SPENT_TOKEN_RETENTION = timedelta(days=30)


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """Return the account a sign-in attempt is for, so lockout counts per account.

    django-allauth's form names the field "login"; Django's signals name it "username".
    """
    credentials = credentials or {}
    return credentials.get("username") or credentials.get("login") or request.POST.get("login")


def token_digest(token: str) -> str:
    """Return the stored form of a token: its SHA-256 digest in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def password_fingerprint(user: User) -> str:
    """Return a keyed fingerprint of the user's password hash; it changes with the password."""
    return salted_hmac(
        "komar.accounts.ApiToken.password_fingerprint", user.password, algorithm="sha256"
    ).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A token just issued: ``token`` is the only copy of its clear value."""

    token: str
    api_token: ApiToken


@transaction.atomic
def api_token_issue(*, user: User, label: str = "") -> IssuedToken:
    """Issue a new API token to ``user``, who has just proved who they are.

    Every call issues a different token; the user's other tokens keep working. Tokens of
    the user that expired or were revoked more than 30 days ago are deleted.
    """
    now = timezone.now()
    clear = secrets.token_urlsafe(TOKEN_BYTES)
    api_token = ApiToken(
        user=user,
        digest=token_digest(clear),
        label=label,
        created=now,
        expires=now + timedelta(hours=settings.KOMAR_API_TOKEN_HOURS),
        password_fingerprint=password_fingerprint(user),
    )
    api_token.full_clean()
    api_token.save()
    spent_before = now - SPENT_TOKEN_RETENTION
    ApiToken.objects.filter(user=user, expires__lt=spent_before).delete()
    ApiToken.objects.filter(user=user, revoked_at__lt=spent_before).delete()
    return IssuedToken(token=clear, api_token=api_token)


@transaction.atomic
def api_token_revoke(*, actor: User | None, api_token: ApiToken, reason: str) -> int:
    """Revoke one token (the client signs out); return 1, or 0 if it was already spent."""
    now = timezone.now()
    count = ApiToken.objects.filter(
        pk=api_token.pk, revoked_at__isnull=True, expires__gt=now
    ).update(revoked_at=now)
    if count:
        events.tokens_revoked(actor=actor, user=api_token.user, count=count, reason=reason)
    return count


@transaction.atomic
def api_tokens_revoke_all(*, actor: User | None, user: User, reason: str) -> int:
    """Revoke every token of ``user`` that still works; return how many.

    Called when the password changes (by ``User.set_password``), and to be called when an
    account is deactivated or an administrator ends its tokens. The audit event is
    written only when a token was actually revoked.
    """
    now = timezone.now()
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires__gt=now).update(
        revoked_at=now
    )
    if count:
        events.tokens_revoked(actor=actor, user=user, count=count, reason=reason)
    return count


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <token>`` checked against the stored digests.

    A token signs in only while it is not revoked, not expired, its user is active and
    the user's password is the one it was issued under.
    """

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        api_token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
        if api_token is None:
            raise AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        if api_token.revoked_at is not None:
            raise AuthenticationFailed(_("The token is no longer valid. Ask for a new one."))
        if not api_token.is_valid(now):
            raise AuthenticationFailed(_("The token has expired. Ask for a new one."))
        user = api_token.user
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        if not secrets.compare_digest(api_token.password_fingerprint, password_fingerprint(user)):
            raise AuthenticationFailed(_("The token is no longer valid. Ask for a new one."))
        if api_token.last_used is None or api_token.last_used < now - LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used=now)
            api_token.last_used = now
        return user, api_token
