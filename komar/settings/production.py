"""Production settings: fail closed.

Nothing secret has a default. Importing this module without a secret key, encryption
keys, an index key, allowed hosts, a PostgreSQL database and a Redis cache raises
``ImproperlyConfigured`` naming every missing or unusable variable (never a value), so
no process starts half-configured: not ``manage.py``, not gunicorn, not Celery. The
system checks (``komar.E001`` ...) hold the same rules once the settings are loaded, and
``komar.wsgi`` runs them before it serves anything.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403  (settings modules extend the base by design)
from .base import LOGGING, database_config, env
from .validation import (
    allowed_hosts_problem,
    cache_problem,
    database_problem,
    encryption_keys_problem,
    index_key_problem,
    previous_index_key_problem,
    secret_key_problem,
)

KOMAR_PRODUCTION = True
DEBUG = False
KOMAR_ALLOW_DEMO_DATA = False

SECRET_KEY = env.str("SECRET_KEY", default="")
KOMAR_ENCRYPTION_KEYS = env.list("KOMAR_ENCRYPTION_KEYS", default=[])
KOMAR_INDEX_KEY = env.str("KOMAR_INDEX_KEY", default="")
KOMAR_INDEX_KEY_PREVIOUS = env.str("KOMAR_INDEX_KEY_PREVIOUS", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])


def _database() -> tuple[dict, str | None]:
    url = env.str("DATABASE_URL", default="")
    if not url:
        return {}, database_problem("")
    try:
        config = database_config(url)
    except Exception:  # an unknown scheme or a malformed URL: say so, never echo it
        return {}, "DATABASE_URL is not a database URL"
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    return config, database_problem(config["ENGINE"])


def _cache() -> tuple[dict, str | None]:
    url = env.str("KOMAR_CACHE_URL", default="") or env.str("REDIS_URL", default="")
    if not url:
        return {}, cache_problem("")
    try:
        config = env.cache_url_config(url)
    except Exception:  # as for the database: never echo the URL, it may hold a password
        return {}, "KOMAR_CACHE_URL is not a cache URL"
    return config, cache_problem(config["BACKEND"])


_database_config, _database_problem = _database()
_cache_config, _cache_problem = _cache()
_problems = [
    problem
    for problem in (
        secret_key_problem(SECRET_KEY),
        encryption_keys_problem(KOMAR_ENCRYPTION_KEYS),
        index_key_problem(KOMAR_INDEX_KEY),
        previous_index_key_problem(KOMAR_INDEX_KEY_PREVIOUS, KOMAR_INDEX_KEY),
        allowed_hosts_problem(ALLOWED_HOSTS),
        _database_problem,
        _cache_problem,
    )
    if problem
]
if _problems:
    raise ImproperlyConfigured(
        "Komar's production settings refuse to start: "
        + "; ".join(_problems)
        + ". See docs/OPERATIONS.md, section Environment."
    )

DATABASES = {"default": _database_config}
CACHES = {"default": _cache_config}

KOMAR_REQUIRE_2FA = env.bool("KOMAR_REQUIRE_2FA", default=True)

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Asking browsers to preload HSTS is the domain owner's commitment (hstspreload.org),
# not the application's: off by default, so Django's reminder is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
KOMAR_PROXY_COUNT = env.int("KOMAR_PROXY_COUNT", default=1)

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
LOGGING["root"]["level"] = env.str("LOG_LEVEL", default="INFO")
