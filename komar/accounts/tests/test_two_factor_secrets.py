"""Second-factor secrets at rest: a copy of the database cannot make a user's codes."""

import importlib
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from komar.core.crypto import decrypt_text

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32, as allauth generates them
migration = importlib.import_module("komar.accounts.migrations.0004_encrypt_mfa_secrets")


def _current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _stored_data(authenticator: Authenticator) -> str:
    """Return the data column as the database holds it, bypassing the ORM."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        return str(cursor.fetchone()[0])


def test_totp_secret_is_stored_encrypted_and_still_checks_codes(world) -> None:
    # When a supervisor enrols an authenticator app
    authenticator = TOTP.activate(world.user("supervisor"), SECRET).instance

    # Then the column holds ciphertext under Komar's keys, not the secret
    stored = _stored_data(authenticator)
    assert SECRET not in stored
    assert SECRET[:16] not in stored
    authenticator.refresh_from_db()
    assert authenticator.data["secret"].startswith("gAAAAA")
    assert decrypt_text(authenticator.data["secret"]) == SECRET
    # And the app's code is accepted, a wrong one is not
    code = _current_code(SECRET)
    assert authenticator.wrap().validate_code(code) is True
    assert authenticator.wrap().validate_code("000000" if code != "000000" else "111111") is False


def test_recovery_code_seed_is_stored_encrypted(world) -> None:
    codes = RecoveryCodes.activate(world.user("supervisor"))
    seed = decrypt_text(codes.instance.data["seed"])
    assert seed not in _stored_data(codes.instance)
    assert len(codes.generate_codes()) == 10
    assert codes.validate_code(codes.generate_codes()[0]) is True


def test_a_secret_written_in_the_clear_is_refused_not_used(world) -> None:
    authenticator = Authenticator.objects.create(
        user=world.user("supervisor"), type=Authenticator.Type.TOTP, data={"secret": SECRET}
    )
    with pytest.raises(ImproperlyConfigured):
        authenticator.wrap().validate_code(_current_code(SECRET))


def test_migration_encrypts_secrets_stored_in_the_clear(world) -> None:
    # Given authenticators enrolled before secrets were encrypted
    user = world.user("supervisor")
    totp = Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": SECRET}
    )
    recovery = Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": "ab" * 40, "used_mask": 0, "migrated_codes": ["12345678"]},
    )

    # When the migration runs (twice: a second run changes nothing)
    migration.encrypt_secrets(apps, None)
    migration.encrypt_secrets(apps, None)

    # Then no secret is left in the clear, and codes still work
    totp.refresh_from_db()
    recovery.refresh_from_db()
    assert SECRET not in _stored_data(totp)
    assert "ab" * 40 not in _stored_data(recovery)
    assert "12345678" not in _stored_data(recovery)
    assert decrypt_text(totp.data["secret"]) == SECRET
    assert decrypt_text(recovery.data["seed"]) == "ab" * 40
    assert recovery.data["used_mask"] == 0
    assert totp.wrap().validate_code(_current_code(SECRET)) is True
    assert recovery.wrap().generate_codes() == ["12345678"]

    # And the reverse migration gives the clear values back
    migration.decrypt_secrets(apps, None)
    totp.refresh_from_db()
    assert totp.data == {"secret": SECRET}
