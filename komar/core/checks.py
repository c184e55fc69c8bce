"""System checks that keep production settings closed: a missing requirement stops
the server from starting (``manage.py check --deploy`` and every command run them)."""

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, register


@register()
def production_requirements(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not getattr(settings, "KOMAR_PRODUCTION", False):
        return []
    errors: list[Error] = []
    if not settings.SECRET_KEY or len(settings.SECRET_KEY) < 40:
        errors.append(
            Error("SECRET_KEY is missing or shorter than 40 characters.", id="komar.E001")
        )
    if not settings.KOMAR_ENCRYPTION_KEYS:
        errors.append(Error("KOMAR_ENCRYPTION_KEYS is missing.", id="komar.E002"))
    else:
        for key in settings.KOMAR_ENCRYPTION_KEYS:
            try:
                Fernet(key.encode())
            except ValueError:
                errors.append(
                    Error("A KOMAR_ENCRYPTION_KEYS entry is not a Fernet key.", id="komar.E003")
                )
    if len(settings.KOMAR_INDEX_KEY) < 32:
        errors.append(
            Error("KOMAR_INDEX_KEY is missing or shorter than 32 characters.", id="komar.E004")
        )
    if not settings.ALLOWED_HOSTS or "*" in settings.ALLOWED_HOSTS:
        errors.append(Error("ALLOWED_HOSTS must name this server's hosts.", id="komar.E005"))
    if not settings.DATABASES.get("default", {}).get("ENGINE"):
        errors.append(Error("DATABASE_URL is missing.", id="komar.E006"))
    if settings.DEBUG:
        errors.append(Error("DEBUG must be off in production.", id="komar.E007"))
    if settings.KOMAR_ALLOW_DEMO_DATA:
        errors.append(Error("Demo data must be refused in production.", id="komar.E008"))
    return errors
