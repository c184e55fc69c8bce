"""The embedded default: Komar on one machine with no environment at all.

``manage.py`` and ``make run`` use this module. It runs with an SQLite file, local
storage, inline background jobs and the demo app, and with development keys created
once in ``var/dev-secrets.json`` where the environment gives none. Only this module
writes those keys: production settings never import it.
"""

import json
import secrets

from cryptography.fernet import Fernet

from .base import *  # noqa: F403  (settings modules extend the base by design)
from .base import INSTALLED_APPS, KOMAR_ENCRYPTION_KEYS, KOMAR_INDEX_KEY, SECRET_KEY, VAR_DIR


def _local_dev_secrets() -> dict[str, str]:
    """Return this machine's development keys, creating them on first use."""
    VAR_DIR.mkdir(exist_ok=True)
    path = VAR_DIR / "dev-secrets.json"
    if path.exists():
        values: dict[str, str] = json.loads(path.read_text())
        return values
    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "KOMAR_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "KOMAR_INDEX_KEY": secrets.token_urlsafe(32),
    }
    # Created readable by this user only, before anything is written into it.
    path.touch(mode=0o600)
    path.write_text(json.dumps(values))
    return values


if not (SECRET_KEY and KOMAR_ENCRYPTION_KEYS and KOMAR_INDEX_KEY):
    _dev = _local_dev_secrets()
    SECRET_KEY = SECRET_KEY or _dev["SECRET_KEY"]
    KOMAR_ENCRYPTION_KEYS = KOMAR_ENCRYPTION_KEYS or [_dev["KOMAR_ENCRYPTION_KEYS"]]
    KOMAR_INDEX_KEY = KOMAR_INDEX_KEY or _dev["KOMAR_INDEX_KEY"]

# Demo accounts and synthetic data (komar_setup_demo, generate_synthetic_data).
INSTALLED_APPS = [*INSTALLED_APPS, "komar.demo"]
KOMAR_ALLOW_DEMO_DATA = True
