"""Encryption at rest for identifying data and narratives, and the keyed index hash.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under the keys in
``KOMAR_ENCRYPTION_KEYS``: the first key encrypts, every key decrypts, so keys can be
rotated (``manage.py encryption_rotate`` re-encrypts what was written under an older
key: :mod:`komar.core.rotation`). Encrypted columns cannot be filtered or sorted in the
database; names are found through the keyed name index instead
(``komar.children.search``), whose digests are HMAC-SHA256 under ``KOMAR_INDEX_KEY``,
separated by purpose and version, so that a digest made for one purpose never matches
one made for another.

Fernet binds no associated data: a token says nothing of the row and column it belongs
to, so whoever can write to the database can move a token from one row to another
undetected (see docs/decisions/0003-threat-model.md).
"""

import hashlib
import hmac
import json
import secrets
from datetime import date
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

# An index key shorter than this is refused: the digests of names are only as strong
# as the key, and an empty key would make them plain hashes anyone can recompute.
INDEX_KEY_MIN_LENGTH = 32
# The purposes a keyed digest may serve; each is its own domain of the HMAC.
INDEX_DOMAINS = frozenset({"name"})


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("KOMAR_ENCRYPTION_KEYS is empty.")
    return MultiFernet([Fernet(k.encode()) for k in keys])


@cache
def _current_fernet(key: str) -> Fernet:
    return Fernet(key.encode())


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


def token_is_current(token: str) -> bool:
    """Return True when a ciphertext was written under the first (current) key.

    Only the token's signature is checked, with the current key alone; nothing is
    decrypted.
    """
    keys = settings.KOMAR_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("KOMAR_ENCRYPTION_KEYS is empty.")
    try:
        _current_fernet(keys[0]).extract_timestamp(token.encode())
    except InvalidToken:
        return False
    return True


def reencrypt_token(token: str) -> str:
    """Return the ciphertext re-encrypted under the first key (same plaintext).

    Raise ImproperlyConfigured when no configured key can read it.
    """
    try:
        return _fernet(tuple(settings.KOMAR_ENCRYPTION_KEYS)).rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted value cannot be read with the configured keys."
        ) from exc


def _index_key(key: str | None) -> str:
    value = settings.KOMAR_INDEX_KEY if key is None else key
    if not value or len(value) < INDEX_KEY_MIN_LENGTH:
        # Fail here, not only in a system check: gunicorn runs none.
        raise ImproperlyConfigured(
            f"The name index key is missing or shorter than {INDEX_KEY_MIN_LENGTH} characters."
        )
    return value


def index_key_id(key: str | None = None) -> str:
    """Return the short public id of an index key (the current one by default).

    Stored beside each digest, it tells which key made the digest, so the index can be
    rebuilt under a new key while rows under the old one still answer. It is itself an
    HMAC under the key: it reveals nothing of the key.
    """
    secret = _index_key(key).encode()
    return hmac.new(secret, b"komar/key-id", hashlib.sha256).hexdigest()[:8]


def index_digest(value: str, *, key: str | None = None, domain: str = "name") -> str:
    """Return the keyed digest used to index a value without storing it.

    ``HMAC-SHA256(key, "komar/<domain>/v1|" + value)``, truncated to 128 bits, under the
    index key (``KOMAR_INDEX_KEY`` unless ``key`` is given). The domain keeps digests
    made for different purposes apart: a name digest never equals a digest of the same
    text made for anything else.
    """
    if domain not in INDEX_DOMAINS:
        raise ValueError(f"Unknown index domain {domain!r}.")
    secret = _index_key(key).encode()
    message = f"komar/{domain}/v1|{value}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def random_row_id() -> int:
    """Return a random positive 63-bit primary key.

    For tables whose row order must say nothing (the name index): sequential ids would
    tell which rows were written together.
    """
    return secrets.randbits(63) or 1


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
