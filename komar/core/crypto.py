"""Encryption at rest for identifying data and narratives.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under the keys in
``KOMAR_ENCRYPTION_KEYS``: the first key encrypts, every key decrypts, so keys can be
rotated. Encrypted columns cannot be filtered or sorted in the database; names are found
through the keyed name index instead (``komar.children.search``).
"""

import hashlib
import hmac
import json
from datetime import date
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("KOMAR_ENCRYPTION_KEYS is empty.")
    return MultiFernet([Fernet(k.encode()) for k in keys])


def encrypt_text(value: str) -> str:
    """Return the ciphertext of a text value."""
    return _fernet(tuple(settings.KOMAR_ENCRYPTION_KEYS)).encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    """Return the plaintext of a ciphertext written by :func:`encrypt_text`."""
    try:
        return _fernet(tuple(settings.KOMAR_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key: fail loudly, never show ciphertext as data
        raise ImproperlyConfigured(
            "An encrypted value cannot be read with the configured keys."
        ) from exc


def index_digest(value: str) -> str:
    """Return the keyed hash used to index a value without storing it."""
    key = settings.KOMAR_INDEX_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


class EncryptedField(models.TextField):  # type: ignore[type-arg]  # Django fields cannot be subscripted at runtime
    """A column whose value is stored encrypted; subclasses choose the Python type."""

    encrypted = True  # audit records names only of such fields, never values

    def to_text(self, value: Any) -> str:
        return str(value)

    def from_text(self, text: str) -> Any:
        return text

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return None if value is None else ""
        return encrypt_text(self.to_text(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return self.from_text(decrypt_text(value))

    def get_lookup(self, lookup_name: str) -> Any:
        # Ciphertext is randomised: any comparison but "is null" would be silently wrong.
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)


class EncryptedTextField(EncryptedField):
    """Encrypted text."""


class EncryptedDateField(EncryptedField):
    """An encrypted date (stored as its ISO text)."""

    def to_text(self, value: Any) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)

    def from_text(self, text: str) -> date:
        return date.fromisoformat(text)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value:
            return date.fromisoformat(value)
        return value


class EncryptedJSONField(EncryptedField):
    """An encrypted JSON value (a list of aliases, say)."""

    def to_text(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def from_text(self, text: str) -> Any:
        return json.loads(text)

    def to_python(self, value: Any) -> Any:
        return value
