"""Encryption at rest and the keyed index digest: what they accept, refuse and produce."""

import hashlib
import hmac

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from komar.core.crypto import (
    decrypt_text,
    encrypt_text,
    index_digest,
    index_key_id,
    random_row_id,
    reencrypt_token,
    token_is_current,
)

KEY = "k" * 32
OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


# --- The index digest ------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["", "short", "x" * 31])
def test_index_digest_refuses_a_missing_or_short_key(settings, bad) -> None:
    settings.KOMAR_INDEX_KEY = bad

    with pytest.raises(ImproperlyConfigured, match="32 characters"):
        index_digest("l:sok")
    with pytest.raises(ImproperlyConfigured, match="32 characters"):
        index_key_id()
    with pytest.raises(ImproperlyConfigured, match="32 characters"):
        index_digest("l:sok", key=bad)


def test_index_digest_accepts_a_key_of_32_characters(settings) -> None:
    settings.KOMAR_INDEX_KEY = KEY

    assert len(index_digest("l:sok")) == 32


def test_index_digest_is_the_domain_separated_hmac(settings) -> None:
    settings.KOMAR_INDEX_KEY = KEY

    expected = hmac.new(KEY.encode(), b"komar/name/v1|l:sok", hashlib.sha256).hexdigest()[:32]

    assert index_digest("l:sok") == expected
    # not the bare HMAC of the value: another use of the key cannot produce it
    assert (
        index_digest("l:sok") != hmac.new(KEY.encode(), b"l:sok", hashlib.sha256).hexdigest()[:32]
    )


def test_index_digest_depends_on_the_key(settings) -> None:
    settings.KOMAR_INDEX_KEY = KEY

    assert index_digest("l:sok") != index_digest("l:sok", key="m" * 32)
    assert index_digest("l:sok", key="m" * 32) == index_digest("l:sok", key="m" * 32)


def test_index_digest_refuses_an_unknown_domain(settings) -> None:
    settings.KOMAR_INDEX_KEY = KEY

    with pytest.raises(ValueError, match="domain"):
        index_digest("l:sok", domain="report")


def test_key_id_is_short_public_and_per_key(settings) -> None:
    settings.KOMAR_INDEX_KEY = KEY

    key_id = index_key_id()

    assert key_id == hmac.new(KEY.encode(), b"komar/key-id", hashlib.sha256).hexdigest()[:8]
    assert key_id == index_key_id(KEY)
    assert index_key_id("m" * 32) != key_id
    assert KEY not in key_id


# --- Fernet tokens and rotation --------------------------------------------------------


def test_encrypted_text_round_trips_in_both_scripts(settings) -> None:
    settings.KOMAR_ENCRYPTION_KEYS = [NEW]

    for text in ("Sok Sothea", "សុខ សុធា"):
        token = encrypt_text(text)
        assert token != text
        assert decrypt_text(token) == text


def test_the_first_key_encrypts_and_every_key_decrypts(settings) -> None:
    settings.KOMAR_ENCRYPTION_KEYS = [OLD]
    old_token = encrypt_text("Sothea")

    settings.KOMAR_ENCRYPTION_KEYS = [NEW, OLD]

    assert decrypt_text(old_token) == "Sothea"
    assert Fernet(NEW.encode()).decrypt(encrypt_text("Dara").encode()) == b"Dara"


def test_token_is_current_only_under_the_first_key(settings) -> None:
    settings.KOMAR_ENCRYPTION_KEYS = [OLD]
    old_token = encrypt_text("Sothea")
    settings.KOMAR_ENCRYPTION_KEYS = [NEW, OLD]
    new_token = encrypt_text("Sothea")

    assert token_is_current(new_token) is True
    assert token_is_current(old_token) is False
    assert token_is_current("not a token") is False


def test_reencrypted_token_reads_with_the_new_key_alone(settings) -> None:
    settings.KOMAR_ENCRYPTION_KEYS = [OLD]
    old_token = encrypt_text("សុខ សុធា")
    settings.KOMAR_ENCRYPTION_KEYS = [NEW, OLD]

    rotated = reencrypt_token(old_token)

    settings.KOMAR_ENCRYPTION_KEYS = [NEW]
    assert decrypt_text(rotated) == "សុខ សុធា"
    with pytest.raises(ImproperlyConfigured):
        decrypt_text(old_token)


def test_reencrypt_refuses_a_token_no_key_reads(settings) -> None:
    settings.KOMAR_ENCRYPTION_KEYS = [OLD]
    token = encrypt_text("Sothea")
    settings.KOMAR_ENCRYPTION_KEYS = [NEW]

    with pytest.raises(ImproperlyConfigured):
        reencrypt_token(token)


def test_random_row_ids_are_positive_63_bit_and_unordered() -> None:
    ids = [random_row_id() for _ in range(1000)]

    assert all(0 < i < 2**63 for i in ids)
    assert len(set(ids)) == 1000
    assert ids != sorted(ids)
