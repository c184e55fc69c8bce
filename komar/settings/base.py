"""Settings shared by every way Komar runs.

Everything is read from the environment (twelve-factor), and nothing here invents a
secret: the secret key, the encryption keys and the index key are empty unless the
environment gives them. Run Komar with one of the modules built on this one:
``komar.settings.local`` (the embedded default: ``manage.py``, ``make run``; creates
development keys in ``var/``), ``komar.settings.production`` (fails closed: refuses to
import without every secret) or ``komar.settings.test``.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

KOMAR_PRODUCTION = False
DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
# Fernet keys, comma separated; the first encrypts, all decrypt (rotation).
KOMAR_ENCRYPTION_KEYS = env.list("KOMAR_ENCRYPTION_KEYS", default=[])
# Keyed hash for the name index: without it the index cannot be linked to names.
KOMAR_INDEX_KEY = env.str("KOMAR_INDEX_KEY", default="")
# Set only while the name index is rebuilt under a new key: searches look under both.
KOMAR_INDEX_KEY_PREVIOUS = env.str("KOMAR_INDEX_KEY_PREVIOUS", default="")
# How long a one-time password code handed out by an administrator stays valid.
KOMAR_PASSWORD_CODE_HOURS = env.int("KOMAR_PASSWORD_CODE_HOURS", default=24)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "komar.core",
    "komar.accounts",
    "komar.audit",
    "komar.access",
    "komar.geo",
    "komar.children",
    "komar.cases",
    "komar.home",
    "komar.api",
]

MIDDLEWARE = [
    # First, so every answer carries the policy: static files and error pages too.
    "komar.core.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers gzipped (static files come precompressed from whitenoise);
    # BREACH: see docs/decisions/0007-compression.md.
    "django.middleware.gzip.GZipMiddleware",
    # After whitenoise: static files stay cacheable, nothing else is stored.
    "komar.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view reads the body, after the language and the user are known.
    "komar.core.middleware.RequestSizeLimitMiddleware",
    # Every page needs a signed-in user unless its view says otherwise.
    "komar.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "komar.audit.middleware.AuditContextMiddleware",
    "komar.access.middleware.RefusedReadMiddleware",
    "komar.accounts.middleware.RequireTwoFactorMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "komar.urls"
WSGI_APPLICATION = "komar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "komar" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "komar.home.context_processors.navigation",
            ],
        },
    }
]


def database_config(url: str) -> dict:
    """Return Django's settings for a database URL, tuned per engine."""
    config = env.db_url_config(url)
    options = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the page server and a background job read while one writes.
        options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        options.setdefault("transaction_mode", "IMMEDIATE")
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Short, index-driven queries: JIT compilation costs more than it saves.
        options.setdefault("options", "-c jit=off")
    return config


DATABASES = {
    "default": database_config(
        env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'komar.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out account is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:home"

# Sessions end after 30 minutes without a request, and when the browser closes:
# offices share PCs.
SESSION_COOKIE_AGE = env.int("KOMAR_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie.
CSRF_FAILURE_VIEW = "komar.core.views.csrf_failure"  # translated, unlike Django's page
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# django-allauth: username login, no public sign-up, TOTP second factor.
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "komar.accounts.adapters.KomarAccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# allauth's own throttle of failed sign-ins: per address, and loosely per account. The
# lockout proper is django-axes' (account + address), so failures from one client never
# lock the account for a colleague at another; allauth's default of 5 per account would.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,20/300s/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Komar"
# TOTP secrets and recovery-code seeds are stored encrypted with KOMAR_ENCRYPTION_KEYS.
MFA_ADAPTER = "komar.accounts.adapters.KomarMFAAdapter"
# Administrators and supervisors must enrol a TOTP device when this is on.
KOMAR_REQUIRE_2FA = env.bool("KOMAR_REQUIRE_2FA", default=False)

# django-axes: lock an account + address pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("KOMAR_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("KOMAR_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "komar.accounts.security.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Number of reverse proxies in front of the app whose X-Forwarded-For is trusted.
KOMAR_PROXY_COUNT = env.int("KOMAR_PROXY_COUNT", default=0)
# One rule for the client's address: the lockout counts per the address the audit records.
AXES_CLIENT_IP_CALLABLE = "komar.audit.middleware.client_ip"

# Languages: English and Khmer; the browser's choice wins until the user picks one.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("km", "ខ្មែរ")]
# The first catalogue is Komar's own (makemessages writes there); the second holds Khmer
# for the messages of Django, DRF and django-allauth that Komar's pages show, whose own
# Khmer catalogues are incomplete or missing.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-thirdparty"]
FORMAT_MODULE_PATH = ["komar.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Phnom_Penh"

STATIC_URL = "/static/"
STATIC_ROOT = env.path("KOMAR_STATIC_ROOT", default=VAR_DIR / "static")
MEDIA_ROOT = env.path("KOMAR_MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "komar.accounts.security.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "komar.api.permissions.TwoFactorEnrolled",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "komar.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["komar.api.parsers.JSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Komar API",
    "DESCRIPTION": "Case and programme records for child protection. Every read of a "
    "child or case is audited; records outside the caller's scope answer 404.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# API tokens stop working this many hours after they are issued.
KOMAR_API_TOKEN_HOURS = env.int("KOMAR_API_TOKEN_HOURS", default=12)

# Sign-in rate limits and used TOTP codes live in the cache. One process (the embedded
# default, the tests) may keep it in memory; production needs Redis shared by every
# worker (komar.settings.production).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Content-Security-Policy of every answer (komar.core.middleware): only Komar's own
# scripts, styles, fonts and images; no inline script, no framing. Pages that need
# another policy are listed by path prefix.
KOMAR_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}

# Background jobs: Celery with Redis in production; inline in the embedded default.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="komar@localhost")

# Demo accounts and synthetic data: refused unless a settings module allows them (the
# embedded default and the tests do, with the demo app installed).
KOMAR_ALLOW_DEMO_DATA = False

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
