"""Encrypt the second-factor secrets allauth stored in the clear, and drop DRF's token
table, whose rows were API tokens in the clear (Komar keeps digests: ApiToken)."""

from django.db import migrations

from komar.core.crypto import decrypt_text, encrypt_text

FERNET_PREFIX = "gAAAAA"  # as komar.accounts.adapters.FERNET_PREFIX, frozen here


def _encrypt(value):
    return value if value.startswith(FERNET_PREFIX) else encrypt_text(value)


def _decrypt(value):
    return decrypt_text(value) if value.startswith(FERNET_PREFIX) else value


def _convert(apps, convert):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all().iterator():
        data = dict(authenticator.data)
        for key in ("secret", "seed"):
            if isinstance(data.get(key), str):
                data[key] = convert(data[key])
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [convert(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_secrets(apps, schema_editor):
    _convert(apps, _encrypt)


def decrypt_secrets(apps, schema_editor):
    _convert(apps, _decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_token"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
