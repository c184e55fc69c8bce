"""Production fails closed: the settings refuse to import, and the server to start,
without every secret; with them, gunicorn serves pages and ``check --deploy`` is clean.

Most tests start real processes with a controlled environment, as an operator's service
manager would. PostgreSQL runs wherever the suite runs (CI starts it): the serving test
connects to it through ``KOMAR_TEST_POSTGRES_URL`` (default: the local ``postgres``
database, which it only reads).
"""

import importlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(settings.BASE_DIR)
VAR_DIR = BASE_DIR / "var"
POSTGRES_URL = os.environ.get(
    "KOMAR_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REQUIRED = (
    "SECRET_KEY",
    "KOMAR_ENCRYPTION_KEYS",
    "KOMAR_INDEX_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "KOMAR_CACHE_URL",
)

# Run a snippet with an audit hook that prints every file opened for writing and every
# directory made: the proof that nothing, development keys included, is written to disk.
WATCH_WRITES = """
import os, sys
_WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND
def _watch(event, args):
    if event == "open":
        path, mode, flags = args
        if any(m in (mode or "") for m in "wax+") or (flags or 0) & _WRITING:
            print("WROTE", path, file=sys.stderr)
    elif event == "os.mkdir":
        print("MKDIR", args[0], file=sys.stderr)
sys.addaudithook(_watch)
"""


def full_environment() -> dict[str, str]:
    """Return the documented production environment (docs/OPERATIONS.md), fresh keys."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "KOMAR_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "KOMAR_INDEX_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "komar.example.org",
        "DATABASE_URL": POSTGRES_URL,
        "KOMAR_CACHE_URL": "redis://127.0.0.1:6379/14",
        "CSRF_TRUSTED_ORIGINS": "https://komar.example.org",
    }


def base_environment(**extra: str) -> dict[str, str]:
    """Return an environment with nothing of Komar's in it: only what runs Python."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",  # so that any file written is one Komar wrote
        **extra,
    }


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our interpreter, our code)
        [sys.executable, "-c", WATCH_WRITES + code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def writes(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("WROTE", "MKDIR"))]


# --- The settings module itself --------------------------------------------------------


@pytest.fixture
def import_production(monkeypatch):
    """Return a function that imports komar.settings.production afresh under an env."""

    def load(env: dict[str, str]):
        for name in (*REQUIRED, "REDIS_URL", "DJANGO_SETTINGS_MODULE", "KOMAR_INDEX_KEY_PREVIOUS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        sys.modules.pop("komar.settings.production", None)
        return importlib.import_module("komar.settings.production")

    yield load
    sys.modules.pop("komar.settings.production", None)


@pytest.mark.parametrize("missing", REQUIRED)
def test_each_missing_variable_is_named(import_production, missing) -> None:
    env = full_environment()
    del env[missing]
    with pytest.raises(ImproperlyConfigured) as refused:
        import_production(env)
    message = str(refused.value)
    assert missing.replace("KOMAR_CACHE_URL", "KOMAR_CACHE_URL (or REDIS_URL)") in message
    # and only that one
    assert [name for name in REQUIRED if f"{name} " in message] == [missing]


@pytest.mark.parametrize(
    ("name", "bad", "problem"),
    [
        ("SECRET_KEY", "short-secret-value", "SECRET_KEY must be at least 50"),
        ("KOMAR_ENCRYPTION_KEYS", "not-a-fernet-key", "entry 1 is not a Fernet key"),
        ("KOMAR_INDEX_KEY", "short-index-key", "KOMAR_INDEX_KEY must be at least 32"),
        ("ALLOWED_HOSTS", "komar.example.org,*", 'not "*"'),
        ("DATABASE_URL", "sqlite:////tmp/secret-name.sqlite3", "must name a PostgreSQL"),
        ("DATABASE_URL", "nonsense://user:pw-secret@host/db", "must name a PostgreSQL"),
        ("KOMAR_CACHE_URL", "locmemcache://secret-cache-name", "must name a Redis server"),
        (
            "KOMAR_INDEX_KEY_PREVIOUS",
            "short-previous-key",
            "KOMAR_INDEX_KEY_PREVIOUS must be at least 32",
        ),
    ],
)
def test_unusable_values_are_refused_without_echoing_them(
    import_production, name, bad, problem
) -> None:
    with pytest.raises(ImproperlyConfigured, match=re.escape(problem)) as refused:
        import_production({**full_environment(), name: bad})
    assert bad not in str(refused.value)
    assert "secret" not in str(refused.value).replace("SECRET_KEY", "")


def test_a_previous_index_key_equal_to_the_current_one_is_refused(import_production) -> None:
    env = full_environment()
    with pytest.raises(ImproperlyConfigured, match="must differ from KOMAR_INDEX_KEY"):
        import_production({**env, "KOMAR_INDEX_KEY_PREVIOUS": env["KOMAR_INDEX_KEY"]})


def test_full_environment_configures_production(import_production) -> None:
    env = full_environment()
    production = import_production(env)
    assert production.DEBUG is False
    assert production.KOMAR_ALLOW_DEMO_DATA is False
    assert "komar.demo" not in production.INSTALLED_APPS
    assert production.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    # Rate limits and used codes live in one Redis cache shared by every worker
    assert production.CACHES == {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
        }
    }
    assert production.SESSION_COOKIE_SECURE is True
    assert production.KOMAR_REQUIRE_2FA is True


