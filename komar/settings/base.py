"""Settings for Komar.

Everything is read from the environment (twelve-factor). With no environment at all
this module is the embedded default: an SQLite file, local storage, background jobs run
inline, and development keys created once in ``var/`` on this machine. Production
settings (``komar.settings.production``) start from here and fail closed.
"""

import json
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()


def _local_dev_secrets() -> dict[str, str]:
    """Return this machine's development keys, creating them on first use.

    Used only by the embedded default; production settings never call this.
    """
    VAR_DIR.mkdir(exist_ok=True)
    path = VAR_DIR / "dev-secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "KOMAR_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "KOMAR_INDEX_KEY": secrets.token_urlsafe(32),
    }
    path.write_text(json.dumps(values))
    path.chmod(0o600)
    return values


KOMAR_PRODUCTION = False
DEBUG = env.bool("DEBUG", default=False)

_dev = None if "SECRET_KEY" in env.ENVIRON else _local_dev_secrets()
SECRET_KEY = env.str("SECRET_KEY", default=_dev["SECRET_KEY"] if _dev else "")
# Fernet keys, comma separated; the first encrypts, all decrypt (rotation).
KOMAR_ENCRYPTION_KEYS = env.list(
    "KOMAR_ENCRYPTION_KEYS", default=[_dev["KOMAR_ENCRYPTION_KEYS"]] if _dev else []
)
# Keyed hash for the name index: without it the index cannot be linked to names.
KOMAR_INDEX_KEY = env.str("KOMAR_INDEX_KEY", default=_dev["KOMAR_INDEX_KEY"] if _dev else "")

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
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "komar.core",
    "komar.accounts",
    "komar.audit",
    "komar.geo",
    "komar.children",
    "komar.cases",
    "komar.demo",
    "komar.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "komar.audit.middleware.AuditContextMiddleware",
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
                "komar.core.context_processors.navigation",
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
LOGIN_REDIRECT_URL = "core:home"

# Sessions end after 30 minutes without a request, and when the browser closes:
# offices share PCs.
SESSION_COOKIE_AGE = env.int("KOMAR_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie.
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
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Komar"
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
AXES_IPWARE_PROXY_COUNT = KOMAR_PROXY_COUNT or None

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
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = env.path("KOMAR_MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "komar.accounts.security.ExpiringTokenAuthentication",
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

# Background jobs: Celery with Redis in production; inline in the embedded default.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="komar@localhost")

# Demo accounts and synthetic data are allowed only outside production.
KOMAR_ALLOW_DEMO_DATA = True

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
