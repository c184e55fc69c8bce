"""Rules that production values must meet, shared by the production settings (which
refuse to import) and the system checks (which refuse to start).

Each rule returns what is wrong in words an operator can act on, naming the variable
and never its value: these messages end up in logs.
"""

from cryptography.fernet import Fernet

SECRET_KEY_MIN_LENGTH = 50  # Django's own deploy check (security.W009) asks for 50
INDEX_KEY_MIN_LENGTH = 32
PRODUCTION_DATABASE_ENGINES = frozenset(
    {"django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"}
)
SHARED_CACHE_BACKENDS = frozenset({"django.core.cache.backends.redis.RedisCache"})


def secret_key_problem(value: str) -> str | None:
    """Return what is wrong with a secret key, or None."""
    if not value:
        return "SECRET_KEY is missing"
    if len(value) < SECRET_KEY_MIN_LENGTH or len(set(value)) < 5:
        return f"SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} random characters"
    if value.startswith("django-insecure-"):
        return "SECRET_KEY is one of Django's generated development keys"
    return None


def encryption_keys_problem(keys: list[str]) -> str | None:
    """Return what is wrong with the list of Fernet keys, or None."""
    if not keys:
        return "KOMAR_ENCRYPTION_KEYS is missing"
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            return f"KOMAR_ENCRYPTION_KEYS entry {position} is not a Fernet key"
    return None


def index_key_problem(value: str) -> str | None:
    """Return what is wrong with the name index key, or None."""
    if not value:
        return "KOMAR_INDEX_KEY is missing"
    if len(value) < INDEX_KEY_MIN_LENGTH:
        return f"KOMAR_INDEX_KEY must be at least {INDEX_KEY_MIN_LENGTH} characters"
    return None


def previous_index_key_problem(value: str, current: str) -> str | None:
    """Return what is wrong with the previous name index key (set only during a rebuild)."""
    if not value:
        return None
    if len(value) < INDEX_KEY_MIN_LENGTH:
        return f"KOMAR_INDEX_KEY_PREVIOUS must be at least {INDEX_KEY_MIN_LENGTH} characters"
    if value == current:
        return "KOMAR_INDEX_KEY_PREVIOUS must differ from KOMAR_INDEX_KEY"
    return None


def allowed_hosts_problem(hosts: list[str]) -> str | None:
    """Return what is wrong with the allowed host names, or None."""
    if not hosts:
        return "ALLOWED_HOSTS is missing"
    if "*" in hosts:
        return 'ALLOWED_HOSTS must name this server\'s hosts, not "*"'
    return None


def database_problem(engine: str) -> str | None:
    """Return what is wrong with the default database's engine, or None.

    Django fills a missing database with its ``dummy`` engine, so that counts as missing.
    """
    if not engine or engine == "django.db.backends.dummy":
        return "DATABASE_URL is missing"
    if engine not in PRODUCTION_DATABASE_ENGINES:
        return "DATABASE_URL must name a PostgreSQL database (postgres://...)"
    return None


def cache_problem(backend: str) -> str | None:
    """Return what is wrong with the default cache, or None.

    Sign-in rate limits and used TOTP codes live in the cache: every worker process must
    see the same one, or each would count failures and used codes on its own.
    """
    if not backend:
        return "KOMAR_CACHE_URL (or REDIS_URL) is missing"
    if backend not in SHARED_CACHE_BACKENDS:
        return "KOMAR_CACHE_URL must name a Redis server (redis://...), shared by every worker"
    return None
