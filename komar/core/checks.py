"""System checks that keep production settings closed.

``komar.settings.production`` already refuses to import without its secrets; these
checks hold the same rules (``komar.settings.validation``) for the settings actually
loaded, so a value changed after import is caught too. ``manage.py`` commands run them,
and :func:`refuse_to_serve_on_errors` runs them, with Django's deployment checks, before
the WSGI application serves a request: gunicorn runs no checks of its own.
"""

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from komar.settings.validation import (
    allowed_hosts_problem,
    cache_problem,
    database_problem,
    encryption_keys_problem,
    index_key_problem,
    secret_key_problem,
)


def _secret_key() -> str:
    # Django refuses to hand out an empty SECRET_KEY (it raises ImproperlyConfigured):
    # an empty key is reported as komar.E001 like any other unusable one.
    try:
        return str(settings.SECRET_KEY)
    except ImproperlyConfigured:
        return ""


@register()
def production_requirements(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Return an error for each production requirement the settings do not meet."""
    if not getattr(settings, "KOMAR_PRODUCTION", False):
        return []
    keys = list(settings.KOMAR_ENCRYPTION_KEYS)
    problems = [
        (secret_key_problem(_secret_key()), "komar.E001"),
        (encryption_keys_problem(keys), "komar.E002" if not keys else "komar.E003"),
        (index_key_problem(settings.KOMAR_INDEX_KEY), "komar.E004"),
        (allowed_hosts_problem(list(settings.ALLOWED_HOSTS)), "komar.E005"),
        (database_problem(settings.DATABASES.get("default", {}).get("ENGINE", "")), "komar.E006"),
        ("DEBUG must be off in production" if settings.DEBUG else None, "komar.E007"),
        (
            "Demo data must be refused in production" if settings.KOMAR_ALLOW_DEMO_DATA else None,
            "komar.E008",
        ),
        (cache_problem(settings.CACHES.get("default", {}).get("BACKEND", "")), "komar.E009"),
        (
            "The demo app must not be installed in production"
            if "komar.demo" in settings.INSTALLED_APPS
            else None,
            "komar.E010",
        ),
    ]
    return [Error(f"{problem}.", id=check_id) for problem, check_id in problems if problem]


def refuse_to_serve_on_errors() -> None:
    """Raise ImproperlyConfigured when a system check, deployment checks included, fails.

    Warnings are left to ``manage.py check --deploy``; an error stops the server. The
    message names each check and what is wrong, never a setting's value.
    """
    errors = [
        message
        for message in checks.run_checks(include_deployment_checks=True)
        if message.level >= checks.ERROR and not message.is_silenced()
    ]
    if errors:
        raise ImproperlyConfigured(
            "Komar refuses to serve: " + "; ".join(f"{error.id}: {error.msg}" for error in errors)
        )
