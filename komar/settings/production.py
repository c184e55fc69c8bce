"""Production settings: fail closed.

Nothing has a default: without a secret key, encryption keys, an index key, allowed
hosts and a database, the system checks (``komar.E001`` ...) refuse to start.
"""

from .base import *  # noqa: F403  (settings modules extend the base by design)
from .base import database_config, env

KOMAR_PRODUCTION = True
DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="")
KOMAR_ENCRYPTION_KEYS = env.list("KOMAR_ENCRYPTION_KEYS", default=[])
KOMAR_INDEX_KEY = env.str("KOMAR_INDEX_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
DATABASES = (
    {"default": database_config(env.str("DATABASE_URL"))}
    if env.str("DATABASE_URL", default="")
    else {}
)
if DATABASES:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

KOMAR_REQUIRE_2FA = env.bool("KOMAR_REQUIRE_2FA", default=True)
KOMAR_ALLOW_DEMO_DATA = False

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
KOMAR_PROXY_COUNT = env.int("KOMAR_PROXY_COUNT", default=1)
AXES_IPWARE_PROXY_COUNT = KOMAR_PROXY_COUNT

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
LOGGING["root"]["level"] = env.str("LOG_LEVEL", default="INFO")  # noqa: F405
