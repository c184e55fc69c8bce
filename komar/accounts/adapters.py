"""Komar's adapters for django-allauth: no self sign-up; second-factor secrets encrypted."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from komar.audit.middleware import client_ip
from komar.core.crypto import decrypt_text, encrypt_text

# Every Fernet token starts with these characters (version byte 0x80, then the time);
# a TOTP secret (base32 capitals) or a recovery-code seed (hex) never does.
FERNET_PREFIX = "gAAAAA"


class KomarAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by an administrator; nobody signs themselves up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        """Sign in, then switch to the language remembered on the account."""
        from komar.accounts.services import user_language_for_sign_in

        language = user_language_for_sign_in(user)
        if language is None:
            return super().post_login(request, user, **kwargs)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = super().post_login(request, user, **kwargs)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response

    def get_client_ip(self, request: HttpRequest) -> str:
        # One rule for the client's address (audit, django-axes, allauth's rate limits):
        # behind the proxy, every client would otherwise share the proxy's address.
        ip = client_ip(request)
        return ip if ip else super().get_client_ip(request)


class KomarMFAAdapter(DefaultMFAAdapter):
    """Store TOTP secrets and recovery-code seeds encrypted with KOMAR_ENCRYPTION_KEYS.

    In the clear, a copy of the database would let anyone make a user's codes. Secrets
    stored before this adapter are encrypted by the migration
    ``accounts.0004_encrypt_mfa_secrets``; a value that is not ciphertext is refused, not
    used, so a secret written into the database by hand does not work.
    """

    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)