def test_redis_url_is_the_cache_when_komar_cache_url_is_unset(import_production) -> None:
    env = full_environment()
    del env["KOMAR_CACHE_URL"]
    production = import_production({**env, "REDIS_URL": "redis://127.0.0.1:6379/13"})
    assert production.CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6379/13"


# --- Starting the server ---------------------------------------------------------------


def test_wsgi_with_an_empty_environment_refuses_and_writes_nothing() -> None:
    # Given no environment at all: not even DJANGO_SETTINGS_MODULE (komar.wsgi's default)
    result = run_python("import komar.wsgi", base_environment())

    # Then the import fails, naming every missing variable
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    for name in REQUIRED:
        assert name in result.stderr
    # and nothing was written: no development keys in var/ or anywhere else
    assert writes(result.stderr) == []


def test_wsgi_with_production_settings_named_refuses() -> None:
    env = base_environment(DJANGO_SETTINGS_MODULE="komar.settings.production")
    result = run_python("import komar.wsgi", env)
    assert result.returncode != 0
    assert "Komar's production settings refuse to start" in result.stderr
    assert writes(result.stderr) == []


def test_wsgi_without_an_index_key_refuses_and_names_it_alone() -> None:
    # The review's case: everything set but KOMAR_INDEX_KEY used to serve with HMAC(b"")
    env = {**base_environment(), **full_environment()}
    del env["KOMAR_INDEX_KEY"]
    result = run_python("import komar.wsgi", env)
    assert result.returncode != 0
    assert "refuse to start: KOMAR_INDEX_KEY is missing." in result.stderr
    for name, value in env.items():
        if name not in ("PATH", "LANG", "PYTHONDONTWRITEBYTECODE", "ALLOWED_HOSTS"):
            assert value not in result.stderr, f"{name}'s value is in the output"


def test_gunicorn_without_an_index_key_does_not_start() -> None:
    env = {**base_environment(), **full_environment()}
    del env["KOMAR_INDEX_KEY"]
    result = subprocess.run(  # noqa: S603  (our interpreter, a fixed command)
        [sys.executable, "-m", "gunicorn", "komar.wsgi", "--bind", "127.0.0.1:0"]
        + ["--workers", "1", "--no-control-socket"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "KOMAR_INDEX_KEY is missing" in result.stderr
    assert "Worker failed to boot" in result.stderr


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory) -> Path:
    """Collect static files as a deployment does: production pages need the manifest."""
    root = tmp_path_factory.mktemp("static")
    env = {
        **base_environment(DJANGO_SETTINGS_MODULE="komar.settings.production"),
        **full_environment(),
        "KOMAR_STATIC_ROOT": str(root),
    }
    subprocess.run(  # noqa: S603  (our interpreter, a fixed command)
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=300,
    )
    return root


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, host: str) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(  # noqa: S310  (a fixed http://127.0.0.1 address)
        url, headers={"Host": host, "X-Forwarded-Proto": "https"}
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def test_gunicorn_serves_with_the_documented_environment(collected_static) -> None:
    # Given the documented environment and gunicorn as OPERATIONS.md starts it
    port = _free_port()
    env = {
        **base_environment(),
        **full_environment(),
        "KOMAR_STATIC_ROOT": str(collected_static),
    }
    server = subprocess.Popen(  # noqa: S603  (our interpreter, a fixed command)
        [sys.executable, "-m", "gunicorn", "komar.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1", "--no-control-socket", "--forwarded-allow-ips", "127.0.0.1"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, headers, page = _get(
                    f"http://127.0.0.1:{port}/accounts/login/", "komar.example.org"
                )
                break
            except OSError:
                time.sleep(0.2)
        assert server.poll() is None, server.communicate()[1]

        # Then the sign-in page is served over the proxy's HTTPS, hardened
        assert status == 200
        assert 'id="login-form"' in page
        assert headers["Cache-Control"] == "no-store"
        assert headers["Content-Security-Policy"].startswith("default-src 'self'; script-src")
        assert "max-age=31536000" in headers["Strict-Transport-Security"]

        # And a record page asks for a sign-in; an unknown host is refused
        status, headers, _ = _get(f"http://127.0.0.1:{port}/cases/", "komar.example.org")
        assert (status, headers["Location"]) == (302, "/accounts/login/?next=/cases/")
        status, _, _ = _get(f"http://127.0.0.1:{port}/accounts/login/", "evil.example.com")
        assert status == 400
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()


def test_check_deploy_is_clean_with_the_documented_environment() -> None:
    env = {
        **base_environment(DJANGO_SETTINGS_MODULE="komar.settings.production"),
        **full_environment(),
    }
    result = subprocess.run(  # noqa: S603  (our interpreter, a fixed command)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_manage_py_runs_with_no_environment_at_all() -> None:
    # The embedded default (komar.settings.local): development keys in var/, made once
    result = subprocess.run(  # noqa: S603  (our interpreter, a fixed command)
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=base_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    secrets_file = VAR_DIR / "dev-secrets.json"
    assert secrets_file.exists()
    assert secrets_file.stat().st_mode & 0o777 == 0o600
