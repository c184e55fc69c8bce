"""Celery application: Redis-backed in production, eager in the embedded default."""

import os

from celery import Celery

# Production unless told otherwise, as komar.wsgi: importing any part of the ``komar``
# package runs this line first, so a development default here would be the default of
# gunicorn and of every worker too. manage.py chooses komar.settings.local before this.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "komar.settings.production")
app = Celery("komar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
