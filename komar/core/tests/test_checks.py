"""The production system checks: each requirement, when unmet, stops the server with its id.

These run on settings changed after import (``override_settings``); the import-time
refusal of ``komar.settings.production`` is tested in ``test_production_settings.py``.
"""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from komar.core.checks import production_requirements, refuse_to_serve_on_errors

FERNET_KEY = "dGVzdC1vbmx5LWZlcm5ldC1rZXktMzItYnl0ZXMhISE="
GOOD = {
    "KOMAR_PRODUCTION": True,
    "DEBUG": False,
    "KOMAR_ALLOW_DEMO_DATA": False,
    "SECRET_KEY": "k7Qe-T2mW9xZ4pLr8sVn1bYc6dHf3gJa5uKo0iXw_yEzRtUq-MvNs",
    "KOMAR_ENCRYPTION_KEYS": [FERNET_KEY],
    "KOMAR_INDEX_KEY": "i" * 32,
    "ALLOWED_HOSTS": ["komar.example.org"],
    "CACHES": {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
        }
    },
    "INSTALLED_APPS": [app for app in settings.INSTALLED_APPS if app != "komar.demo"],
    # Only the engine's name is read by the check; nothing connects during these tests.
    "DATABASES": {
        "default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.postgresql"}
    },
}

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


def _ids(**changes: object) -> list[str]:
    with override_settings(**{**GOOD, **changes}):
        return [error.id for error in production_requirements(None)]


def test_good_production_settings_pass(monkeypatch) -> None:
    # The test settings allow async-unsafe calls for Playwright; Django's deploy check
    # rightly refuses that (async.E001), so a server never runs with it.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    assert _ids() == []
    with override_settings(**GOOD):
        call_command("check", "--fail-level", "ERROR")
        refuse_to_serve_on_errors()  # does not raise


@pytest.mark.parametrize(
    ("changes", "check_id"),
    [
        ({"SECRET_KEY": "too-short-for-production"}, "komar.E001"),
        ({"SECRET_KEY": "a" * 60}, "komar.E001"),  # long, but not random
        ({"SECRET_KEY": "django-insecure-" + GOOD["SECRET_KEY"]}, "komar.E001"),
        ({"KOMAR_ENCRYPTION_KEYS": []}, "komar.E002"),
        ({"KOMAR_ENCRYPTION_KEYS": [FERNET_KEY, "not-a-fernet-key"]}, "komar.E003"),
        ({"KOMAR_INDEX_KEY": ""}, "komar.E004"),
        ({"KOMAR_INDEX_KEY": "i" * 31}, "komar.E004"),
        ({"ALLOWED_HOSTS": []}, "komar.E005"),
        ({"ALLOWED_HOSTS": ["komar.example.org", "*"]}, "komar.E005"),
        ({"DEBUG": True}, "komar.E007"),
        ({"KOMAR_ALLOW_DEMO_DATA": True}, "komar.E008"),
        (
            {"CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}},
            "komar.E009",
        ),
        ({"INSTALLED_APPS": [*GOOD["INSTALLED_APPS"], "komar.demo"]}, "komar.E010"),
    ],
)
def test_each_unmet_requirement_is_an_error_with_its_id(changes, check_id) -> None:
    assert _ids(**changes) == [check_id]
    with override_settings(**{**GOOD, **changes}), pytest.raises(SystemCheckError, match=check_id):
        call_command("check", "--fail-level", "ERROR")


@pytest.mark.parametrize(
    "engine",
    [
        # What Django puts in place of a missing DATABASES: the old check never saw it.
        "django.db.backends.dummy",
        "",
        "django.db.backends.sqlite3",
    ],
)
def test_a_database_that_is_not_postgresql_is_e006(engine) -> None:
    databases = {"default": {**settings.DATABASES["default"], "ENGINE": engine}}
    assert _ids(DATABASES=databases) == ["komar.E006"]


def test_an_empty_secret_key_is_e001_not_a_traceback() -> None:
    # Django itself raises ImproperlyConfigured when an empty SECRET_KEY is read
    assert _ids(SECRET_KEY="") == ["komar.E001"]


def test_messages_never_carry_the_values() -> None:
    secret = "short-but-secret-value"
    with override_settings(**{**GOOD, "SECRET_KEY": secret, "KOMAR_INDEX_KEY": "idx-secret"}):
        messages = " ".join(error.msg for error in production_requirements(None))
    assert "SECRET_KEY" in messages
    assert "KOMAR_INDEX_KEY" in messages
    assert secret not in messages
    assert "idx-secret" not in messages


def test_the_server_refuses_to_serve_on_an_error() -> None:
    with (
        override_settings(**{**GOOD, "KOMAR_INDEX_KEY": ""}),
        pytest.raises(ImproperlyConfigured, match=r"komar\.E004: KOMAR_INDEX_KEY is missing"),
    ):
        refuse_to_serve_on_errors()


def test_checks_are_silent_outside_production() -> None:
    with override_settings(KOMAR_PRODUCTION=False, KOMAR_INDEX_KEY=""):
        assert production_requirements(None) == []
